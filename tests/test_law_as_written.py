"""The tables follow the statute text of SFS 2022:1015 as read (../shared/legal/statutes.md and
the brief's section "Settled after this brief was written"): the statuses it allows, the
needs_review answers that remain and the questions they name, the registry's record of what
was read, and what no text of the project may say."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections import Counter
from pathlib import Path

from betanketid_rules import Facts, evaluate
from betanketid_rules._tables import Table, default_table_set
from betanketid_rules._verify._split import box_points
from betanketid_rules._verify.diff import chain_regions

TABLE_SET = default_table_set()
ROOT = Path(__file__).resolve().parents[1]

#: Rows of the 2022 wording (standing, conditions, outcome) that are not ``confirmed``, each with
#: why no read text confirms it. Every other row of these tables rests on the text read.
NOT_CONFIRMED_2022 = {
    "utl-5-15-conditions@2022-08-01/5-15-2st-in-sweden": (
        "inferred",
        "2 st. speaks of 'utlänningen'; that it is the foreign national 'som vistas här' of 1 st. "
        "is a close reading, not the words (issue: 'inferred', as before)",
    ),
    "utl-5-15-standing@2022-08-01/5-15-sn-transitional": (
        "inferred",
        "no transitional rule for 5 kap. 15 § (statutes.md); whether 4 st. 2 men. reaches an "
        "application lodged before it existed is open (Q4)",
    ),
    "utl-5-15-outcome@2022-08-01/outcome-review-standing": (
        "inferred",
        "needs_review for an open standing question is the library's rule, not the statute's",
    ),
}


def _rows_2022() -> dict[str, str]:
    statuses = {}
    for family in ("utl-5-15-standing", "utl-5-15-conditions", "utl-5-15-outcome"):
        table = TABLE_SET.table(f"{family}@2022-08-01")
        for row in table.spec.rows:
            statuses[f"{table.key}/{row.id}"] = row.status
    return statuses


def test_the_2022_wording_is_confirmed_but_for_the_readings_beyond_the_text() -> None:
    statuses = _rows_2022()
    not_confirmed = {key: status for key, status in statuses.items() if status != "confirmed"}
    assert not_confirmed == {key: status for key, (status, _) in NOT_CONFIRMED_2022.items()}


def _deciding_tables(on: dt.date) -> list[Table]:
    """The tables on ``on`` that the outcome depends on (the remarks table feeds nothing)."""
    chain = TABLE_SET.chain_on(on)
    needed = {TABLE_SET.outcome_family}
    for table in reversed(chain):
        if table.family in needed:
            needed |= table.upstream_families
    return [table for table in chain if table.family in needed]


def _reviews(on: dt.date) -> Counter[tuple[str, str, str, bool, tuple[str, ...]]]:
    """Every needs_review decision on ``on`` over every combination of the case fields the
    deciding tables read: (applicant, permit, presumed offence, lodged before, questions).

    The combinations are counted by regions, not one by one (the period from 2022-08-01 has
    about 11 million): the space is split into boxes on each of which every deciding table
    fires the same rows (``chain_regions``, as ``diff`` splits it), so every point of a box has
    the decision ``evaluate()`` gives at its first point; a box deciding needs_review is then
    counted per value of the fields of the key it spans."""
    tables = _deciding_tables(on)
    space, boxes = chain_regions(tables, on)
    keyed = [
        i
        for i, source in enumerate(space.sources)
        if source.text.removeprefix("case.").removeprefix("derived.")
        in ("applicant", "permit", "facts.presumed_offence", "lodged_before_in_force")
    ]
    found: Counter[tuple[str, str, str, bool, tuple[str, ...]]] = Counter()
    for box in boxes:
        first = [
            c.domain[(mask & -mask).bit_length() - 1]
            for mask, c in zip(box, space.columns, strict=True)
        ]
        decision = evaluate(space.case(first, on))
        if decision.outcome != "needs_review":
            continue
        options = [
            [(i, v) for b, v in enumerate(space.columns[i].domain) if box[i] >> b & 1]
            for i in keyed
        ]
        each = box_points(box) // math.prod(len(values) for values in options)
        for combo in itertools.product(*options):
            point = list(first)
            for i, value in combo:
                point[i] = value
            case = space.case(point, on)
            lodged = case.application_date is not None and case.application_date < on
            found[
                (
                    case.applicant,
                    case.permit,
                    case.facts.presumed_offence,
                    lodged and case.application_date < dt.date(2022, 8, 1),
                    decision.open_questions,
                )
            ] += each
    return found


def test_every_needs_review_that_remains_names_a_question_still_open() -> None:
    """Only two things are still for review (issue "The law as written"): an evidence-person
    extension under the unread 2006 wording (Q-V1), and a board's reflection application
    lodged before 2022-08-01 and decided after it (Q4). In the 2007 wording nothing is."""
    in_2006 = _reviews(dt.date(2006, 6, 1))
    assert {(a, p, lodged, q) for a, p, _, lodged, q in in_2006} == {
        ("preliminary_investigation_leader", "evidence_person_extension", False, ("Q-V1",))
    }
    assert _reviews(dt.date(2015, 1, 1)) == Counter()
    in_2023 = _reviews(dt.date(2023, 1, 1))
    assert set(in_2023) == {
        ("social_welfare_board", "reflection_period", offence, True, ("Q4",))
        for offence in ("trafficking", "exploitation")
    }
    for question in ("Q-V1", "Q4"):
        assert TABLE_SET.questions[question].state == "open"


def test_the_settled_questions_are_kept_with_what_settled_them() -> None:
    questions = TABLE_SET.questions
    settled = {qid for qid, question in questions.items() if question.state == "settled"}
    assert settled == {"Q1", "Q2", "Q3"}
    for qid in settled:
        answered = questions[qid].answered
        assert answered is not None
        assert "UTLL-CONS" in answered.sources
        assert answered.read_on == dt.date(2026, 12, 1)
    for question in questions.values():
        assert question.question.sv != question.question.en
        assert question.why_it_matters.sv != question.why_it_matters.en
    # Q4 keeps only what no source settles; the absent transitional rule is recorded as answered.
    q4 = questions["Q4"]
    assert q4.answered is not None
    assert "8 a kap. 13 §" in q4.answered.text.en
    assert "lodged before 1 August 2022" in q4.question.en


def test_the_registry_records_the_statute_as_read() -> None:
    sources = TABLE_SET.sources
    act_2022 = sources["UTLL-2022"]
    assert (act_2022.sfs, act_2022.in_force_from) == ("2022:1015", dt.date(2022, 8, 1))
    assert act_2022.date is None  # the issue date (utfärdad) was not read
    entry = act_2022.register_entry
    assert entry is not None
    assert (entry.prop, entry.bet, entry.rskr) == (
        "prop. 2021/22:224",
        "bet. 2021/22:SfU28",
        "rskr. 2021/22:387",
    )
    consolidated = sources["UTLL-CONS"]
    assert consolidated.url == (
        "https://www.riksdagen.se/sv/dokument-och-lagar/dokument/svensk-forfattningssamling/"
        "utlanningslag-2005716_sfs-2005-716/"
    )
    assert consolidated.consolidated_through == "2025:1292"
    read = consolidated.text_read
    assert read is not None
    assert (read.on, read.commit) == (dt.date(2026, 12, 1), "c949bd52")
    assert "se-lex/sfs-processor" in read.via
    assert sources["SRC-02"].in_force_from == dt.date(2007, 7, 1)
    # Every statutory citation of the 2022 wording was read in the consolidated text.
    for key in _rows_2022():
        table_key, _, row_id = key.partition("/")
        row = next(r for r in TABLE_SET.table(table_key).spec.rows if r.id == row_id)
        for cited in row.citations:
            if cited.role == "basis" and cited.act == "UTLL":
                assert cited.source == "UTLL-CONS", key


def test_the_standing_rows_of_2022_cite_the_fourth_paragraph_with_its_sentence() -> None:
    """4 st. 1 men.: the förundersökningsledare applies; 2 men.: the board also may. The rows
    of the neighbouring permits (added with issue 13, step 3) rest on their own sections, 15 b,
    16 a and 15 d §§, which the fourth paragraph of 15 § does not govern."""
    standing = TABLE_SET.table("utl-5-15-standing@2022-08-01")
    for row in standing.spec.rows:
        fourth = {
            c.sentence
            for c in row.citations
            if c.role == "basis" and c.act == "UTLL" and c.section == "15" and c.paragraph == 4
        }
        sections = {c.section for c in row.citations if c.role == "basis" and c.act == "UTLL"}
        if "15" not in sections:
            assert sections and sections <= {"15 b", "16 a", "15 d"} and not fourth, row.id
            continue
        applicant = row.when.get("applicant")
        if applicant == "preliminary_investigation_leader":
            assert fourth == {1}, row.id
        elif applicant == "social_welfare_board" and row.when.get("permit") == "reflection_period":
            assert 2 in fourth, row.id
        else:
            assert fourth >= {1, 2} or fourth == {2}, row.id


def test_the_investigation_need_is_described_as_looking_ahead() -> None:
    description = Facts.model_fields["needed_for_investigation"].description or ""
    assert "whether or not an investigation has started" in description
    row = next(
        r
        for r in TABLE_SET.table("utl-5-15-conditions@2022-08-01").spec.rows
        if r.id == "5-15-1st-p1"
    )
    assert "no investigation need have started" in row.note.en
    assert "ingen förundersökning ha inletts" in row.note.sv


#: Phrases saying that a 15 § refusal cannot be appealed (14 kap. 4 § says it can).
NOT_APPEALABLE = re.compile(
    r"cannot be appealed|not appealable|no appeal|kan inte överklagas|får inte överklagas|"
    r"inte överklagbar|ej överklagbar",
    re.IGNORECASE,
)


def test_nothing_says_a_refusal_cannot_be_appealed() -> None:
    texts = [
        *ROOT.joinpath("tables").rglob("*.yaml"),
        *ROOT.joinpath("docs").rglob("*.rst"),
        *ROOT.joinpath("src").rglob("*.py"),
        ROOT / "README.md",
    ]
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in texts
        for match in NOT_APPEALABLE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
    refuse = next(
        r
        for r in TABLE_SET.table("utl-5-15-outcome@2022-08-01").spec.rows
        if r.id == "outcome-refuse"
    )
    assert "can be appealed" in refuse.note.en
    assert any(c.chapter == 14 and c.section == "4" for c in refuse.citations)
