"""Loading tables: the shipped set is valid; every broken file is named with its line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support import plant

from betanketid_rules import TableError
from betanketid_rules._schemas import schema_text
from betanketid_rules._tables import default_table_set, load_table_set, read_table_set
from betanketid_rules._tables._yaml import read_yaml

STANDING_2022 = Path("utl-5-15-standing/2022-08-01.yaml")


def only_problem(tables: Path) -> tuple[str, int | None, str]:
    with pytest.raises(TableError) as caught:
        load_table_set(tables)
    problems = caught.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    return problem.file, problem.line, problem.reason


def test_shipped_tables_load() -> None:
    table_set = default_table_set()
    assert table_set.order == (
        "utl-5-15-standing",
        "utl-5-15-conditions",
        "utl-5-neighbour-conditions",  # 5 kap. 15 b, 16 a and 15 d §§ (issue 13, step 3)
        "utl-5-15-outcome",
        "utl-7-7b-transitional",
        "utl-7-revocation",
        "utl-5-15-appeal",
        "utl-5-15-effects",
        "utl-5-15-remarks",
        "utl-7-revocation-appeal",
    )
    # 18 before the neighbouring permits: 3 versions of utl-5-neighbour-conditions and 3 more
    # of standing, outcome and appeal each (2010-07-01, 2013-08-01, 2015-01-01): 30; the
    # revocation matter adds 11 (utl-7-7b-transitional 1, utl-7-revocation 6, its appeal 4).
    assert sum(1 for _ in table_set) == 41
    revocation = {"utl-7-7b-transitional", "utl-7-revocation", "utl-7-revocation-appeal"}
    assert {f for f in table_set.order if table_set.matter_of(f) == "revocation"} == revocation
    assert table_set.outcome_families == {
        "application": "utl-5-15-outcome",
        "revocation": "utl-7-revocation",
    }


def test_unknown_column_value_is_named_with_file_and_line(tables_copy: Path) -> None:
    line = plant(
        tables_copy, STANDING_2022, "relation: accompanying_child}", "relation: stepchild}"
    )
    file, found, reason = only_problem(tables_copy)
    assert file.endswith(str(STANDING_2022))
    assert found == line
    assert "unknown value 'stepchild' for column 'relation'" in reason


def test_unknown_citation_source_is_named(tables_copy: Path) -> None:
    line = plant(tables_copy, STANDING_2022, "source: SRC-20,", "source: SRC-999,")
    file, found, reason = only_problem(tables_copy)
    assert file.endswith(str(STANDING_2022))
    assert found == line
    assert "'SRC-999' is not in sources.yaml" in reason


def test_overlapping_versions_are_named(tables_copy: Path) -> None:
    path = Path("utl-5-15-outcome/2015-01-01.yaml")  # the version before 2022-08-01
    plant(tables_copy, path, "in_force_to: 2022-07-31", "in_force_to: 2022-08-05")
    file, line, reason = only_problem(tables_copy)
    assert file.endswith("utl-5-15-outcome/2022-08-01.yaml")
    assert line is not None
    assert reason.startswith("version overlap")


def test_missing_note_is_named(tables_copy: Path) -> None:
    path = Path("utl-5-15-remarks/2006-03-31.yaml")
    text = (tables_copy / path).read_text(encoding="utf-8")
    start = text.index("    note:\n      sv: Att personen")
    end = text.index("\n  - id: remark-child")
    (tables_copy / path).write_text(text[:start].rstrip("\n") + text[end:], encoding="utf-8")
    file, line, reason = only_problem(tables_copy)
    assert file.endswith(str(path))
    assert line == text[: text.index("  - id: remark-eu-citizen")].count("\n") + 1
    assert "note: Field required" in reason


def test_duplicate_row_id_is_named(tables_copy: Path) -> None:
    line = plant(tables_copy, STANDING_2022, "- id: 5-15-sn-not-victim", "- id: 5-15-2st-sn")
    _, found, reason = only_problem(tables_copy)
    assert found == line
    assert "duplicate row id '5-15-2st-sn'" in reason


def test_yaml_syntax_error_is_named(tables_copy: Path) -> None:
    line = plant(tables_copy, STANDING_2022, "hit_policy: UNIQUE", "hit_policy: [UNIQUE")
    problems = read_table_set(tables_copy).problems
    syntax = [p for p in problems if p.reason.startswith("YAML syntax")]
    assert len(syntax) == 1
    assert syntax[0].file.endswith(str(STANDING_2022))
    assert syntax[0].line is not None and syntax[0].line >= line
    # The unreadable table is missing from its family, which is reported too.
    assert {p.reason.split(":")[0] for p in problems} == {"YAML syntax", "version gap"}


def test_every_problem_is_reported_not_only_the_first(tables_copy: Path) -> None:
    plant(tables_copy, STANDING_2022, "relation: accompanying_child}", "relation: stepchild}")
    plant(tables_copy, STANDING_2022, "source: SRC-20,", "source: SRC-999,")
    result = read_table_set(tables_copy)
    assert not result.complete
    assert len(result.problems) == 2
    # What loaded is still there (the check runs on it); the broken table is not.
    assert result.table_set is not None
    assert "utl-5-15-standing@2022-08-01" not in {table.key for table in result.table_set}
    assert "utl-5-15-standing@2007-07-01" in {table.key for table in result.table_set}


def test_schema_tables_validates_every_shipped_table_file() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_text("tables"))
    for table in default_table_set():
        document = read_yaml(table.path)
        data = json.loads(json.dumps(document.data, default=str))
        jsonschema.validate(data, schema)


def test_row_ids_follow_the_legal_naming() -> None:
    for table in default_table_set():
        for row in table.spec.rows:
            assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", row.id)
