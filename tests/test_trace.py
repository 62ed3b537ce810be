"""Every decision explains itself: one case of each outcome, its trace checked field by field.

For each outcome (grant, may_grant, refuse, no_standing, needs_review) the expected rows are
written out here from reading the tables; everything else is checked against the loaded table
files themselves: table versions and sha256 (of the bytes on disk), the fired rows' conditions,
outputs, notes and citations, the conditions met and unmet, ``rules_fired``,
``unmet_conditions``, ``legal_basis``, ``open_questions``, and the sv/en explanation, which must
be exactly the fired rows' notes in the documented order (never text written per case).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from typing import Any

import pytest
from support import BOARD_REFLECTION, ENGINES

from betanketid_rules import Case, Decision, evaluate
from betanketid_rules._contract import Citation, TraceRow, TraceStep
from betanketid_rules._tables import Table, default_table_set
from betanketid_rules._tables._columns import CaseField, DerivedValue
from betanketid_rules._tables._format import Row

TABLE_SET = default_table_set()
STANDING, CONDITIONS, OUTCOME, REMARKS = (
    "utl-5-15-standing",
    "utl-5-15-conditions",
    "utl-5-15-outcome",
    "utl-5-15-remarks",
)
#: The families read after the outcome: what a decision brings, how it is challenged.
APPEAL, EFFECTS = "utl-5-15-appeal", "utl-5-15-effects"
AFTER_OUTCOME = (APPEAL, EFFECTS)
LABELS = {
    "sv": {
        "conditions": "Villkor som inte är uppfyllda eller är öppna:",
        "questions": "Öppna rättsfrågor:",
    },
    "en": {"conditions": "Conditions not met or open:", "questions": "Open legal questions:"},
}


@dataclasses.dataclass(frozen=True)
class Expected:
    """One case and what its decision must show, read off the tables by hand."""

    case: dict[str, Any]
    outcome: str
    permit: tuple[str, int | None, int | None] | None
    fired: dict[str, tuple[str, ...]]
    met: tuple[str, ...] = ()
    unmet: tuple[str, ...] = ()
    #: The explanation: (family, row id) for a row's note, or "conditions" for its label; the
    #: open questions of the fired rows (if any) follow, as LABELS' "questions".
    explanation: tuple[tuple[str, str] | str, ...] = ()


CASES = {
    "grant": Expected(
        case=BOARD_REFLECTION,
        outcome="grant",
        permit=("reflection_period", 30, None),
        fired={
            STANDING: ("5-15-2st-sn",),
            OUTCOME: ("5-15-2st-grant",),
            EFFECTS: (
                "work-permit-required",
                "passport-waived",
                "granted-after-entry",
                "no-application-fee",
                "reception-act-excluded",
                "health-care-act-covered",
                "inform-about-15d",
            ),
        },
        met=("5-15-2st-in-sweden", "5-15-1st-p1", "5-15-1st-p4", "5-15-2st-wants"),
        explanation=((OUTCOME, "5-15-2st-grant"), (STANDING, "5-15-2st-sn")),
    ),
    "may_grant": Expected(
        case={
            "decision_date": "2023-03-15",
            "applicant": "preliminary_investigation_leader",
            "permit": "evidence_person_extension",
            "person": {"in_sweden": False},  # not a condition of an extension
            "facts": {
                "needed_for_investigation": True,
                "willing_to_cooperate": True,
                "ties_broken": True,
            },
        },
        outcome="may_grant",
        permit=("evidence_person", None, None),
        fired={
            STANDING: ("5-15-3st-fu-1",),
            OUTCOME: ("5-15-3st-1-extend",),
            EFFECTS: (
                "work-permit-exempt",
                "passport-waived",
                "granted-after-entry",
                "no-application-fee",
                "reception-act-excluded",
                "health-care-act-covered",
                "municipal-reimbursement",
                "inform-about-15d",
            ),
        },
        met=("5-15-1st-p1", "5-15-1st-p2", "5-15-1st-p3", "5-15-1st-p4"),
        explanation=((OUTCOME, "5-15-3st-1-extend"), (STANDING, "5-15-3st-fu-1")),
    ),
    "refuse": Expected(
        case={
            "decision_date": "2023-03-15",
            "applicant": "preliminary_investigation_leader",
            "permit": "evidence_person",
            "person": {"in_sweden": True, "is_child": True, "eu_citizen": True},
            "facts": {"needed_for_investigation": True},
        },
        outcome="refuse",
        permit=None,
        fired={
            STANDING: ("5-15-1st-fu",),
            CONDITIONS: ("5-15-1st-p2", "5-15-1st-p3"),
            OUTCOME: ("outcome-refuse",),
            APPEAL: ("appeal-refusal-fu",),
            EFFECTS: ("no-application-fee",),
            REMARKS: ("remark-eu-citizen", "remark-child"),
        },
        met=("5-15-1st-in-sweden", "5-15-1st-p1", "5-15-1st-p4"),
        unmet=("5-15-1st-p2", "5-15-1st-p3"),
        explanation=(
            (OUTCOME, "outcome-refuse"),
            (STANDING, "5-15-1st-fu"),
            "conditions",
            (CONDITIONS, "5-15-1st-p2"),
            (CONDITIONS, "5-15-1st-p3"),
            (REMARKS, "remark-eu-citizen"),
            (REMARKS, "remark-child"),
        ),
    ),
    "no_standing": Expected(
        case={
            "decision_date": "2015-06-01",
            "application_date": "2015-05-01",
            "applicant": "the_person",
            "permit": "reflection_period",
        },
        outcome="no_standing",
        permit=None,
        fired={
            STANDING: ("5-15-no-standing",),
            OUTCOME: ("outcome-no-standing",),
            APPEAL: ("appeal-no-standing",),
        },
        explanation=((OUTCOME, "outcome-no-standing"), (STANDING, "5-15-no-standing")),
    ),
    "needs_review": Expected(
        case={
            "decision_date": "2022-08-15",
            "application_date": "2022-07-20",
            "applicant": "social_welfare_board",
            "permit": "reflection_period",
            "facts": {"presumed_offence": "exploitation", "needed_for_investigation": True},
        },
        outcome="needs_review",
        permit=None,
        fired={
            STANDING: ("5-15-sn-transitional",),
            OUTCOME: ("outcome-review-standing",),
        },
        explanation=(
            (OUTCOME, "outcome-review-standing"),
            (STANDING, "5-15-sn-transitional"),
        ),
    ),
}


def _engines() -> list[Any]:
    return list(ENGINES)


@pytest.fixture(params=_engines())
def engine(request: pytest.FixtureRequest) -> str:
    """Both engines: the trace is the same whichever matched the rows."""
    return str(request.param)


def _decide(name: str, engine: str) -> tuple[Case, Decision, tuple[Table, ...]]:
    case = Case.model_validate(CASES[name].case)
    return case, evaluate(case, engine=engine), TABLE_SET.chain_on(case.decision_date)


def _row(table: Table, row_id: str) -> Row:
    return next(row for row in table.spec.rows if row.id == row_id)


def _table(chain: tuple[Table, ...], family: str) -> Table:
    return next(table for table in chain if table.family == family)


def _check_citation(citation: Citation, row: Row, index: int = 0) -> None:
    """``citation`` is the row's ``index``-th citation, resolved in ``sources.yaml``."""
    cited = row.citations[index]
    sources = TABLE_SET.sources
    assert citation.act == (sources[cited.act].sfs or sources[cited.act].title)
    assert (citation.chapter, citation.section, citation.paragraph) == (
        cited.chapter,
        cited.section,
        cited.paragraph,
    )
    assert (citation.point, citation.sentence) == (cited.point, cited.sentence)
    assert (citation.status, citation.source) == (cited.status, cited.source)
    assert citation.url == sources[cited.source].url
    wording = sources[cited.wording]
    if wording.sfs:
        assert citation.wording == f"SFS {wording.sfs}"
    else:
        assert citation.wording == (wording.short.sv if wording.short else wording.title)


def _check_row_citations(citations: tuple[Citation, ...], row: Row) -> None:
    """The row's citations in order, each followed by its preparatory works (with pages)."""
    remaining = list(citations)
    for index, cited in enumerate(row.citations):
        _check_citation(remaining.pop(0), row, index)
        for work in cited.preparatory_works:
            entry = remaining.pop(0)
            assert (entry.source, entry.pages) == (work.source, work.pages)
            assert entry.title == TABLE_SET.sources[work.source].title
            assert entry.status == cited.status
    assert remaining == []


@pytest.mark.parametrize("name", CASES)
def test_outcome_and_permit(name: str, engine: str) -> None:
    _, decision, _ = _decide(name, engine)
    expected = CASES[name]
    assert decision.outcome == expected.outcome
    permit = decision.permit
    shown = None if permit is None else (permit.type, permit.days, permit.min_months)
    assert shown == expected.permit
    assert decision.engine == engine


@pytest.mark.parametrize("name", CASES)
def test_tables_consulted_are_the_loaded_files_with_version_and_hash(
    name: str, engine: str
) -> None:
    case, decision, chain = _decide(name, engine)
    # An application's chain: every family of the application matter, in evaluation order.
    applications = [f for f in TABLE_SET.order if TABLE_SET.matter_of(f) == "application"]
    assert [table.family for table in chain] == applications
    assert len(decision.tables) == len(decision.trace) == len(chain)
    for ref, step, table in zip(decision.tables, decision.trace, chain, strict=True):
        on_disk = hashlib.sha256(table.path.read_bytes()).hexdigest()
        assert (ref.id, ref.version, ref.sha256) == (table.family, table.path.stem, on_disk)
        assert (step.table, step.version, step.sha256) == (table.family, table.path.stem, on_disk)
        assert ref.in_force_from <= case.decision_date
        assert ref.in_force_to is None or case.decision_date <= ref.in_force_to
        assert (ref.in_force_from, ref.in_force_to) == (
            table.spec.in_force_from,
            table.spec.in_force_to,
        )
        policy = table.spec.hit_policy
        assert step.hit_policy == (
            f"{policy} {table.spec.aggregation}" if table.spec.aggregation else policy
        )


@pytest.mark.parametrize("name", CASES)
def test_each_step_reads_the_case_and_the_outputs_upstream(name: str, engine: str) -> None:
    case, decision, chain = _decide(name, engine)
    outputs: dict[str, object] = {}
    for step, table in zip(decision.trace, chain, strict=True):
        for column in table.columns:
            source = column.source
            expected: object
            if isinstance(source, CaseField):
                expected = source.read(case)
            elif isinstance(source, DerivedValue):
                expected = source.read(case, table.spec.in_force_from)
            else:
                expected = outputs[source.text]
            assert step.inputs[column.name] == expected, (table.key, column.name)
        for output, value in step.outputs.items():
            outputs[f"{table.family}.{output}"] = value


def _check_fired_row(fired: TraceRow, step: TraceStep, row: Row) -> None:
    assert fired.id == row.id
    assert fired.status == row.status
    assert [condition.column for condition in fired.conditions] == list(row.when)
    for condition in fired.conditions:
        cell = row.when[condition.column]
        assert condition.required == (tuple(cell) if isinstance(cell, list) else (cell,))
        assert condition.value == step.inputs[condition.column]
        assert condition.value in condition.required  # a fired row's cells all hold
    assert fired.outputs == dict(row.then)
    assert fired.open_questions == row.open_questions
    assert (fired.note_sv, fired.note_en) == (row.note.sv, row.note.en)
    _check_row_citations(fired.citations, row)


@pytest.mark.parametrize("name", CASES)
def test_fired_rows_with_their_conditions_outputs_notes_and_citations(
    name: str, engine: str
) -> None:
    _, decision, chain = _decide(name, engine)
    expected = CASES[name]
    for step, table in zip(decision.trace, chain, strict=True):
        assert tuple(row.id for row in step.fired) == expected.fired.get(table.family, ()), (
            table.key
        )
        for fired in step.fired:
            _check_fired_row(fired, step, _row(table, fired.id))
    assert decision.rules_fired == tuple(
        f"{family}/{row_id}"
        for family in TABLE_SET.order
        if family not in AFTER_OUTCOME  # effects name their own rule
        for row_id in expected.fired.get(family, ())
    )


@pytest.mark.parametrize("name", CASES)
def test_conditions_met_and_unmet_each_with_its_provision(name: str, engine: str) -> None:
    _, decision, chain = _decide(name, engine)
    expected = CASES[name]
    for step, table in zip(decision.trace, chain, strict=True):
        met = tuple(check.id for check in step.conditions_met)
        unmet = tuple(check.id for check in step.conditions_unmet)
        if table.family == CONDITIONS:
            assert (met, unmet) == (expected.met, expected.unmet)
            assert unmet == tuple(row.id for row in step.fired)  # a fired condition is unmet
        else:
            assert (met, unmet) == ((), ())  # only a table of conditions has them
        for check in (*step.conditions_met, *step.conditions_unmet):
            _check_citation(check.citation, _row(table, check.id))

    conditions = _table(chain, CONDITIONS)
    assert [item.id for item in decision.unmet_conditions] == list(expected.unmet)
    for item in decision.unmet_conditions:
        row = _row(conditions, item.id)
        assert (item.text_sv, item.text_en) == (row.note.sv, row.note.en)
        assert item.open_questions == row.open_questions
        _check_citation(item.citation, row)


def _open_questions(name: str, chain: tuple[Table, ...]) -> tuple[str, ...]:
    """The open questions of the expected fired rows, as the table files list them."""
    questions = [
        question
        for family in TABLE_SET.order
        if family not in AFTER_OUTCOME
        for row_id in CASES[name].fired.get(family, ())
        for question in _row(_table(chain, family), row_id).open_questions
    ]
    return tuple(dict.fromkeys(questions))


@pytest.mark.parametrize("name", CASES)
def test_legal_basis_and_open_questions_come_from_the_fired_rows(name: str, engine: str) -> None:
    _, decision, chain = _decide(name, engine)
    assert decision.open_questions == _open_questions(name, chain)
    in_order = [
        c
        for step in decision.trace
        if step.table not in AFTER_OUTCOME
        for row in step.fired
        for c in row.citations
    ]
    assert decision.legal_basis == tuple(dict.fromkeys(in_order))
    questions = [
        q
        for step in decision.trace
        if step.table not in AFTER_OUTCOME
        for row in step.fired
        for q in row.open_questions
    ]
    assert decision.open_questions == tuple(dict.fromkeys(questions))
    for question in decision.open_questions:
        assert question in TABLE_SET.questions


@pytest.mark.parametrize("name", CASES)
def test_effects_are_the_rows_fired_after_the_outcome(name: str, engine: str) -> None:
    """Each row a table read after the outcome fires is one effect, with the row's own status,
    citations, open questions and note, and none of it enters the legal basis."""
    _, decision, chain = _decide(name, engine)
    expected = [
        (family, row_id)
        for family in TABLE_SET.order
        if family in AFTER_OUTCOME
        for row_id in CASES[name].fired.get(family, ())
    ]
    assert [(effect.table, effect.rule) for effect in decision.effects] == expected
    for effect in decision.effects:
        row = _row(_table(chain, effect.table), effect.rule)
        assert (effect.effect,) == tuple(row.then.values())
        assert (effect.status, effect.open_questions) == (row.status, row.open_questions)
        assert (effect.text_sv, effect.text_en) == (row.note.sv, row.note.en)
        _check_row_citations(effect.citations, row)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("name", CASES)
def test_explanation_is_the_fired_rows_notes_in_order(name: str, lang: str, engine: str) -> None:
    _, decision, chain = _decide(name, engine)
    expected = CASES[name]
    parts = []
    for part in expected.explanation:
        if isinstance(part, str):
            parts.append(LABELS[lang][part])
        else:
            family, row_id = part
            note = _row(_table(chain, family), row_id).note
            parts.append(note.sv if lang == "sv" else note.en)
    questions = _open_questions(name, chain)
    if questions:  # last, after every note
        parts.append(f"{LABELS[lang]['questions']} {', '.join(questions)}.")
    assert getattr(decision.explanation, lang) == " ".join(parts)


def test_the_five_cases_cover_every_outcome() -> None:
    assert {expected.outcome for expected in CASES.values()} == {
        "grant",
        "may_grant",
        "refuse",
        "no_standing",
        "needs_review",
    }
    assert {
        TABLE_SET.select(STANDING, dt.date.fromisoformat(e.case["decision_date"])).version
        for e in CASES.values()
    } == {"2015-01-01", "2022-08-01"}  # 2015-06-01: the wording of SFS 2014:655
