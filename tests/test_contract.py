"""The public contract: Case defaults, strict validation, round trips and the public surface."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from pydantic import ValidationError

import betanketid_rules
from betanketid_rules import Case, Decision, evaluate, evaluate_many
from betanketid_rules._contract import EARLIEST_DECISION_DATE
from betanketid_rules._tables import default_table_set

MINIMAL: dict[str, Any] = {
    "decision_date": "2023-03-15",
    "applicant": "social_welfare_board",
    "permit": "reflection_period",
}
EXAMPLE: dict[str, Any] = {
    **MINIMAL,
    "facts": {"presumed_offence": "trafficking", "needed_for_investigation": True},
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


def test_public_surface_is_exactly_the_contract() -> None:
    assert sorted(betanketid_rules.__all__) == sorted(
        [
            "BetanketidError",
            "Case",
            "Citation",
            "Decision",
            "EngineError",
            "EngineUnavailableError",
            "Facts",
            "HitPolicyError",
            "Permit",
            "Person",
            "TableError",
            "UnknownEngineError",
            "__version__",
            "evaluate",
            "evaluate_many",
        ]
    )
    public = {name for name in vars(betanketid_rules) if not name.startswith("_")}
    modules = {"testing", "sphinx"}
    assert public - modules <= set(betanketid_rules.__all__)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("application_date", None),
        ("person.in_sweden", True),
        ("person.is_child", False),
        ("person.eu_citizen", False),
        ("person.relation", "self"),
        ("facts.presumed_offence", "none"),
        ("facts.needed_for_investigation", False),
        ("facts.willing_to_cooperate", False),
        ("facts.ties_broken", False),
        ("facts.public_order_objection", False),
        ("facts.wants_reflection_period", True),
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
