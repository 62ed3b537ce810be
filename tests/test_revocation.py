"""Revocation as a matter of its own: the contract's additions, the chain of the matter, and the
engines on every case of it.

The legal answers are the scenarios' (``tests/scenarios/revocation.yaml``, written from the
statute text); this module holds what is not a single scenario: an application is unchanged
by the matter's existence, a revocation's input is refused with the field and the reason, the
two chains never mix, and the engines agree on every revocation case a period can tell apart.
"""

from __future__ import annotations

import datetime as dt
import json
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from revocation_law import check_revocation_by_law, revocation_sample
from support import BOARD_REFLECTION, ENGINES, needs_durable

from betanketid_rules import Case, evaluate
from betanketid_rules._engine import decide_with
from betanketid_rules._export._dmn import write_dmn
from betanketid_rules._export._relation import decision_relation
from betanketid_rules._messages import MESSAGES, message
from betanketid_rules._tables import default_table_set, load_table_set
from betanketid_rules._types import Applicant
from betanketid_rules._verify.diff import diff_dates, diff_table_versions

TABLE_SET = default_table_set()

REVOKE_BOARD_REFLECTION: dict[str, Any] = {
    "decision_date": "2023-03-15",
    "applicant": "social_welfare_board",
    "permit": "reflection_period",
    "matter": "revocation",
    "revocation": {
        "granted_on": "2022-10-03",
        "condition_no_longer_met": "needed_for_investigation",
        "applicant_heard": True,
    },
}


def _revocation(**changes: Any) -> dict[str, Any]:
    case = json.loads(json.dumps(REVOKE_BOARD_REFLECTION))
    revocation = changes.pop("revocation", {})
    if revocation is None:
        case["revocation"] = None
    else:
        case["revocation"].update(revocation)
    case.update(changes)
    return case


def test_an_application_is_written_as_before_the_matter_existed() -> None:
    case = Case.model_validate(BOARD_REFLECTION)
    dumped = case.model_dump(mode="json")
    assert "matter" not in dumped
    assert "revocation" not in dumped
    assert case.matter == "application"
    assert case.revocation is None
    assert Case.model_validate(dumped) == case


def test_a_revocation_round_trips_without_the_application_fields() -> None:
    case = Case.model_validate(REVOKE_BOARD_REFLECTION)
    dumped = case.model_dump(mode="json")
    assert set(dumped) == {"decision_date", "applicant", "permit", "matter", "revocation"}
    assert Case.model_validate(dumped) == case
    assert Case.model_validate_json(case.model_dump_json()) == case


@pytest.mark.parametrize(
    ("case", "code", "field"),
    [
        ({**BOARD_REFLECTION, "matter": "revocation"}, "revocation_required", "revocation"),
        (
            {**BOARD_REFLECTION, "revocation": {"granted_on": "2022-10-03"}},
            "revocation_on_application",
            "revocation",
        ),
        (_revocation(facts={"ties_broken": True}), "application_field_on_revocation", "facts"),
        (_revocation(person={}), "application_field_on_revocation", "person"),
        (
            _revocation(application_date="2023-01-01"),
            "application_field_on_revocation",
            "application_date",
        ),
        (
            _revocation(revocation={"granted_on": "2023-03-16"}),
            "granted_after_decision",
            "granted_on",
        ),
        (
            _revocation(revocation={"granted_on": "2006-03-30"}),
            "granted_before_the_act",
            "2006-03-31",
        ),
        (_revocation(revocation={"heard": True}), "extra_forbidden", "heard"),
        (_revocation(revocation={"police_applied": 1}), "bool_type", "police_applied"),
        (_revocation(revocation={"condition_no_longer_met": "gone"}), "literal_error", "none"),
        (_revocation(revocation=None), "null_field", "revocation"),
    ],
)
def test_bad_revocation_input_names_the_field_and_the_reason(
    case: dict[str, Any], code: str, field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        Case.model_validate(case)
    errors = raised.value.errors()
    assert [error["type"] for error in errors] == [code]
    where = ".".join(map(str, errors[0]["loc"]))
    assert field in f"{where} {errors[0]['msg']}"


def test_the_revocation_messages_speak_both_languages() -> None:
    codes = (
        "revocation_required",
        "revocation_on_application",
        "application_field_on_revocation",
        "granted_after_decision",
        "granted_before_the_act",
    )
    params = {"field": "facts", "date": "2006-03-31"}
    for code in codes:
        assert set(MESSAGES[code]) == {"sv", "en"}
        swedish, english = (message(code, lang, params, "") for lang in ("sv", "en"))
        assert swedish and english and swedish != english


def test_the_chains_of_the_two_matters_never_mix() -> None:
    revocation = {"utl-7-7b-transitional", "utl-7-revocation", "utl-7-revocation-appeal"}
    for day in TABLE_SET.change_dates() + TABLE_SET.change_dates("revocation"):
        applications = {table.family for table in TABLE_SET.chain_on(day)}
        revocations = {table.family for table in TABLE_SET.chain_on(day, "revocation")}
        assert not applications & revocation
        assert revocations <= revocation
        assert "utl-7-revocation" in revocations
    assert TABLE_SET.change_dates("revocation") == tuple(
        dt.date.fromisoformat(day)
        for day in (
            "2006-03-31",
            "2007-07-01",
            "2010-07-01",
            "2013-08-01",
            "2015-01-01",
            "2022-08-01",
        )
    )
    assert [p.first_day for p in TABLE_SET.periods()] == list(TABLE_SET.change_dates())


@pytest.mark.parametrize("engine", ENGINES)
def test_an_application_decides_as_before_and_a_revocation_by_its_own_chain(engine: str) -> None:
    application = evaluate(BOARD_REFLECTION, engine=engine)
    assert application.outcome == "grant"
    assert all(not ref.id.startswith("utl-7-") for ref in application.tables)
    revocation = evaluate(REVOKE_BOARD_REFLECTION, engine=engine)
    assert revocation.outcome == "may_revoke"
    assert revocation.permit is None
    assert {ref.id for ref in revocation.tables} == {
        "utl-7-7b-transitional",
        "utl-7-revocation",
        "utl-7-revocation-appeal",
    }


def test_the_wording_in_force_names_the_police_of_its_time() -> None:
    def decided(day: str) -> Any:
        return evaluate(
            {
                "decision_date": day,
                "applicant": "police_authority",
                "permit": "protected_person",
                "matter": "revocation",
                "revocation": {
                    "granted_on": "2010-09-01",
                    "condition_no_longer_met": "special_personal_security",
                    "police_applied": True,
                },
            }
        )

    before, after = decided("2014-12-31"), decided("2015-01-01")
    assert {c.wording for c in before.legal_basis} == {"SFS 2010:533"}
    assert "Rikspolisstyrelsen" in before.explanation.sv
    assert "Rikspolisstyrelsen" in before.explanation.en
    assert {c.wording for c in after.legal_basis} == {"SFS 2014:655"}
    assert "Polismyndigheten" in after.explanation.sv
    assert "Rikspolisstyrelsen" not in after.explanation.sv


def _every_revocation(day: dt.date) -> list[Case]:
    """Every revocation case a table of ``day`` can tell apart: each permit, applicant,
    condition, hearing and police application, granted before and on 1 July 2007 (when the
    decision date allows)."""
    return list(
        revocation_sample(
            [day],
            applicants=typing.get_args(Applicant),
            granted_on=(dt.date(2006, 4, 1), dt.date(2007, 7, 1)),
        )
    )


@needs_durable
@pytest.mark.parametrize(
    "period", TABLE_SET.periods("revocation"), ids=lambda p: p.first_day.isoformat()
)
def test_the_engines_agree_on_every_revocation_case(period: Any) -> None:
    cases = _every_revocation(period.first_day)
    native = [evaluate(case) for case in cases]
    durable = [evaluate(case, engine="durable") for case in cases]
    for case, one, other in zip(cases, native, durable, strict=True):
        assert one.model_dump(exclude={"engine"}) == other.model_dump(exclude={"engine"}), case
    assert all(decision.permit is None for decision in native)
    outcomes = {decision.outcome for decision in native}
    assert outcomes <= {
        "may_revoke",
        "hear_first",
        "no_ground",
        "police_must_apply",
        "not_applicable",
    }


def test_a_date_diff_compares_each_matter_on_its_own() -> None:
    report = diff_dates(TABLE_SET, dt.date(2007, 6, 30), dt.date(2007, 7, 1))
    titles = [comparison.title for comparison in report.comparisons]
    assert titles == ["2007-06-30 → 2007-07-01", "2007-06-30 → 2007-07-01 (revocation)"]
    revocation = report.comparisons[1]
    changes = {(c.before.label, c.after.label) for c in revocation.decision_changes}
    assert changes == {
        ("not_applicable", "may_revoke"),
        ("not_applicable", "hear_first"),
        ("not_applicable", "no_ground"),
    }
    # SFS 2014:655 renamed the police: no revocation decides otherwise, the wording changes.
    renamed = diff_dates(TABLE_SET, dt.date(2014, 12, 31), dt.date(2015, 1, 1)).comparisons
    assert [c.title for c in renamed][-1].endswith("(revocation)")
    assert renamed[-1].decision_changes == []
    assert renamed[-1].basis_changes
    tables = diff_table_versions(
        TABLE_SET, "utl-7-revocation@2014-12-31", "utl-7-revocation@2015-01-01"
    )
    assert tables.comparisons[0].decision_changes == []


def test_the_relation_and_the_chained_dmn_cover_applications_only(tmp_path: Path) -> None:
    relation = decision_relation(TABLE_SET)
    assert not any(column.startswith(("revocation", "matter")) for column in relation.columns)
    assert "granted_before_in_force" not in relation.columns
    for period in relation.periods:
        assert not any(key.startswith("utl-7-") for key in period[3])
    written = [path.name for path in write_dmn(TABLE_SET, tmp_path)]
    assert "utl-7-revocation@2022-08-01.dmn" in written
    chained = [name for name in written if name.startswith("in-force@")]
    assert len(chained) == len(TABLE_SET.periods())
    for name in chained:
        assert "utl-7-" not in (tmp_path / name).read_text(encoding="utf-8")


#: Each revocation period's first and last day, and the days around every change.
LAW_DAYS = sorted(
    {p.first_day for p in TABLE_SET.periods("revocation")}
    | {p.first_day - dt.timedelta(days=1) for p in TABLE_SET.periods("revocation")[1:]}
    | {dt.date(2026, 1, 1)}
)


@pytest.mark.parametrize("day", LAW_DAYS, ids=str)
def test_every_revocation_is_decided_as_the_law_says(day: dt.date) -> None:
    failures = [
        found
        for case in revocation_sample([day])
        if (found := check_revocation_by_law(evaluate, case)) is not None
    ]
    assert failures == [], failures[:3]


def test_the_law_check_catches_a_wrong_revocation_table(tables_copy: Path) -> None:
    """A reflection permit revoked without hearing the board: the check must say so."""
    path = tables_copy / "utl-7-revocation/2022-08-01.yaml"
    text = path.read_text(encoding="utf-8")
    old = "heard: false, granted: from_7b}\n    then: {outcome: hear_first}"
    assert text.count(old) == 2
    path.write_text(text.replace(old, old.replace("hear_first", "may_revoke"), 1), "utf-8")
    table_set = load_table_set(tables_copy)
    failures = [
        found
        for case in revocation_sample([dt.date(2023, 1, 1)])
        if (found := check_revocation_by_law(lambda c: decide_with(table_set, c, "native"), case))
    ]
    assert failures and all("outcome may_revoke, the law: hear_first" in f for f in failures)


def test_the_revocation_sample_fires_every_row_of_the_revocation_tables() -> None:
    days = [p.first_day for p in TABLE_SET.periods("revocation")]
    fired = {
        f"{step.table}@{step.version}/{row.id}"
        for case in revocation_sample(days)
        for step in evaluate(case).trace
        for row in step.fired
    }
    rows = {
        table.row_key(row.id)
        for table in TABLE_SET
        if TABLE_SET.matter_of(table.family) == "revocation"
        for row in table.spec.rows
    }
    assert sorted(rows - fired) == []
