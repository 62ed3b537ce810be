"""Every part of 5 kap. 15 § the brief describes is cited; every citation is sound.

Brief §2.3/§3.1 (V2, SFS 2007:322, text read [C]) and §2.4/§3.2 (V3, 2022 wording,
reconstructed) describe: first paragraph (the permit of at least six months) with points 1-4,
the second paragraph (30 days' reflection), the third paragraph (extensions: first sentence for
the six-month permit, second for the reflection permit) and, from 2022-08-01, the social
welfare board's route (2 st, its standing in 4 st, limited to BrB 4 kap. 1 a and 1 b §).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from betanketid_rules._tables import (
    Table,
    TableSet,
    default_table_set,
    default_tables_dir,
    load_table_set,
)
from betanketid_rules._tables._format import Row, TableCitation
from betanketid_rules._tables._yaml import read_yaml

TABLE_SET = default_table_set()
UTLL = "2005:716"
BRB = "1962:700"

#: First and last day of each wording the brief describes paragraph by paragraph (§8 note 2).
VERSIONS = {
    "V2": (dt.date(2007, 7, 1), dt.date(2022, 7, 31)),
    "V3": (dt.date(2022, 8, 1), dt.date.today()),
}

#: (paragraph, point, sentence) of 5 kap. 15 § the brief describes for both V2 and V3, and the
#: family that must cite it: standing is decided by the standing tables, conditions are tested
#: by the conditions tables, permits are given by the outcome tables.
REQUIRED = [
    ((1, None, None), "utl-5-15-standing", "1 st: the förundersökningsledare applies (A1)"),
    ((1, None, None), "utl-5-15-outcome", "1 st: at least six months, shall (A1-A6)"),
    ((1, 1, None), "utl-5-15-conditions", "1 st p. 1: needed for FU/huvudförhandling (A3)"),
    ((1, 2, None), "utl-5-15-conditions", "1 st p. 2: clear will to cooperate (A4)"),
    ((1, 3, None), "utl-5-15-conditions", "1 st p. 3: all ties with suspects broken (A5)"),
    ((1, 4, None), "utl-5-15-conditions", "1 st p. 4: public order and security (A6)"),
    ((2, None, None), "utl-5-15-standing", "2 st: the reflection-period application (B1)"),
    ((2, None, None), "utl-5-15-conditions", "2 st: wants a reflection period (B3)"),
    ((2, None, None), "utl-5-15-outcome", "2 st: 30 days, shall (B1-B5)"),
    ((3, None, 1), "utl-5-15-standing", "3 st 1st sentence: extension on request (E1)"),
    ((3, None, 1), "utl-5-15-outcome", "3 st 1st sentence: may be extended (E1)"),
    ((3, None, 2), "utl-5-15-standing", "3 st 2nd sentence: extension on request (E2)"),
    ((3, None, 2), "utl-5-15-conditions", "3 st 2nd sentence: särskilda skäl (E2)"),
    ((3, None, 2), "utl-5-15-outcome", "3 st 2nd sentence: may be extended (E2)"),
]


def _act(citation: TableCitation, table_set: TableSet = TABLE_SET) -> str | None:
    return table_set.sources[citation.act].sfs


def _in_force(version: str, table_set: TableSet = TABLE_SET) -> list[Table]:
    first, last = VERSIONS[version]
    tables: dict[str, Table] = {}
    for day in (first, last):
        for table in table_set.chain_on(day):
            tables[table.key] = table
    return list(tables.values())


def uncited(table_set: TableSet, version: str) -> list[str]:
    """Each REQUIRED provision no row of its family cites in the tables in force for version."""
    cited = {
        (table.family, c.paragraph, c.point, c.sentence)
        for table in _in_force(version, table_set)
        for row in table.spec.rows
        for c in row.citations
        if _act(c, table_set) == UTLL and c.chapter == 5 and c.section == "15"
    }
    return [
        f"{version} {family}: {what}"
        for (paragraph, point, sentence), family, what in REQUIRED
        if (family, paragraph, point, sentence) not in cited
    ]


def _rows(table_set: TableSet = TABLE_SET) -> Iterator[tuple[Table, Row]]:
    for table in table_set:
        for row in table.spec.rows:
            yield table, row


@pytest.mark.parametrize("version", ["V2", "V3"])
def test_every_paragraph_and_point_is_cited(version: str) -> None:
    assert uncited(TABLE_SET, version) == []


def test_an_uncited_point_is_reported(tables_copy: Path) -> None:
    # Re-point the 2007 row for 1 st p. 3 at p. 2: V2 then cites p. 3 nowhere; V3 still does.
    path = tables_copy / "utl-5-15-conditions" / "2007-07-01.yaml"
    text = path.read_text(encoding="utf-8")
    old = "paragraph: 1, point: 3, wording: SRC-02"
    assert text.count(old) == 1
    path.write_text(text.replace(old, "paragraph: 1, point: 2, wording: SRC-02"), "utf-8")
    planted = load_table_set(tables_copy)
    assert uncited(planted, "V2") == [
        "V2 utl-5-15-conditions: 1 st p. 3: all ties with suspects broken (A5)"
    ]
    assert uncited(planted, "V3") == []


def test_the_boards_route_is_cited_in_v3_and_absent_before() -> None:
    v3 = _in_force("V3")
    standing = next(t for t in v3 if t.family == "utl-5-15-standing")
    routes = [
        row
        for row in standing.spec.rows
        if row.then.get("route") == "board_reflection"
        and row.when.get("applicant") == "social_welfare_board"
    ]
    assert routes, "no V3 standing row opens the board's reflection route"
    for row in routes:
        cited = {(_act(c), c.chapter, c.section, c.paragraph) for c in row.citations}
        assert (UTLL, 5, "15", 2) in cited, row.id  # 2 st: the permit (SRC-20 [C])
        assert (UTLL, 5, "15", 4) in cited, row.id  # 4 st: who may apply ([R] + [I])
        assert (BRB, 4, "1 a", None) in cited, row.id  # människohandel
        assert (BRB, 4, "1 b", None) in cited, row.id  # människoexploatering
        assert set(row.when["presumed_offence"]) == {"trafficking", "exploitation"}  # type: ignore[arg-type]
    conditions = next(t for t in v3 if t.family == "utl-5-15-conditions")
    board_points = {
        c.point
        for row in conditions.spec.rows
        if "board_reflection" in _values(row.when.get("route"))
        for c in row.citations
        if _act(c) == UTLL and c.paragraph == 1
    }
    assert {1, 4} <= board_points, "the board route must test 1 st p. 1 and p. 4 (B11)"
    for version in ("V2",):
        for table in _in_force(version):
            for row in table.spec.rows:
                assert row.then.get("route") != "board_reflection", (table.key, row.id)


def _values(cell: object) -> list[object]:
    if cell is None:
        return []
    return list(cell) if isinstance(cell, list) else [cell]


def test_every_row_cites_a_source_and_every_citation_resolves() -> None:
    # Read the YAML files themselves, so this holds even if the loader's checks change.
    tables_dir = default_tables_dir()
    registry = read_yaml(tables_dir / "sources.yaml").data["sources"]
    sources = {entry["id"]: entry for entry in registry}
    questions = {q["id"] for q in read_yaml(tables_dir / "open-questions.yaml").data["questions"]}
    works = {"preparatory_work", "inquiry_report", "committee_report"}
    problems: list[str] = []
    files = sorted(tables_dir.glob("*/*.yaml"))
    assert len(files) == sum(1 for _ in TABLE_SET)
    for path in files:
        data = read_yaml(path).data
        if data["encodes"] not in sources:
            problems.append(f"{path.name}: encodes {data['encodes']!r} unknown")
        for row in data["rows"]:
            where = f"{path.parent.name}/{path.name}/{row['id']}"
            if not row.get("citations"):
                problems.append(f"{where}: no citation")
            for c in row.get("citations", []):
                for field in ("act", "wording", "source"):
                    if c.get(field) not in sources:
                        problems.append(f"{where}: {field} {c.get(field)!r} not in sources.yaml")
                for work in c.get("preparatory_works", []):
                    if work["source"] not in sources:
                        problems.append(f"{where}: preparatory work {work['source']!r} unknown")
                    elif sources[work["source"]]["kind"] not in works:
                        problems.append(f"{where}: {work['source']} is not a preparatory work")
    for entry in registry:
        if entry.get("open_question") and entry["open_question"] not in questions:
            problems.append(f"source {entry['id']}: open question {entry['open_question']} unknown")
    assert not problems, "\n".join(problems)


def test_every_row_has_a_status_and_notes_in_both_languages() -> None:
    for table, row in _rows():
        where = f"{table.key}/{row.id}"
        assert row.status in ("confirmed", "secondary", "inferred"), where
        assert row.note.sv.strip() and row.note.en.strip(), where
        assert row.note.sv.strip() != row.note.en.strip(), f"{where}: sv note is the en note"
        for c in row.citations:
            assert c.status in ("confirmed", "secondary", "inferred"), where


#: Inferred rows that name no open question, each with where the brief marks the point [I].
#: Every other inferred row must name the open question (NOT CONFIRMED point) it rests on.
INFERRED_WITHOUT_QUESTION = {
    "utl-5-15-conditions@2007-07-01/5-15-2st-in-sweden": "§3.1 B2 [I]",
    "utl-5-15-conditions@2022-08-01/5-15-2st-in-sweden": (
        "§3.1 B2 [I]; settled section: 'utlänningen' of 2 st. read as the one staying here"
    ),
    "utl-5-15-outcome@2022-08-01/outcome-review-standing": "§8 note 7 (unknown -> needs_review)",
}


def unjustified_inferred(table_set: TableSet) -> list[str]:
    """Inferred rows naming no open question and not marked [I] in the brief (and stale
    entries of INFERRED_WITHOUT_QUESTION)."""
    problems: list[str] = []
    keys = set()
    for table, row in _rows(table_set):
        key = f"{table.key}/{row.id}"
        keys.add(key)
        if row.status != "inferred":
            if key in INFERRED_WITHOUT_QUESTION:
                problems.append(f"{key} is {row.status}: drop it from INFERRED_WITHOUT_QUESTION")
        elif not row.open_questions and key not in INFERRED_WITHOUT_QUESTION:
            problems.append(f"{key}: inferred, but names no open question and no [I] in the brief")
    problems += [f"{key}: no such row" for key in INFERRED_WITHOUT_QUESTION.keys() - keys]
    return problems


def test_inferred_rows_rest_on_an_inference_or_an_open_question() -> None:
    assert unjustified_inferred(TABLE_SET) == []


def test_an_unexplained_inference_is_reported(tables_copy: Path) -> None:
    # Mark the confirmed 2007 row for 1 st p. 2 inferred, with no open question.
    path = tables_copy / "utl-5-15-conditions" / "2007-07-01.yaml"
    text = path.read_text(encoding="utf-8")
    old = "willing_to_cooperate: false}\n    then: {effect: unmet}\n    status: confirmed"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old.replace("confirmed", "inferred")), "utf-8")
    assert unjustified_inferred(load_table_set(tables_copy)) == [
        "utl-5-15-conditions@2007-07-01/5-15-1st-p2: inferred, but names no open question "
        "and no [I] in the brief"
    ]


def test_the_2024_report_is_never_cited_as_confirmed() -> None:
    # A report is a secondary source, even now that it has been read (brief, settled section).
    for table, row in _rows():
        for c in row.citations:
            if c.source == "REPORT-2024":
                assert c.status != "confirmed", f"{table.key}/{row.id}"


# Spot checks against the brief: (row, status, open questions it must name, brief reference).
SETTLED = "settled section"
SPOT_CHECKS = [
    ("utl-5-15-conditions@2007-07-01/5-15-1st-p1", "confirmed", (), "§2.3 text read [C]"),
    ("utl-5-15-conditions@2007-07-01/5-15-1st-p3", "confirmed", (), "§2.3 text read [C]"),
    ("utl-5-15-conditions@2007-07-01/5-15-3st-special-reasons", "confirmed", (), "§3.1 E2 [C]"),
    ("utl-5-15-standing@2007-07-01/5-15-2st-fu", "confirmed", (), "§2.3 2 st [C]"),
    ("utl-5-15-standing@2006-03-31/5-15-fu", "inferred", ("Q-V1",), "§2.2 wording NC"),
    # Ds 2005:24 and the 2007 act, not the 2006 text (issue "The law as written").
    ("utl-5-15-standing@2006-03-31/5-15-fu-no-reflection", "secondary", (), "§2.2 p. 5 [S]"),
    ("utl-5-15-standing@2006-03-31/5-15-fu-extension", "inferred", ("Q-V1",), "§2.2 NC"),
    ("utl-5-15-conditions@2022-08-01/5-15-1st-p2", "confirmed", (), f"{SETTLED}: 1 st read"),
    ("utl-5-15-conditions@2022-08-01/5-15-1st-p1", "confirmed", (), f"{SETTLED}: p. 1 for all"),
    ("utl-5-15-standing@2022-08-01/5-15-2st-fu", "confirmed", (), f"{SETTLED}: no victim test"),
    ("utl-5-15-standing@2022-08-01/5-15-2st-sn", "confirmed", (), f"{SETTLED}: 4 st 2 men"),
    ("utl-5-15-standing@2022-08-01/5-15-sn-evidence", "confirmed", (), f"{SETTLED}: 4 st"),
    ("utl-5-15-standing@2022-08-01/5-15-4st-sn-child", "confirmed", (), f"{SETTLED}: utlänningen"),
    ("utl-5-15-standing@2022-08-01/5-15-4st-sn-extension", "confirmed", (), f"{SETTLED}: no ext."),
    ("utl-5-15-standing@2022-08-01/5-15-sn-transitional", "inferred", ("Q4",), f"{SETTLED}: Q4"),
    ("utl-5-15-outcome@2022-08-01/5-15-3st-2-extend", "confirmed", (), f"{SETTLED}: 3 st read"),
]


@pytest.mark.parametrize(
    ("key", "status", "questions", "brief"), SPOT_CHECKS, ids=[c[0] for c in SPOT_CHECKS]
)
def test_status_matches_the_brief(
    key: str, status: str, questions: tuple[str, ...], brief: str
) -> None:
    table_key, _, row_id = key.partition("/")
    row = next(r for r in TABLE_SET.table(table_key).spec.rows if r.id == row_id)
    assert row.status == status, f"{key}: {row.status}, brief {brief} says {status}"
    assert set(questions) <= set(row.open_questions), f"{key}: must name {questions} ({brief})"
