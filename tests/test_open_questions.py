"""Open legal questions: consistent with the rows, and settled by data alone.

``tables/open-questions.yaml`` lists the brief's open questions (§10, and §2.2 for V1); the
rows name the questions they rest on (written once, there); a settled one is kept as the record
of what settled it, and no row may rest on it. Issue 3: "Settling a question must be a data
change only: a test flips one question in a fixture table set and shows the outcomes change
with no code change."
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from scenarios_lib import SCENARIO_DIR, load_scenarios
from support import BOARD_REFLECTION, plant

from betanketid_rules import Case
from betanketid_rules._engine import decide_with
from betanketid_rules._tables import TableSet, default_table_set, default_tables_dir, load_table_set
from betanketid_rules._tables._questions import question_problems

STANDING_2022 = Path("utl-5-15-standing/2022-08-01.yaml")
QUESTIONS = Path("open-questions.yaml")
SCENARIOS = load_scenarios(SCENARIO_DIR)


def inconsistencies(table_set: TableSet) -> list[str]:
    """Every way the questions, the rows and the sources disagree (the rule ``check`` uses)."""
    return [problem.message for problem in question_problems(table_set)]


def test_questions_and_rows_agree() -> None:
    assert inconsistencies(default_table_set()) == []


def test_the_rows_say_which_question_they_rest_on_and_the_set_answers_the_other_way() -> None:
    table_set = default_table_set()
    for question in table_set.questions:
        for reference in table_set.rows_resting_on(question):
            key, _, row_id = reference.partition("/")
            table = table_set.table(key)
            assert question in table.spec.rows[table.row_index[row_id]].open_questions


def test_each_question_points_back_to_the_brief() -> None:
    brief_ids = {f"Q{n}" for n in range(1, 18)}
    # The project's own questions, not in the brief's list (§10): Q-V1 (the unread 2006
    # wording), and from issue 13, step 3, Q18 (the 2010 wording of 15 b and 16 a §§ and
    # 14 kap. 4 a §) and Q19 (who appeals a 15 d § refusal), and from the revocation matter
    # Q20 (whether SFS 2007:322's transitional point 2 holds for the 2022 wording of 7 kap.
    # 7 b §); each still names the brief's sections it rests on.
    own_ids = {"Q-V1", "Q18", "Q19", "Q20"}
    for qid, question in default_table_set().questions.items():
        assert qid in brief_ids or qid in own_ids, qid
        assert question.brief_ref.startswith("brief §"), qid
        if qid in brief_ids:
            assert f"§10 {qid}" in question.brief_ref, (qid, question.brief_ref)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (  # the one row resting on Q4 no longer names it: Q4 rests on nothing
            "    then: {route: open}\n    status: inferred\n    open_questions: [Q4]\n",
            "    then: {route: open}\n    status: inferred\n",
            [
                "open question Q4 is named by no row and no source",
                "row 5-15-sn-transitional outputs route=open (an open legal question decides) "
                "but names no open question",
            ],
        ),
        (  # a row still rests on Q2, which the statute text settled
            "    open_questions: [Q4]\n",
            "    open_questions: [Q2, Q4]\n",
            ["row 5-15-sn-transitional rests on question Q2, which is settled"],
        ),
    ],
    ids=["question-named-by-nothing", "row-on-settled-question"],
)
def test_a_disagreement_is_reported(
    tables_copy: Path, old: str, new: str, expected: list[str]
) -> None:
    plant(tables_copy, STANDING_2022, old, new)
    assert inconsistencies(load_table_set(tables_copy)) == expected


# Settling a question is a data change only.

BOARD_LODGED_BEFORE = Case.model_validate(
    {**BOARD_REFLECTION, "decision_date": "2022-08-15", "application_date": "2022-07-20"}
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
