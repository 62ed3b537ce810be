"""``betanketid-rules check``: each kind of finding, planted in a small fixture set, is reported
exactly (kind, table, rows, region), in text and in JSON; the shipped tables are clean."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import pytest
from support import DURABLE_AVAILABLE, DURABLE_SKIPPED_NOTE, plant

from betanketid_rules._cli import main
from betanketid_rules._engine import get_engine
from betanketid_rules._engine._equality import EnginePair
from betanketid_rules._tables import Table, default_table_set, default_tables_dir
from betanketid_rules._tables._evaluate import HitResult
from betanketid_rules._tables._reach import reachable_domains
from betanketid_rules._verify.check import check_tables
from betanketid_rules._verify.regions import Column, Region, cover

BASE = Path(__file__).parent / "fixtures" / "check" / "base"
STANDING_2006 = "fx-standing/2006-03-31.yaml"
STANDING_2022 = "fx-standing/2022-08-01.yaml"
CONDITIONS = "fx-conditions/2006-03-31.yaml"
OUTCOME = "fx-outcome/2006-03-31.yaml"
QUESTIONS = "open-questions.yaml"

#: The notes ``check`` adds about comparing the engines: none where the durable engine runs;
#: where it cannot (Python 3.13+), one naming why the durable leg was skipped.
ENGINE_NOTES = [] if DURABLE_AVAILABLE else [DURABLE_SKIPPED_NOTE]


@pytest.fixture
def tables(tmp_path: Path) -> Path:
    """A writable copy of the clean fixture set."""
    target = tmp_path / "tables"
    shutil.copytree(BASE, target)
    return target


def line_of(tables: Path, relative: str, text: str) -> int:
    """The 1-based line where ``text`` (which must occur once) starts."""
    content = (tables / relative).read_text(encoding="utf-8")
    assert content.count(text) == 1, text
    return content[: content.index(text)].count("\n") + 1


def run_both(tables: Path, capsys: pytest.CaptureFixture[str]) -> tuple[list[str], dict[str, Any]]:
    """Run the command with text and with JSON output; both must exit 1 (findings)."""
    assert main(["check", str(tables)]) == 1
    text = capsys.readouterr().out.splitlines()
    assert main(["check", str(tables), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("check: 3 tables, 4 versions, ")
    return text, json.loads(captured.out)


def only_finding(data: dict[str, Any]) -> dict[str, Any]:
    findings = data["findings"]
    assert len(findings) == 1, findings
    assert data["summary"]["findings"] == 1
    assert data["ok"] is False
    finding: dict[str, Any] = findings[0]
    return finding


def finding_lines(text: list[str]) -> list[str]:
    """The lines before the notes and the summary line."""
    assert text[-1].startswith("check: 3 tables, 4 versions, ")
    assert text[-1].endswith(" 1 findings, " + text[-1].rsplit(" findings, ", 1)[1])
    return [line for line in text[:-1] if not line.startswith("note: ")]


# -- the clean sets -----------------------------------------------------------------------------


def test_the_fixture_set_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(BASE)]) == 0
    out = capsys.readouterr().out.splitlines()
    # standing 2006 and 2022: 5 applicants x 4 permits each; conditions: 3 routes x 2 x 2;
    # outcome: 3 routes x 2 effects (every route value is reachable over the outcome's dates).
    assert out[:-1] == [f"note: {note}" for note in ENGINE_NOTES]
    assert out[-1].startswith("check: 3 tables, 4 versions, 88 points checked, 0 findings, ")
    assert out[-1].endswith(" s")


def test_the_shipped_tables_are_clean_and_every_point_is_checked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """(How long it takes is measured by the benchmarks, never asserted here.)"""
    assert main(["check"]) == 0
    out = capsys.readouterr().out.splitlines()
    table_set = default_table_set()
    points = sum(
        math.prod(len(domain) for domain in reachable_domains(table_set, table))
        for table in table_set
    )
    families = len(table_set.families)
    versions = sum(1 for _ in table_set)
    assert out[-1].startswith(
        f"check: {families} tables, {versions} versions, {points} points checked, 0 findings, "
    )
    assert out[:-1] == [f"note: {note}" for note in ENGINE_NOTES], out


def test_check_without_a_directory_checks_the_shipped_tables() -> None:
    report = check_tables(default_tables_dir(), engines=False)
    assert report.ok
    assert report.notes == ["engine agreement not checked (engines=False)"]


def test_a_missing_directory_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nowhere")]) == 2
    assert "not a directory" in capsys.readouterr().err


# -- one planted finding each -------------------------------------------------------------------


def test_a_gap_is_reported_with_its_region(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plant(
        tables,
        STANDING_2022,
        "permit: [evidence_person, reflection_period_extension, evidence_person_extension, "
        "protected_person, protected_person_permanent, pay_claim]}",
        "permit: [evidence_person, protected_person, protected_person_permanent, pay_claim]}",
    )
    text, data = run_both(tables, capsys)
    finding = only_finding(data)
    assert finding["kind"] == "gap"
    assert finding["table"] == "fx-standing@2022-08-01"
    assert finding["rows"] == []
    assert finding["points"] == 2
    assert [region["where"] for region in finding["regions"]] == [
        {
            "applicant": "social_welfare_board",
            "permit": ["reflection_period_extension", "evidence_person_extension"],
        }
    ]
    assert finding_lines(text) == [
        "[gap] fx-standing@2022-08-01: no row matches these inputs (UNIQUE needs one)",
        "    where applicant=social_welfare_board, "
        "permit∈{reflection_period_extension, evidence_person_extension} (2 points)",
        f"    at {tables / STANDING_2022}",
    ]


def test_an_overlap_is_reported_with_both_rows_and_its_region(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = plant(
        tables,
        STANDING_2022,
        "when: {applicant: social_welfare_board, permit: reflection_period}",
        "when: {applicant: social_welfare_board}",
    )
    text, data = run_both(tables, capsys)
    finding = only_finding(data)
    assert finding["kind"] == "overlap"
    assert finding["table"] == "fx-standing@2022-08-01"
    assert finding["rows"] == ["board", "board-other"]
    assert [region["where"] for region in finding["regions"]] == [
        {
            "applicant": "social_welfare_board",
            "permit": [
                "evidence_person",
                "reflection_period_extension",
                "evidence_person_extension",
                "protected_person",
                "protected_person_permanent",
                "pay_claim",
            ],
        }
    ]
    assert finding["line"] == line - 1  # the row's "- id: board" line
    assert finding_lines(text) == [
        "[overlap] fx-standing@2022-08-01: rows board and board-other both match "
        "(UNIQUE allows one)",
        "    where applicant=social_welfare_board, permit≠reflection_period (6 points)",
        f"    at {tables / STANDING_2022}:{line - 1}",
    ]


MASKED_ROW = """  - id: review
    when: {route: board}
    then: {outcome: needs_review}
    status: inferred
    open_questions: [QA]
    citations:
      - {act: ACT, chapter: 5, section: "15", wording: ACT, source: GUIDE, role: basis,
         status: inferred}
    note: {sv: Granskas., en: Needs review.}
"""


def test_a_row_masked_under_first_is_a_dead_row(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tables / OUTCOME
    path.write_text(path.read_text(encoding="utf-8") + MASKED_ROW, encoding="utf-8")
    text, data = run_both(tables, capsys)
    finding = only_finding(data)
    assert finding["kind"] == "dead_row"
    assert finding["table"] == "fx-outcome@2006-03-31"
    assert finding["rows"] == ["review", "refuse", "grant"]
    assert [region["where"] for region in finding["regions"]] == [{"route": "board"}]
    assert finding_lines(text)[:2] == [
        "[dead_row] fx-outcome@2006-03-31: row review never fires: wherever it matches, "
        "FIRST picks refuse, grant",
        "    where route=board, rest=any (2 points)",
    ]


def test_a_row_no_reachable_input_matches_is_a_dead_row(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The standing tables may declare a route 'open' but no row gives it: a row for it is dead.
    for relative in (STANDING_2006, STANDING_2022):
        plant(tables, relative, "values: [fu, board, none]", "values: [fu, board, none, open]")
    plant(
        tables,
        OUTCOME,
        "  - id: refuse\n",
        MASKED_ROW.replace("board", "open") + "  - id: refuse\n",
    )
    text, data = run_both(tables, capsys)
    finding = only_finding(data)
    assert finding["kind"] == "dead_row"
    assert finding["rows"] == ["review"]
    assert finding["regions"] == []
    assert finding["message"] == (
        "row review matches no reachable input: route must be open but can only be fu, board, none"
    )
    assert finding_lines(text)[0] == f"[dead_row] fx-outcome@2006-03-31: {finding['message']}"


def test_a_subsumed_row_is_reported_with_the_row_that_subsumes_it(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plant(
        tables,
        CONDITIONS,
        "  - id: not-needed\n",
        """  - id: not-in-sweden-fu
    when: {route: fu, in_sweden: false}
    then: {effect: unmet}
    status: confirmed
    citations:
      - {act: ACT, section: "15", paragraph: 1, wording: ACT, source: ACT, role: basis,
         status: confirmed}
    note: {sv: Personen ska vistas här., en: The person must be staying here.}
  - id: not-needed
""",
    )
    text, data = run_both(tables, capsys)
    finding = only_finding(data)
    assert finding["kind"] == "subsumed_row"
    assert finding["table"] == "fx-conditions@2006-03-31"
    assert finding["rows"] == ["not-in-sweden-fu", "not-in-sweden"]
    assert [region["where"] for region in finding["regions"]] == [
        {"route": "fu", "in_sweden": False}
    ]
    assert finding_lines(text)[:2] == [
        "[subsumed_row] fx-conditions@2006-03-31: row not-in-sweden-fu is subsumed by row "
        "not-in-sweden: it matches only inputs not-in-sweden also matches, with the same outputs",
        "    where route=fu, in_sweden=false, rest=any (2 points)",
    ]


def test_an_unknown_citation_is_reported_with_file_and_line(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = (
        "wording: ACT, source: ACT, role: basis, status: confirmed}\n    note: {sv: Ansökan avslås."
    )
    line = plant(tables, OUTCOME, old, old.replace("source: ACT", "source: SRC-999"))
    text, data = run_both(tables, capsys)
    finding = only_finding(data)
    assert finding["kind"] == "citation"
    assert finding["file"] == str(tables / OUTCOME)
    assert finding["line"] == line
    assert finding["regions"] == []
    assert finding["message"] == "citation source 'SRC-999' is not in sources.yaml"
    assert finding_lines(text) == [
        f"[citation] {tables / OUTCOME}:{line}: citation source 'SRC-999' is not in sources.yaml"
    ]
    assert data["notes"] == ENGINE_NOTES  # the outcome table feeds no other table


def test_a_version_gap_is_reported(tables: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plant(tables, STANDING_2006, "in_force_to: 2022-07-31", "in_force_to: 2022-07-30")
    text, data = run_both(tables, capsys)
    finding = only_finding(data)
    assert finding["kind"] == "version"
    assert finding["file"] == str(tables / STANDING_2022)
    message = "version gap: no table of fx-standing in force from 2022-07-31 to 2022-07-31"
    assert finding["message"] == message
    assert finding_lines(text) == [f"[version] {tables / STANDING_2022}:3: {message}"]


def test_an_open_question_no_row_names_is_reported(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plant(
        tables,
        QUESTIONS,
        "questions:\n",
        """questions:
  - id: QB
    state: open
    brief_ref: test
    question: {sv: Finns en andra fråga?, en: Is there a second question?}
    why_it_matters: {sv: Inget vilar på den., en: Nothing rests on it.}
    where_to_verify: {sv: Ingenstans., en: Nowhere.}
""",
    )
    text, data = run_both(tables, capsys)
    finding = only_finding(data)
    assert finding["kind"] == "open_question"
    assert finding["table"] is None
    assert finding["line"] == 2
    message = "open question QB is named by no row and no source"
    assert finding["message"] == message
    assert finding_lines(text) == [f"[open_question] {tables / QUESTIONS}:2: {message}"]


def test_a_row_resting_on_a_settled_question_is_reported(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A settled question is kept as a record; a row still naming it is a finding."""
    plant(
        tables,
        QUESTIONS,
        "questions:\n",
        """questions:
  - id: QS
    state: settled
    brief_ref: test
    question: {sv: Var det avgjort?, en: Was it settled?}
    why_it_matters: {sv: Det avgjorde en rad., en: It decided a row.}
    answered:
      text: {sv: "Ja, av testlagen.", en: "Yes, by the test act."}
      sources: [ACT]
""",
    )
    plant(tables, STANDING_2022, "open_questions: [QA]", "open_questions: [QA, QS]")
    _, data = run_both(tables, capsys)
    finding = only_finding(data)
    assert finding["kind"] == "open_question"
    assert finding["table"] == "fx-standing@2022-08-01"
    assert finding["rows"] == ["board"]
    assert finding["message"] == "row board rests on question QS, which is settled"


RULE = "(a row's status is its weakest basis citation)"


@pytest.mark.parametrize(
    ("old", "new", "messages"),
    [
        pytest.param(
            "source: GUIDE, role: basis, status: inferred",
            "source: GUIDE, role: basis, status: confirmed",
            (
                "row board: citation 1 (GUIDE, confirmed): confirmed needs a statute, amending "
                "act or ordinance whose text was read; GUIDE is guidance",
                f"row board: status inferred, but its weakest basis citation is confirmed {RULE}",
            ),
            id="guidance-marked-confirmed",
        ),
        pytest.param(
            "    status: inferred\n    open_questions: [QA]",
            "    status: confirmed\n    open_questions: [QA]",
            (f"row board: status confirmed, but its weakest basis citation is inferred {RULE}",),
            id="inferred-row-marked-confirmed",
        ),
        pytest.param(
            "source: GUIDE, role: basis, status: inferred",
            "source: GUIDE, role: context, status: inferred",
            ("row board: no basis citation: a row must rest on at least one provision",),
            id="no-basis",
        ),
        pytest.param(
            "source: GUIDE, role: basis, status: inferred",
            "source: ACT-2022, role: basis, status: inferred",
            (),
            id="statute-read-as-inferred-is-fine",
        ),
        pytest.param(
            "    status: inferred\n    open_questions: [QA]\n    citations:\n"
            '      - {act: ACT, chapter: 5, section: "15", paragraph: 2, wording: ACT-2022, '
            "source: GUIDE, role: basis, status: inferred}",
            "    status: secondary\n    open_questions: [QA]\n    citations:\n"
            '      - {act: ACT, chapter: 5, section: "15", paragraph: 2, wording: ACT-2022, '
            "source: ACT-2022, role: basis, status: secondary}",
            (
                "row board: citation 1 (ACT-2022, secondary): secondary rests on guidance, a "
                "report or preparatory works, but ACT-2022 has kind amendment: cite it as "
                "confirmed if its text was read, else as inferred",
            ),
            id="statute-marked-secondary",
        ),
    ],
)
def test_a_status_that_breaks_the_rule_is_reported(
    tables: Path, old: str, new: str, messages: tuple[str, ...]
) -> None:
    """The status rule (src/betanketid_rules/_tables/_status.py), one planted break each."""
    plant(tables, STANDING_2022, old, new)
    findings = [f for f in check_tables(tables, engines=False).findings if f.kind == "status"]
    assert [f.message for f in findings] == list(messages)
    assert all(
        (f.kind, f.table, f.rows) == ("status", "fx-standing@2022-08-01", ("board",))
        for f in findings
    )
    line = line_of(tables, STANDING_2022, "  - id: board\n")
    assert all(f.line == line for f in findings)


def test_the_rows_resting_on_a_question_are_written_once_by_the_rows(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second copy of the relation in open-questions.yaml is refused, not kept in step."""
    plant(
        tables,
        QUESTIONS,
        "    where_to_verify: {sv: Testlagen., en: The test act.}\n",
        "    where_to_verify: {sv: Testlagen., en: The test act.}\n"
        "    rows: [fx-standing@2022-08-01/board]\n",
    )
    _, data = run_both(tables, capsys)
    finding = data["findings"][0]
    assert (finding["kind"], finding["message"]) == (
        "load",
        "questions.0.rows: Extra inputs are not permitted",
    )


def test_a_question_named_only_by_a_source_is_fine_but_a_source_naming_none_is_not(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plant(
        tables,
        "sources.yaml",
        "    kind: guidance\n",
        "    kind: guidance\n    open_question: QZ\n",
    )
    _, data = run_both(tables, capsys)
    finding = only_finding(data)
    assert finding["kind"] == "open_question"
    assert (
        finding["message"]
        == "source GUIDE names open question QZ, which is not in open-questions.yaml"
    )


def test_a_cited_act_not_yet_in_force_is_reported(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = (
        "paragraph: 1, wording: ACT, source: ACT, role: basis, status: confirmed}\n"
        "    note: {sv: Ingen"
    )
    plant(tables, STANDING_2006, old, old.replace("wording: ACT,", "wording: ACT-2022,"))
    line = line_of(tables, STANDING_2006, "  - id: others")
    text, data = run_both(tables, capsys)
    finding = only_finding(data)
    assert finding["kind"] == "citation"
    assert finding["table"] == "fx-standing@2006-03-31"
    assert finding["rows"] == ["others"]
    message = (
        "the wording cited, ACT-2022, is in force only from 2022-08-01, after the table starts "
        "on 2006-03-31"
    )
    assert finding["message"] == message
    assert finding_lines(text) == [
        f"[citation] fx-standing@2006-03-31: {message}",
        f"    at {tables / STANDING_2006}:{line}",
    ]


def test_a_broken_table_does_not_stop_the_others_and_blocks_only_what_reads_it(
    tables: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plant(
        tables,
        STANDING_2022,
        "  - id: fu\n    when: {applicant: preliminary_investigation_leader}",
        "  - id: fu\n    when: {applicant: preliminary_investigation_leader, permit: nope}",
    )
    _, data = run_both(tables, capsys)
    finding = only_finding(data)
    assert finding["kind"] == "load"
    assert finding["message"].startswith("unknown value 'nope' for column 'permit'")
    assert data["notes"] == [
        "not checked, because a table they read from did not load: fx-conditions@2006-03-31, "
        "fx-outcome@2006-03-31",
        *ENGINE_NOTES,
    ]
    assert data["summary"]["points"] == 35  # fx-standing@2006-03-31 alone was checked


# -- the engines --------------------------------------------------------------------------------


class _WrongAboutBoard:
    """A durable stand-in that disagrees with the native engine where route is board."""

    name = "durable"

    def hit(self, table: Table, values: tuple[Any, ...]) -> HitResult:
        result = get_engine("native").hit(table, values)
        if table.family == "fx-outcome" and values[0] == "board":
            wrong = {"outcome": "needs_review"}
            return HitResult(
                result.matched, result.fired, wrong, (("fx-outcome.outcome", wrong["outcome"]),)
            )
        return result


def test_engines_that_disagree_are_a_finding_at_the_first_differing_input() -> None:
    pair = EnginePair(get_engine("native"), _WrongAboutBoard())
    report = check_tables(BASE, engines=pair)
    data = json.loads(report.to_json_text())
    finding = only_finding(data)
    assert finding["kind"] == "engine"
    assert finding["table"] == "fx-outcome@2006-03-31"
    assert [region["where"] for region in finding["regions"]] == [
        {"route": "board", "effect": "met"}
    ]
    assert "durable rows ['grant'] -> {'outcome': 'needs_review'}" in finding["message"]


def test_an_unavailable_durable_engine_is_a_note_not_a_finding() -> None:
    pair = EnginePair(get_engine("native"), None, "durable_rules installs only on Python < 3.13")
    out = check_tables(BASE, engines=pair).to_text().splitlines()
    assert out[0] == (
        "note: engine agreement not checked (durable leg skipped): durable_rules installs only "
        "on Python < 3.13"
    )
    assert out[1].startswith("check: 3 tables, 4 versions, 88 points checked, 0 findings, ")


# -- regions ------------------------------------------------------------------------------------


def test_a_region_names_only_what_it_restricts() -> None:
    columns = (Column("applicant", ("a", "b", "c", "d")), Column("flag", (False, True)))
    assert str(Region(columns, (("a", "b", "c"), (True,)))) == "applicant≠d, flag=true"
    assert str(Region(columns, (("a", "b"), (False, True)))) == "applicant∈{a, b}, rest=any"
    assert str(Region(columns, (("a", "b", "c", "d"), (False, True)))) == "any input"
    assert [str(r) for r in cover(columns, [(0, 0), (1, 0), (2, 0), (3, 0)])] == [
        "flag=false, rest=any"
    ]


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "för betänketid ska ges (andra stycket).",
            "för betänketid får ges (andra stycket).",
            "the Swedish note lacks 'ska', the verb of outcome grant",
        ),
        (
            "for a reflection period shall be granted (second paragraph).",
            "for a reflection period may be granted (second paragraph).",
            "the English note lacks 'shall', the verb of outcome grant",
        ),
    ],
    ids=["sv", "en"],
)
def test_a_note_that_contradicts_its_outcome_is_a_finding(
    tables_copy: Path, old: str, new: str, problem: str
) -> None:
    """A grant's note saying "får ges" / "may be granted" (a discretionary permit) misleads
    every decision that shows it: the note rule (_tables/_notes.py) finds it."""
    plant(tables_copy, "utl-5-15-outcome/2022-08-01.yaml", old, new)
    findings = check_tables(tables_copy, engines=False).findings
    assert {f.kind for f in findings} == {"note"}
    assert {(f.table, f.rows) for f in findings} == {
        ("utl-5-15-outcome@2022-08-01", ("5-15-2st-grant",))
    }
    assert any(problem in f.message for f in findings)  # and it says the other outcome's verb
    assert any("the verb of outcome may_grant" in f.message for f in findings)
    assert all(f.line is not None for f in findings)


def test_a_row_that_opens_a_question_without_naming_it_is_a_finding(tables_copy: Path) -> None:
    """Issue 19: the board's transitional route (lodged before 2022-08-01) with its open
    question dropped passed every test. A row giving a value that means "an open question
    decides" (route=open) must name the question."""
    path = "utl-5-15-standing/2022-08-01.yaml"
    text = (tables_copy / path).read_text(encoding="utf-8")
    row = text[text.index("  - id: 5-15-sn-transitional") :]
    line = next(line for line in row.splitlines() if "open_questions:" in line)
    plant(tables_copy, path, line + "\n", "")
    findings = [
        f for f in check_tables(tables_copy, engines=False).findings if f.kind == "open_question"
    ]
    (unnamed,) = [f for f in findings if "names no open question" in f.message]
    assert (unnamed.table, unnamed.rows) == (
        "utl-5-15-standing@2022-08-01",
        ("5-15-sn-transitional",),
    )
    assert unnamed.file is not None and unnamed.file.endswith(path)
    assert unnamed.line is not None
