"""Open legal questions: consistent with the rows both ways, and settled by data alone.

``tables/open-questions.yaml`` lists the brief's open questions (§10, and §2.2 for V1) with the
rows resting on each. Issue 3: "Settling a question must be a data change only: a test flips one
question in a fixture table set and shows the outcomes change with no code change."
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

CONDITIONS_2022 = Path("utl-5-15-conditions/2022-08-01.yaml")
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
            "      - utl-5-15-standing@2022-08-01/5-15-sn-transitional\n",
            "",
            [
                "utl-5-15-standing@2022-08-01/5-15-sn-transitional names Q4, but Q4's rows "
                "do not list it",
            ],
        ),
        (  # Q3 claims a row that does not rest on it
            "    where_to_verify: The last lines of SFS 2007:322 (SRC-02).\n    rows: []",
            "    where_to_verify: The last lines of SFS 2007:322 (SRC-02).\n"
            "    rows: [utl-5-15-outcome@2007-07-01/5-15-2st-grant]",
            [
                "Q3 lists utl-5-15-outcome@2007-07-01/5-15-2st-grant, which does not name it "
                "(or does not exist)"
            ],
        ),
    ],
    ids=["row-not-listed", "listed-row-not-naming"],
)
def test_a_disagreement_is_reported(
    tables_copy: Path, old: str, new: str, expected: list[str]
) -> None:
    plant(tables_copy, QUESTIONS, old, new)
    assert inconsistencies(load_table_set(tables_copy)) == expected


# Settling a question is a data change only.

BOARD_NO_INVESTIGATION = Case.model_validate(
    {
        "decision_date": "2023-11-06",
        "applicant": "social_welfare_board",
        "permit": "reflection_period",
        "facts": {"presumed_offence": "trafficking", "needed_for_investigation": False},
    }
)
FUL_OTHER_CRIME = Case.model_validate(
    {
        "decision_date": "2023-10-30",
        "applicant": "preliminary_investigation_leader",
        "permit": "reflection_period",
        "facts": {"presumed_offence": "other_crime", "needed_for_investigation": True},
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


def test_settling_q8_turns_the_board_case_into_a_refusal(tables_copy: Path) -> None:
    shipped = load_table_set(tables_copy)
    before = decide_with(shipped, BOARD_NO_INVESTIGATION, "native")
    assert before.outcome == "needs_review"
    assert "Q8" in before.open_questions

    # Suppose prop. 2021/22:224 settles Q8: the need for an investigation (1 st p. 1) is a
    # condition for the board's application too. Edit the row and the question, nothing else.
    original = _digests(tables_copy)
    plant(
        tables_copy,
        CONDITIONS_2022,
        "when: {route: board_reflection, needed_for_investigation: false}\n"
        "    then: {effect: open}\n"
        "    status: inferred\n"
        "    open_questions: [Q8]\n",
        "when: {route: board_reflection, needed_for_investigation: false}\n"
        "    then: {effect: unmet}\n"
        "    status: inferred\n",
    )
    plant(tables_copy, QUESTIONS, "      - utl-5-15-conditions@2022-08-01/5-15-2st-sn-p1\n", "")
    changed = {k for k, v in _digests(tables_copy).items() if original.get(k) != v}
    assert changed == {CONDITIONS_2022.as_posix(), QUESTIONS.as_posix()}

    settled = load_table_set(tables_copy)
    assert inconsistencies(settled) == []
    assert settled.content_hash != shipped.content_hash
    after = decide_with(settled, BOARD_NO_INVESTIGATION, "native")
    assert after.outcome == "refuse"
    assert after.permit is None
    assert "Q8" not in after.open_questions
    assert [c.id for c in after.unmet_conditions] == ["5-15-2st-sn-p1"]
    assert after.unmet_conditions[0].citation.paragraph == 1
    assert after.unmet_conditions[0].citation.point == 1

    # Only the case the question decided changes; the board's extension still rests on Q8.
    assert _changed(_outcomes(shipped), _outcomes(settled)) == {
        "v3-board-no-investigation-need-q8": ("needs_review", "refuse"),
    }


def test_settling_q2_grants_the_investigation_leaders_reflection_period(
    tables_copy: Path,
) -> None:
    shipped = load_table_set(tables_copy)
    before = decide_with(shipped, FUL_OTHER_CRIME, "native")
    assert before.outcome == "needs_review"
    assert "Q2" in before.open_questions

    # Suppose the 2022 text turns out not to limit the förundersökningsledare's reflection
    # period to BrB 4:1 a/1 b victims: drop the rows that kept it open (also the one for an
    # application lodged before the amendment: both wordings then grant it), and their listings.
    path = tables_copy / CONDITIONS_2022
    for row_id in ("5-15-2st-victim", "5-15-2st-victim-transitional"):
        text = path.read_text(encoding="utf-8")
        start = text.index(f"  - id: {row_id}\n")
        end = text.index("  - id: ", start + 1)
        path.write_text(text[:start] + text[end:], encoding="utf-8")
    plant(tables_copy, QUESTIONS, "      - utl-5-15-conditions@2022-08-01/5-15-2st-victim\n", "")
    for _ in range(2):  # listed under Q2 and under Q4
        plant_first(
            tables_copy,
            QUESTIONS,
            "      - utl-5-15-conditions@2022-08-01/5-15-2st-victim-transitional\n",
        )

    settled = load_table_set(tables_copy)
    assert inconsistencies(settled) == []
    after = decide_with(settled, FUL_OTHER_CRIME, "native")
    assert after.outcome == "grant"
    assert after.permit is not None
    assert (after.permit.type, after.permit.days, after.permit.min_months) == (
        "reflection_period",
        30,
        None,
    )
    assert any(c.paragraph == 2 and c.point is None for c in after.legal_basis)
    assert after.unmet_conditions == ()

    # Exactly the investigation leader's reflection periods for other crimes change, to grant.
    assert _changed(_outcomes(shipped), _outcomes(settled)) == {
        "v3-ful-reflection-other-crime-q2": ("needs_review", "grant"),
        "v3-ful-reflection-witness-no-offence-q2": ("needs_review", "grant"),
        "v3-ful-eu-citizen-other-crime-q2": ("needs_review", "grant"),
        "t2022-ful-reflection-other-crime-day-of": ("needs_review", "grant"),
        "t2022-ful-reflection-other-crime-lodged-before": ("needs_review", "grant"),
    }


def plant_first(tables: Path, relative: Path, line: str) -> None:
    """Remove the first occurrence of ``line`` from a table-set file."""
    path = tables / relative
    text = path.read_text(encoding="utf-8")
    assert line in text, line
    path.write_text(text.replace(line, "", 1), encoding="utf-8")


def test_the_fixture_is_a_copy_of_the_shipped_tables(tables_copy: Path) -> None:
    assert _digests(tables_copy) == _digests(default_tables_dir())
