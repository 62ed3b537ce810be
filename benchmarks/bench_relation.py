"""Deciding a case register by a join against the decision relation, beside ``evaluate()``.

The same generated cases (the docs' DuckDB query ``generate-cases`` of
``docs/guide/relation.rst``, with ``--cases`` rows) are decided twice in one run:

* ``join``: DuckDB (``--threads``, default 2) runs the docs' query ``decide-by-join`` (the
  period, the slice, the inputs the slice does not use made null, then hash joins) against the
  files written by ``betanketid-rules export relation`` (Parquet);
* ``evaluate()``: a Python loop calling ``evaluate(case)`` on every case, each a dict as read
  from the register.

After timing, every case's outcome, permit and rows fired from the join are compared with
``evaluate()``'s (the run exits 1 on a difference, so the join is not fast by being wrong). It
prints the time of the export, of the join and of the loop, per case and as a ratio. Needs the
test extra (pyarrow, duckdb).

    .venv/bin/python benchmarks/bench_relation.py                   # 200,000 cases, ~30 s
    .venv/bin/python benchmarks/bench_relation.py --cases 1000000   # the issue's million
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from betanketid_rules import evaluate
from betanketid_rules._export._relation import write_relation
from betanketid_rules._tables import default_table_set

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guide" / "relation.rst"


def docs_sql(name: str) -> str:
    """The SQL block of the docs' relation page after the marker ``name``."""
    text = GUIDE.read_text(encoding="utf-8")
    found = re.search(rf"\.\. {name}\n\n\.\. code-block:: sql\n\n((?:   .*\n|\n)+)", text)
    if found is None:
        raise SystemExit(f"no SQL block {name!r} in {GUIDE}")
    return "\n".join(line.removeprefix("   ") for line in found.group(1).splitlines())


def case_of(row: dict[str, Any]) -> dict[str, Any]:
    case: dict[str, Any] = {
        "decision_date": row["decision_date"].isoformat(),
        "applicant": row["applicant"],
        "permit": row["permit"],
        "person": {k[7:]: v for k, v in row.items() if k.startswith("person_")},
        "facts": {k[6:]: v for k, v in row.items() if k.startswith("facts_")},
    }
    if row["application_date"] is not None:
        case["application_date"] = row["application_date"].isoformat()
    return case


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {args.cases:,} cases, DuckDB {duckdb.__version__}")
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory)
        started = time.perf_counter()
        write_relation(default_table_set(), out, "parquet")
        exported = time.perf_counter() - started
        connection = duckdb.connect()
        connection.execute(f"SET threads TO {args.threads}; SET file_search_path = '{out}'")
        sizes = {
            name: connection.execute(f"SELECT count(*) FROM '{name}.parquet'").fetchone()[0]  # type: ignore[index]
            for name in ("relation", "slices", "periods")
        }
        connection.execute(docs_sql("generate-cases").replace("1000000", str(args.cases)))
        started = time.perf_counter()
        connection.execute(docs_sql("decide-by-join"))
        joined = time.perf_counter() - started
        cursor = connection.execute("SELECT * FROM cases ORDER BY case_id")
        names = [column[0] for column in cursor.description]
        cases = [case_of(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
        by_join = connection.execute(
            "SELECT outcome, permit_type, permit_days, permit_min_months, rules_fired "
            "FROM decided ORDER BY case_id"
        ).fetchall()
    started = time.perf_counter()
    decisions = [evaluate(case) for case in cases]
    looped = time.perf_counter() - started
    if len(by_join) != len(cases):
        print(f"the join decided {len(by_join):,} of {len(cases):,} cases", file=sys.stderr)
        return 1
    for case, decision, joined_row in zip(cases, decisions, by_join, strict=True):
        permit = decision.permit
        expected = (
            decision.outcome,
            permit.type if permit else None,
            permit.days if permit else None,
            permit.min_months if permit else None,
            list(decision.rules_fired),
        )
        if tuple(joined_row) != expected:
            print(f"the join differs from evaluate() for {case}", file=sys.stderr)
            return 1
    per = 1e6 / args.cases
    print("rows: " + ", ".join(f"{name} {count:,}" for name, count in sizes.items()))
    print(f"export relation (Parquet):   {exported:8.2f} s")
    print(f"join in DuckDB:              {joined:8.2f} s   {joined * per:8.2f} µs/case")
    print(f"evaluate() loop:             {looped:8.2f} s   {looped * per:8.2f} µs/case")
    print(f"evaluate() loop / join:      {looped / joined:8.1f} x")
    print(f"all {args.cases:,} cases agree (outcome, permit, rows fired)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
