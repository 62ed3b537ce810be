"""The DMN 1.3 export, checked by tools the library did not write.

Every exported file validates against the OMG DMN 1.3 schema (as npm ``dmn-moddle`` ships it,
read offline). dmn-moddle parses each table version's file and feelin evaluates its FEEL: at
every point of the table's domain the rules whose input entries match are the rows the library
matches, each rule's output entries are the row's outputs, and DMN's hit policy, applied to what
was read, gives the library's result (or no result where the library's policy is violated).

The conditions tables aggregate "the maximum by the declared order"; a fixture whose declared
order is not alphabetical proves that the export keeps that order (DMN's own MAX would not).
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from dmn_support import DMN13_XSD, dmn_hit, read_with_moddle, require_dmn_tools
from support import plant

from betanketid_rules import HitPolicyError
from betanketid_rules._export._dmn import MODEL, table_definitions, write_dmn
from betanketid_rules._tables import Table, TableSet, default_table_set, load_table_set
from betanketid_rules._tables._evaluate import apply_hit_policy, domain_points, matching_rows

xmlschema = pytest.importorskip("xmlschema")

NS = {"dmn": MODEL}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dmn")
    write_dmn(default_table_set(), out, lang="en")
    return out


@pytest.fixture(scope="module")
def schema() -> Any:
    require_dmn_tools()
    return xmlschema.XMLSchema(str(DMN13_XSD))


def test_one_file_per_table_version_and_per_period(exported: Path) -> None:
    tables = default_table_set()
    expected = {f"{table.key}.dmn" for table in tables} | {
        f"in-force@{period.first_day.isoformat()}.dmn" for period in tables.periods()
    }
    assert {path.name for path in exported.iterdir()} == expected


def test_every_file_validates_against_the_omg_schema(exported: Path, schema: Any) -> None:
    for path in sorted(exported.iterdir()):
        errors = [str(error) for error in schema.iter_errors(str(path))]
        assert errors == [], f"{path.name}: {errors[:1]}"


def test_the_schema_check_can_fail(exported: Path, schema: Any, tmp_path: Path) -> None:
    """A file with a hit policy DMN does not define, or a rule without output entries, fails."""
    source = (exported / "utl-5-15-conditions@2022-08-01.dmn").read_text(encoding="utf-8")
    bad_policy = tmp_path / "policy.dmn"
    bad_policy.write_text(source.replace('hitPolicy="PRIORITY"', 'hitPolicy="MAXIMUM"'))
    no_output = tmp_path / "output.dmn"
    no_output.write_text(re.sub(r"<outputEntry .*?</outputEntry>", "", source, flags=re.S))
    for path in (bad_policy, no_output):
        assert list(schema.iter_errors(str(path))), path.name


def _library(table: Table, values: tuple[Any, ...]) -> tuple[tuple[int, ...], Any]:
    matched = matching_rows(table.cells, values)
    try:
        return matched, apply_hit_policy(table, matched, values)
    except HitPolicyError:
        return matched, None


def _agree(table_set: TableSet, tables: list[Table], directory: Path) -> int:
    """Assert that what dmn-moddle and feelin read from each table's file decides as the
    library does at every point of its domain; returns the number of points checked."""
    points = 0
    for table, read in zip(tables, read_with_moddle(tables, directory), strict=True):
        assert read["warnings"] == [], (table.key, read["warnings"])
        rows = table.spec.rows
        assert [rule["row"] for rule in read["rules"]] == [row.id for row in rows]
        for rule, row in zip(read["rules"], rows, strict=True):
            names = [output.name for output in table.spec.outputs]
            assert dict(zip(names, rule["outputs"], strict=True)) == dict(row.then), row.id
        aggregated = table.spec.hit_policy == "COLLECT" and table.spec.aggregation in (
            "MAX",
            "MIN",
        )
        for values, matched in zip(domain_points(table.domains), read["points"], strict=True):
            points += 1
            where = (table.key, values)
            library_matched, library = _library(table, values)
            assert tuple(matched) == library_matched, where
            dmn = dmn_hit(read, matched)
            if library is None:
                assert dmn is None, where
                continue
            assert dmn is not None, where
            assert dmn.outputs == {
                name: tuple(value) if isinstance(value, list) else value
                for name, value in library.outputs.items()
            }, where
            if aggregated:  # one rule stands for the maximum (or minimum) of the rows fired
                assert set(dmn.fired) <= set(library.fired), where
            else:
                assert dmn.fired == library.fired, where
    return points


def test_moddle_and_feelin_decide_every_point_as_the_library(exported: Path) -> None:
    require_dmn_tools()
    tables = default_table_set()
    points = _agree(tables, list(tables), exported)
    sizes = sum(len(list(domain_points(table.domains))) for table in tables)
    assert points == sizes > 2000


#: A declared order of the conditions' effect that is not alphabetical ("open" ranks above
#: "unmet"), and a row giving "open" where another gives "unmet".
NON_ALPHABETICAL = "values: [met, unmet, open]"
OPEN_ROW = """  - id: fixture-open
    when: {route: fu_evidence_person, ties_broken: false}
    then: {effect: open}
    status: inferred
    citations:
      - {act: UTLL, chapter: 5, section: "15", paragraph: 1, point: 3, wording: UTLL-2022,
         source: UTLL-CONS, role: basis, status: inferred}
    note:
      sv: Testrad.
      en: Test row.
"""


@pytest.fixture
def non_alphabetical(tables_copy: Path, tmp_path: Path) -> tuple[TableSet, Table, Path]:
    conditions = Path("utl-5-15-conditions/2022-08-01.yaml")
    plant(tables_copy, conditions, "values: [met, open, unmet]", NON_ALPHABETICAL)
    with (tables_copy / conditions).open("a", encoding="utf-8") as handle:
        handle.write(OPEN_ROW)
    table_set = load_table_set(tables_copy)
    table = table_set.table("utl-5-15-conditions@2022-08-01")
    out = tmp_path / "dmn"
    write_dmn(table_set, out, [table], lang="en")
    return table_set, table, out


def test_declared_order_is_kept_when_it_is_not_alphabetical(
    non_alphabetical: tuple[TableSet, Table, Path],
) -> None:
    table_set, table, out = non_alphabetical
    # The fixture discriminates: DMN's own MAX (alphabetical on strings) gives another answer.
    differs = 0
    for values in domain_points(table.domains):
        matched = matching_rows(table.cells, values)
        declared = apply_hit_policy(table, matched, values).outputs["effect"]
        alphabetical = max((table.spec.rows[i].then["effect"] for i in matched), default="met")
        differs += declared != alphabetical
    assert differs > 0
    require_dmn_tools()
    assert _agree(table_set, [table], out) == len(list(domain_points(table.domains)))
    root = ET.parse(out / f"{table.key}.dmn").getroot()
    grid = root.find(".//dmn:decisionTable", NS)
    assert grid is not None and grid.get("hitPolicy") == "PRIORITY"
    assert grid.find("dmn:output/dmn:outputValues/dmn:text", NS).text == '"open","unmet","met"'  # type: ignore[union-attr]


def test_every_rule_carries_its_row_id_status_and_citations(exported: Path) -> None:
    tables = default_table_set()
    for table in tables:
        root = ET.parse(exported / f"{table.key}.dmn").getroot()
        heads = [a.get("name") for a in root.iterfind(".//dmn:decisionTable/dmn:annotation", NS)]
        assert heads[:3] == ["row id", "status", "citations"]
        rules = root.findall(".//dmn:rule", NS)
        assert len(rules) == len(table.spec.rows)
        for rule, row in zip(rules, table.spec.rows, strict=True):
            texts = [
                e.findtext("dmn:text", "", NS) for e in rule.iterfind("dmn:annotationEntry", NS)
            ]
            assert texts[0] == row.id
            assert texts[1] == tables.vocabulary.statuses[row.status].label.en  # type: ignore[union-attr]
            for cited in row.citations:
                assert cited.source in texts[2], (table.key, row.id)


def test_a_period_file_chains_the_tables_as_the_library_does(exported: Path) -> None:
    tables = default_table_set()
    for period in tables.periods():
        root = ET.parse(exported / f"in-force@{period.first_day.isoformat()}.dmn").getroot()
        decisions = {d.get("label"): d for d in root.iterfind("dmn:decision", NS)}
        assert list(decisions) == [table.key for table in period.tables]
        ids = {d.get("id"): d.get("label") for d in decisions.values()}
        for table in period.tables:
            required = {
                ids[r.get("href", "")[1:]]
                for r in decisions[table.key].iterfind(".//dmn:requiredDecision", NS)
            }
            upstream = {t.key for t in period.tables if t.family in table.upstream_families}
            assert required == upstream, table.key
            expressions = [
                e.text for e in decisions[table.key].iterfind(".//dmn:inputExpression/dmn:text", NS)
            ]
            assert len(expressions) == len(table.columns)


def test_the_cli_exports_named_versions(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "betanketid_rules",
            "export",
            "dmn",
            "--out",
            str(tmp_path),
            "utl-5-15-outcome@2022-08-01",
            "utl-5-15-standing@2014-06-01",  # a date: the version in force that day
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "utl-5-15-outcome@2022-08-01.dmn",
        "utl-5-15-standing@2013-08-01.dmn",
    ]
    bad = subprocess.run(
        [sys.executable, "-m", "betanketid_rules", "export", "dmn", "--out", str(tmp_path), "x@1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "no table family 'x'" in bad.stderr


def test_the_cells_are_feel_of_the_rows() -> None:
    """Independently of any engine: each input entry lists the row's accepted values, in the
    domain's order, or ``-``."""
    table = default_table_set().table("utl-5-15-standing@2022-08-01")
    root = table_definitions(default_table_set(), table, "en")
    rules = root.findall(".//dmn:rule", NS)
    for rule, row in zip(rules, table.spec.rows, strict=True):
        entries = [e.findtext("dmn:text", "", NS) for e in rule.iterfind("dmn:inputEntry", NS)]
        for entry, column in zip(entries, table.columns, strict=True):
            cell = row.conditions.get(column.name)
            if cell is None:
                assert entry == "-"
            else:
                expected = [v for v in column.domain if v in cell and type(v) is type(cell[0])]
                assert entry.split(",") == [
                    ("true" if v else "false") if isinstance(v, bool) else f'"{v}"'
                    for v in expected
                ]
    assert rules, "no rules"
