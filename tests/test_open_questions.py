"""Open legal questions: consistent with the rows both ways, and settled by data alone.

``tables/open-questions.yaml`` lists the brief's open questions (§10, and §2.2 for V1) with the
rows resting on each; a settled one is kept as the record of what settled it, and no row may
rest on it. Issue 3: "Settling a question must be a data change only: a test flips one question
in a fixture table set and shows the outcomes change with no code change."
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from scenarios_lib import SCENARIO_DIR, load_scenarios
from support import plant

from betanketid_rules import Case
from betanketid_rules._engine import decide_with
from betanketid_rules._tables import TableSet, default_table_set, default_tables_dir, load_table_set

STANDING_2022 = Path("utl-5-15-standing/2022-08-01.yaml")
QUESTIONS = Path("open-questions.yaml")
SCENARIOS = load_scenarios(SCENARIO_DIR)


def inconsistencies(table_set: TableSet) -> list[str]:
    """Every way open-questions.yaml and the rows disagree."""
    problems: list[str] = []
    naming: dict[str, set[str]] = {}
    for table in table_set:
        for row in table.spec.rows:
            key = f"{table.key}/{row.id}"
            for question in row.open_questions:
                naming.setdefault(question, set()).add(key)
                if question not in table_set.questions:
                    problems.append(f"{key} names {question}, which open-questions.yaml lacks")
    by_sources = {s.open_question for s in table_set.sources.values() if s.open_question}
    for question in sorted(by_sources - table_set.questions.keys()):
        problems.append(f"sources.yaml names {question}, which open-questions.yaml lacks")
    for qid, question in table_set.questions.items():
        listed = list(question.rows)
        if len(set(listed)) != len(listed):
            problems.append(f"{qid}: rows lists a row twice")
        named = naming.get(qid, set())
        for key in sorted(set(listed) - named):
            problems.append(f"{qid} lists {key}, which does not name it (or does not exist)")
        if question.state == "settled":
            problems += [f"{key} rests on {qid}, which is settled" for key in sorted(named)]
            if qid in by_sources:
                problems.append(f"sources.yaml names {qid}, which is settled")
            continue
        for key in sorted(named - set(listed)):
            problems.append(f"{key} names {qid}, but {qid}'s rows do not list it")
        if not named and qid not in by_sources:
            problems.append(f"{qid} is named by no row and no source: drop it or cite it")
    return problems


def test_questions_and_rows_agree_both_ways() -> None:
    assert inconsistencies(default_table_set()) == []


def test_each_question_points_back_to_the_brief() -> None:
    brief_ids = {f"Q{n}" for n in range(1, 18)}
    for qid, question in default_table_set().questions.items():
        assert qid in brief_ids or qid == "Q-V1", qid
        assert question.brief_ref.startswith("brief §"), qid
        if qid in brief_ids:
            assert f"§10 {qid}" in question.brief_ref, (qid, question.brief_ref)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (  # Q4 forgets its row
            "    rows:\n      - utl-5-15-standing@2022-08-01/5-15-sn-transitional\n",
            "    rows: []\n",
            [
                "utl-5-15-standing@2022-08-01/5-15-sn-transitional names Q4, but Q4's rows "
                "do not list it",
            ],
        ),
        (  # Q13 claims a row that does not rest on it
            "      en: CELEX 32004L0081.\n    rows: []",
            "      en: CELEX 32004L0081.\n    rows: [utl-5-15-outcome@2007-07-01/5-15-2st-grant]",
            [
                "Q13 lists utl-5-15-outcome@2007-07-01/5-15-2st-grant, which does not name it "
                "(or does not exist)"
            ],
        ),
        (  # a row still rests on Q2, which the statute text settled
            "    open_questions: [Q4]\n",
            "    open_questions: [Q2, Q4]\n",
            ["utl-5-15-standing@2022-08-01/5-15-sn-transitional rests on Q2, which is settled"],
        ),
    ],
    ids=["row-not-listed", "listed-row-not-naming", "row-on-settled-question"],
)
def test_a_disagreement_is_reported(
    tables_copy: Path, old: str, new: str, expected: list[str]
) -> None:
    where = QUESTIONS if "open_questions" not in old else STANDING_2022
    plant(tables_copy, where, old, new)
    assert inconsistencies(load_table_set(tables_copy)) == expected


# Settling a question is a data change only.

BOARD_LODGED_BEFORE = Case.model_validate(
    {
        "decision_date": "2022-08-15",
        "application_date": "2022-07-20",
        "applicant": "social_welfare_board",
        "permit": "reflection_period",
        "facts": {"presumed_offence": "trafficking", "needed_for_investigation": True},
    }
)


def _digests(directory: Path) -> dict[str, str]:
    return {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def _outcomes(table_set: TableSet) -> dict[str, str]:
    """The outcome of every scenario of the suite under ``table_set``."""
    return {s.id: decide_with(table_set, s.case_model, "native").outcome for s in SCENARIOS}


def _changed(before: dict[str, str], after: dict[str, str]) -> dict[str, tuple[str, str]]:
    return {key: (before[key], after[key]) for key in before if before[key] != after[key]}


def test_settling_q4_is_a_data_change_that_flips_exactly_the_cases_it_decided(
    tables_copy: Path,
) -> None:
    """Suppose a source settles Q4: the board's new standing reaches an application lodged
    before 2022-08-01. Editing the row and the question, nothing else, decides those cases on
    the conditions and changes no other decision."""
    shipped = load_table_set(tables_copy)
    before = decide_with(shipped, BOARD_LODGED_BEFORE, "native")
    assert (before.outcome, before.open_questions) == ("needs_review", ("Q4",))

    original = _digests(tables_copy)
    plant(
        tables_copy,
        STANDING_2022,
        "    then: {route: open}\n    status: inferred\n    open_questions: [Q4]\n",
        "    then: {route: board_reflection}\n    status: inferred\n",
    )
    plant(
        tables_copy,
        QUESTIONS,
        "  - id: Q4\n    state: open\n",
        "  - id: Q4\n    state: settled\n",
    )
    plant(
        tables_copy,
        QUESTIONS,
        "    rows:\n      - utl-5-15-standing@2022-08-01/5-15-sn-transitional\n",
        "    rows: []\n",
    )
    changed = {k for k, v in _digests(tables_copy).items() if original.get(k) != v}
    assert changed == {STANDING_2022.as_posix(), QUESTIONS.as_posix()}

    settled = load_table_set(tables_copy)
    assert inconsistencies(settled) == []
    assert settled.content_hash != shipped.content_hash
    after = decide_with(settled, BOARD_LODGED_BEFORE, "native")
    assert after.outcome == "grant"
    assert after.permit is not None
    assert (after.permit.type, after.permit.days) == ("reflection_period", 30)
    assert "Q4" not in after.open_questions

    # Exactly the scenarios Q4 decided change, and each is now decided on its conditions.
    on_q4 = {
        s.id
        for s in SCENARIOS
        if "Q4" in decide_with(shipped, s.case_model, "native").open_questions
    }
    assert on_q4
    changes = _changed(_outcomes(shipped), _outcomes(settled))
    assert set(changes) == on_q4
    assert {after for _, after in changes.values()} <= {"grant", "refuse"}
    assert all(before == "needs_review" for before, _ in changes.values())


def test_the_fixture_is_a_copy_of_the_shipped_tables(tables_copy: Path) -> None:
    assert _digests(tables_copy) == _digests(default_tables_dir())
