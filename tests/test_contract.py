"""The public contract: Case defaults, strict validation, round trips and the public surface."""

from __future__ import annotations

import builtins
import datetime as dt
import inspect
import json
import re
import types
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import betanketid_rules
from betanketid_rules import Case, Decision, _errors, evaluate, evaluate_many
from betanketid_rules._contract import EARLIEST_DECISION_DATE
from betanketid_rules._tables import default_table_set

MINIMAL: dict[str, Any] = {
    "decision_date": "2023-03-15",
    "applicant": "social_welfare_board",
    "permit": "reflection_period",
}
EXAMPLE: dict[str, Any] = {
    **MINIMAL,
    "person": {"in_sweden": True},
    "facts": {
        "presumed_offence": "trafficking",
        "needed_for_investigation": True,
        "wants_reflection_period": True,
    },
}


def with_field(path: str, value: Any) -> dict[str, Any]:
    """MINIMAL with ``value`` set at a dotted ``path``."""
    data = json.loads(json.dumps(MINIMAL))
    *parents, leaf = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value
    return data


def error_locations(error: ValidationError) -> list[str]:
    return [".".join(str(p) for p in detail["loc"]) for detail in error.errors()]


PUBLIC = [name for name in betanketid_rules.__all__ if not name.startswith("__")]
API_REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "api.rst"


def test_every_public_name_is_exported_and_only_those() -> None:
    """What the package namespace shows is exactly ``__all__`` (plus its public modules)."""
    shown = {
        name
        for name in dir(betanketid_rules)  # the names imported on first use included
        if not name.startswith("_")
        and not isinstance(getattr(betanketid_rules, name), types.ModuleType)
    }
    assert shown == set(PUBLIC)
    assert betanketid_rules.__all__ == sorted(betanketid_rules.__all__)


@pytest.mark.parametrize("name", PUBLIC)
def test_a_public_name_is_shown_under_the_package_documented_and_typed(name: str) -> None:
    member = getattr(betanketid_rules, name)
    assert member.__module__ == "betanketid_rules", "shown under a private module's name"
    assert (inspect.getdoc(member) or "").strip(), "no docstring"
    if inspect.isfunction(member):
        signature = inspect.signature(member)
        untyped = [p.name for p in signature.parameters.values() if p.annotation is p.empty]
        assert not untyped, f"parameters without a type: {untyped}"
        assert signature.return_annotation is not signature.empty, "no return type"


def test_the_api_reference_documents_exactly_the_public_names() -> None:
    """Removing or renaming a public name needs the reference changed too (the contract only
    grows: see CHANGELOG.md)."""
    text = API_REFERENCE.read_text(encoding="utf-8")
    documented = set(
        re.findall(
            r"^\.\. auto(?:function|class|exception):: betanketid_rules\.(\w+)$",
            text,
            flags=re.MULTILINE,
        )
    )
    assert documented == set(PUBLIC)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("application_date", None),
        ("person.in_sweden", False),
        ("person.is_child", False),
        ("person.eu_citizen", False),
        ("person.relation", "self"),
        ("facts.presumed_offence", "none"),
        ("facts.needed_for_investigation", False),
        ("facts.willing_to_cooperate", False),
        ("facts.ties_broken", False),
        ("facts.public_order_objection", False),
        ("facts.wants_reflection_period", False),
        ("facts.special_reasons_longer_reflection", False),
    ],
)
def test_every_default_of_the_contract(path: str, expected: object) -> None:
    value: Any = Case.model_validate(MINIMAL)
    for part in path.split("."):
        value = getattr(value, part)
    assert value == expected


@pytest.mark.parametrize(
    ("path", "value", "location", "reason"),
    [
        ("person.in_sweden", "yes", "person.in_sweden", "valid boolean"),
        ("person.in_sweden", 1, "person.in_sweden", "valid boolean"),
        ("facts.ties_broken", "true", "facts.ties_broken", "valid boolean"),
        ("applicant", "socialnamnd", "applicant", "social_welfare_board"),
        ("permit", "reflection", "permit", "reflection_period"),
        ("facts.presumed_offence", "Trafficking", "facts.presumed_offence", "trafficking"),
        ("person.in_swedn", True, "person.in_swedn", "Extra inputs"),
        ("facts.typo", False, "facts.typo", "Extra inputs"),
        ("colour", "red", "colour", "Extra inputs"),
        ("person", None, "person", "valid dictionary"),
        ("facts", None, "facts", "valid dictionary"),
        ("facts.ties_broken", None, "facts.ties_broken", "valid boolean"),
        ("application_date", None, "application_date", "leave the field out"),
        ("decision_date", "15/03/2023", "decision_date", "ISO date"),
        ("decision_date", 1678838400, "decision_date", "ISO date"),
        ("decision_date", "2023-02-30", "decision_date", "calendar date"),
        ("decision_date", "2006-03-30", "decision_date", "2006-03-31"),
        ("application_date", "2023-03-16", "application_date", "not be after decision_date"),
        ("person.relation", "accompanying_child", "person", "requires is_child"),
    ],
)
def test_bad_input_names_the_field_and_the_reason(
    path: str, value: object, location: str, reason: str
) -> None:
    data = with_field(path, value)
    if path == "application_date" and value == "2023-03-16":
        location = "(case)"
    with pytest.raises(ValidationError) as caught:
        Case.model_validate(data)
    rendered = str(caught.value)
    assert reason in rendered
    if location != "(case)":
        assert location in error_locations(caught.value)


def test_missing_required_fields_are_named() -> None:
    with pytest.raises(ValidationError) as caught:
        Case.model_validate({"permit": "reflection_period"})
    assert set(error_locations(caught.value)) == {"decision_date", "applicant"}


def test_json_dates_and_python_dates_are_the_same_case() -> None:
    from_json = Case.model_validate_json(json.dumps(MINIMAL))
    from_python = Case(
        decision_date=dt.date(2023, 3, 15),
        applicant="social_welfare_board",
        permit="reflection_period",
    )
    assert from_json == from_python


@pytest.mark.parametrize("data", [MINIMAL, {**EXAMPLE, "application_date": "2022-07-01"}])
def test_case_json_round_trip(data: dict[str, Any]) -> None:
    case = Case.model_validate(data)
    assert Case.model_validate_json(case.model_dump_json()) == case
    assert "application_date" in case.model_dump() or "application_date" not in data


def test_decision_json_round_trip_and_shape() -> None:
    decision = evaluate(EXAMPLE)
    again = Decision.model_validate_json(decision.model_dump_json())
    assert again == decision
    shape = json.loads(decision.model_dump_json())
    assert list(shape) == [
        "outcome",
        "permit",
        "legal_basis",
        "unmet_conditions",
        "rules_fired",
        "tables",
        "trace",
        "open_questions",
        "explanation",
        "engine",
        "effects",
    ]
    assert shape["permit"] == {"type": "reflection_period", "days": 30, "min_months": None}


def test_the_issue_example_grants_30_days_citing_5_15() -> None:
    decision = evaluate(EXAMPLE)
    assert decision.outcome == "grant"
    assert decision.permit is not None
    assert (decision.permit.type, decision.permit.days) == ("reflection_period", 30)
    assert any(
        (c.act, c.chapter, c.section, c.paragraph) == ("2005:716", 5, "15", 2)
        for c in decision.legal_basis
    )
    before = evaluate({**EXAMPLE, "decision_date": "2022-05-10"})
    assert before.outcome == "no_standing"
    assert before.permit is None


def test_earliest_decision_date_is_the_earliest_table() -> None:
    earliest = min(table.spec.in_force_from for table in default_table_set())
    assert earliest == EARLIEST_DECISION_DATE


def test_evaluate_many_keeps_order_and_names_bad_items() -> None:
    cases = [EXAMPLE, {**EXAMPLE, "decision_date": "2022-05-10"}]
    assert [d.outcome for d in evaluate_many(cases)] == ["grant", "no_standing"]
    with pytest.raises(ValidationError) as caught:
        evaluate_many([EXAMPLE, with_field("facts.ties_broken", "no")])
    assert error_locations(caught.value) == ["1.facts.ties_broken"]
    mixed = evaluate_many([with_field("permit", "x"), EXAMPLE], on_error="collect")
    assert isinstance(mixed[0], ValidationError)
    assert isinstance(mixed[1], Decision)
    assert mixed[1].outcome == "grant"


def test_evaluate_many_accepts_case_objects() -> None:
    case = Case.model_validate(EXAMPLE)
    assert evaluate_many([case, case])[1] == evaluate(case)


def test_unknown_engine_is_a_library_error() -> None:
    with pytest.raises(betanketid_rules.UnknownEngineError, match="unknown engine 'drools'"):
        evaluate(EXAMPLE, engine="drools")
    assert issubclass(betanketid_rules.UnknownEngineError, ValueError)
    assert issubclass(betanketid_rules.UnknownEngineError, betanketid_rules.BetanketidError)


def _drawn_hierarchy() -> dict[str, tuple[str, str | None]]:
    """The errors guide's drawing: class -> (parent class, builtin it also derives from)."""
    text = (API_REFERENCE.parent / "guide" / "errors.rst").read_text(encoding="utf-8")
    drawn: dict[str, tuple[str, str | None]] = {}
    parents: list[str] = []
    for line in text.splitlines():
        found = re.match(r"^   ([│ ]*)(?:[├└]── )?(\w+Error)(?: \((\w+)\))?", line)
        if found is None:
            continue
        depth = len(found[1]) // 4 + (1 if "── " in line else 0)
        del parents[depth:]
        drawn[found[2]] = (parents[-1] if parents else "", found[3])
        parents.append(found[2])
    return drawn


def test_the_errors_guide_draws_every_library_error_as_defined() -> None:
    """Every class of the tree is drawn under its parent with the builtin it derives from."""
    defined = {
        name: value
        for name, value in vars(_errors).items()
        if isinstance(value, type) and issubclass(value, betanketid_rules.BetanketidError)
    }
    drawn = _drawn_hierarchy()
    assert set(drawn) == set(defined)
    for name, (parent, builtin) in drawn.items():
        cls = defined[name]
        if name == "BetanketidError":
            assert cls.__bases__ == (Exception,)
            continue
        assert cls.__bases__[0] is defined[parent], name
        if builtin is not None:
            assert issubclass(cls, getattr(builtins, builtin)), name
