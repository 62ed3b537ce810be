"""The exported DMN decided by pyDMNrules, a DMN engine the library did not write.

pyDMNrules is GPL-licensed and pulls pandas: it is never a dependency of the package or of its
extras. It runs in a virtual environment of its own (``.ci/run`` makes ``.venv-pydmnrules``
from ``tools/pydmnrules/requirements.txt``; ``BETANKETID_PYDMNRULES_PYTHON`` names another
interpreter) and reads the exported files through ``tools/pydmnrules/decide.py``. These tests
are marked ``pydmnrules`` and run as their own ``.ci/run`` step (importing pyDMNrules alone
takes about 25 s); where its environment is missing they skip, except with
``BETANKETID_REQUIRE_DMN_TOOLS=1``, where that fails.

For every table version at every point of its declared domain: the outputs and the rules fired
equal the library's, and where the library's hit policy is violated (a gap or an overlap of a
UNIQUE table) pyDMNrules reports an error too. Two readings of pyDMNrules 1.4.5 are allowed for:
it reports "no rules matched" for a COLLECT table where no rule matches (DMN's empty list, the
library's empty tuple), and numbers come back as floats.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from dmn_support import ROOT
from test_export_dmn import NON_ALPHABETICAL, non_alphabetical  # noqa: F401 (a fixture)

from betanketid_rules import HitPolicyError
from betanketid_rules._export._dmn import exported_policy, write_dmn
from betanketid_rules._export._feel import name as feel_name
from betanketid_rules._tables import Table, TableSet, default_table_set
from betanketid_rules._tables._evaluate import apply_hit_policy, domain_points, matching_rows

pytestmark = pytest.mark.pydmnrules

DECIDE = ROOT / "tools" / "pydmnrules" / "decide.py"


def _python() -> str:
    named = os.environ.get("BETANKETID_PYDMNRULES_PYTHON")
    candidate = Path(named) if named else ROOT / ".venv-pydmnrules" / "bin" / "python"
    if candidate.is_file():
        return str(candidate)
    message = (
        f"no pyDMNrules environment at {candidate} (python3 -m venv .venv-pydmnrules && "
        ".venv-pydmnrules/bin/pip install -r tools/pydmnrules/requirements.txt)"
    )
    if os.environ.get("BETANKETID_REQUIRE_DMN_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _decide(tables: list[tuple[Table, Path]]) -> list[list[dict[str, Any]]]:
    """What pyDMNrules decides for each (table, directory of its file) at every point of the
    table's declared domains (one run: importing pyDMNrules alone takes about 25 s)."""
    jobs = {
        "tables": [
            {
                "file": str(directory / f"{table.key}.dmn"),
                "columns": list(table.column_names),
                "points": [list(values) for values in domain_points(table.domains)],
            }
            for table, directory in tables
        ]
    }
    done = subprocess.run(
        [_python(), str(DECIDE)],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results: list[list[dict[str, Any]]] = json.loads(done.stdout)["tables"]
    return results


def _same(value: Any, expected: Any) -> bool:
    if isinstance(expected, tuple):
        return (
            isinstance(value, list)
            and len(value) == len(expected)
            and all(_same(v, e) for v, e in zip(value, expected, strict=True))
        )
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        return value == expected and type(value) is type(expected)
    return isinstance(value, int | float) and not isinstance(value, bool) and value == expected


def _agree(tables: list[Table], decided_by_table: list[list[dict[str, Any]]]) -> int:
    """Assert that pyDMNrules decided each table as the library does; the points checked."""
    points = 0
    for table, decided in zip(tables, decided_by_table, strict=True):
        spec = table.spec
        single = len(spec.outputs) == 1
        policy = exported_policy(table)
        for values, got in zip(domain_points(table.domains), decided, strict=True):
            points += 1
            where = (table.key, values, got)
            matched = matching_rows(table.cells, values)
            try:
                library = apply_hit_policy(table, matched, values)
            except HitPolicyError:
                assert "errors" in got, where
                continue
            if spec.hit_policy == "COLLECT" and spec.aggregation == "LIST" and not matched:
                table_name = feel_name(spec.family)
                no_match = f"No rules matched the input data for decision table '{table_name}'"
                assert got["errors"] == [no_match], where
                continue
            assert "errors" not in got, where
            outputs = got["outputs"]
            if single:  # the decision's value is the one output's, under the decision's name
                (value,) = outputs.values()
                outputs = {spec.outputs[0].name: value}
            assert outputs.keys() == library.outputs.keys(), where
            for name, expected in library.outputs.items():
                assert _same(outputs[name], expected), (name, *where)
            if policy.hit_policy == "PRIORITY" and spec.hit_policy == "COLLECT":
                # the rule standing for the maximum: the first row fired with that value
                output = spec.outputs[0].name
                chosen = min(
                    (i for i in library.fired if spec.rows[i].then[output] == outputs[output]),
                    default=None,
                )
                assert got["rules"] == ([] if chosen is None else [chosen]), where
            else:
                assert got["rules"] == list(library.fired), where
    return points


def test_pydmnrules_decides_every_point_as_the_library(
    tmp_path: Path,
    non_alphabetical: tuple[TableSet, Table, Path],  # noqa: F811
) -> None:
    """Every shipped table version, and the fixture whose declared order of the conditions'
    effect is not alphabetical (exported as PRIORITY, its order kept)."""
    tables = list(default_table_set())
    write_dmn(default_table_set(), tmp_path, tables, lang="en")
    _, fixture, fixture_dir = non_alphabetical
    assert NON_ALPHABETICAL in fixture.path.read_text(encoding="utf-8")
    decided = _decide([*((table, tmp_path) for table in tables), (fixture, fixture_dir)])
    points = _agree([*tables, fixture], decided)
    shipped = sum(len(list(domain_points(table.domains))) for table in tables)
    assert points == shipped + len(list(domain_points(fixture.domains)))
    print(f"pyDMNrules: {shipped} points of {len(tables)} table versions agree (and the fixture)")
