#!/usr/bin/env python3
"""Which mutants that only the legal properties kill does the CI hypothesis profile kill?

``run.py`` runs every principle of ``tests/legal_properties.py`` over a fixed sample; the test
suite runs the same principles with hypothesis (``tests/test_properties.py``, profile ``ci``:
derandomized, 200 examples each). A mutant the runner kills only through the properties is
caught by CI only if hypothesis draws a case that shows it. This script takes those mutants
from a report (``run.py --json FILE``) and runs each principle's hypothesis test, under the
``ci`` profile's settings, against each mutant, and each principle over the region cases
(``tests/region_cases.py``) that the suite also checks; it lists the mutants neither catches.

Usage (from the repository root)::

    .venv/bin/python tools/mutation/run.py --json artifacts/mutation.json
    .venv/bin/python tools/mutation/ci_profile.py artifacts/mutation.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for path in (HERE, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import legal_properties as lp  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from mutants import enumerate_mutants  # noqa: E402
from region_cases import region_cases  # noqa: E402
from test_properties import strategy_of  # noqa: E402

from betanketid_rules import Case  # noqa: E402
from betanketid_rules._tables import default_tables_dir, load_table_set  # noqa: E402

#: The ``ci`` profile of ``tests/conftest.py``.
CI = settings(
    derandomize=True,
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def caught_by(prop: lp.LegalProperty, subject: lp.Subject) -> str | None:
    """The first failure hypothesis finds for ``prop`` against ``subject`` (CI settings)."""
    found: list[str] = []

    def holds(case: Case) -> None:
        try:
            message = prop.check(subject, case)
        except Exception as error:  # a crash is a failure
            message = f"raised {type(error).__name__}"
        if message and not found:
            found.append(message)
        assert message is None

    holds.__name__ = holds.__qualname__ = f"test_{prop.name}"
    holds._hypothesis_internal_add_digest = prop.name.encode()  # type: ignore[attr-defined]
    try:
        CI(given(strategy_of(prop))(holds))()
    except Exception:
        return found[0] if found else "failed"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="a report written by run.py --json")
    parser.add_argument(
        "--killer-only",
        action="store_true",
        help="try only the principle that killed the mutant on the sample (fast)",
    )
    parser.add_argument("--only", nargs="+", metavar="ID", help="these mutants only")
    args = parser.parse_args(argv)
    report: dict[str, Any] = json.loads(args.report.read_text(encoding="utf-8"))
    wanted = args.only or [r["id"] for r in report["results"] if r["killers"] == ["properties"]]
    # The principle that killed it on the sample is tried first, then the others in order.
    first = {r["id"]: (r["prop"] or "").partition(":")[0] for r in report["results"]}
    tables = default_tables_dir()
    by_id = {m.id: m for m in enumerate_mutants(load_table_set(tables))}
    missed: list[str] = []
    neither: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "tables"
        for mutant_id in wanted:
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(tables, copy)
            for relative, text in by_id[mutant_id].files:
                target = copy / relative
                if text is None:
                    target.unlink()
                else:
                    target.write_text(text, encoding="utf-8")
            mutant_set = load_table_set(copy)
            subject = lp.Subject.of(mutant_set)
            ordered = sorted(lp.PROPERTIES, key=lambda p: p.name != first.get(mutant_id))
            if args.killer_only:
                ordered = ordered[:1]
            verdict = next(
                (f"{p.name}: {m}" for p in ordered if (m := caught_by(p, subject))), None
            )
            regions = any(p.check(subject, case) for p in lp.PROPERTIES for case in region_cases())
            shown = "caught" if verdict else "MISSED"
            print(f"{shown}  {mutant_id} (region cases: {'caught' if regions else 'MISSED'})")
            if verdict is None:
                missed.append(mutant_id)
            if not (verdict or regions):
                neither.append(mutant_id)
    print(
        f"{len(wanted)} mutants killed only by the properties; the ci profile's draws miss "
        f"{len(missed)}; with the region cases (test_legal_property_in_every_region_...), "
        f"{len(neither)} are missed ({time.perf_counter() - started:.0f}s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
