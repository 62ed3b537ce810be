"""``check`` and ``diff`` on the shipped tables against the same tables with wider inputs.

Issue 17's goal for checks that scale with rows: a table that reads five more boolean columns
(its domain 32 times larger) keeps ``check`` and ``diff`` within 2 times their time and
memory. The wider set is the shipped one with five boolean case fields it does not read added
as inputs to the 2022 standing table, no row conditioning on them (built by ``tests/support.py``
for ``tests/test_atoms.py`` too). ``check`` checks the whole set (both engines where
durable_rules runs); ``diff`` compares the standing table's last two versions
(``utl-5-15-standing@2007-07-01`` against ``@2022-08-01``), whose input space grows 32 times
with the wider one.

Each measure runs in a fresh interpreter, shipped and wider interleaved in a shuffled order,
and reads the child's own peak memory; the medians of the time (inside the child, after its
imports) and of the peak memory are compared. It exits 1 when a ratio passes its goal.

    .venv/bin/python benchmarks/bench_check.py            # about a minute on 2 cores
    .venv/bin/python benchmarks/bench_check.py --quick
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from betanketid_rules._tables import default_tables_dir

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support import widen_standing  # the same wider tables as tests/test_atoms.py

CHILD = """
import json, resource, sys, time
from pathlib import Path
from betanketid_rules._tables import read_table_set
from betanketid_rules._verify.check import check_tables
from betanketid_rules._verify.diff import diff_table_versions
directory = Path(sys.argv[2])
started = time.perf_counter()
if sys.argv[1] == "check":
    report = check_tables(directory)
    points, found = report.points, len(report.findings)
else:
    table_set = read_table_set(directory).table_set
    diff = diff_table_versions(
        table_set, "utl-5-15-standing@2007-07-01", "utl-5-15-standing@2022-08-01"
    )
    points = diff.comparisons[0].points
    found = len(diff.comparisons[0].decision_changes)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "points": points, "findings": found}))
"""


#: Each ratio as issue 17 measured it, point by point, before checks reasoned over regions:
#: ``check`` 2.3 s -> 55 s, ``diff`` 1 s -> 35 s and 61 MB -> 796 MB (peak memory of ``check``
#: was not measured then).
BEFORE: dict[str, float | None] = {
    "check, time": 55 / 2.3,
    "check, peak memory": None,
    "diff, time": 35 / 1,
    "diff, peak memory": 796 / 61,
}


def measure(command: str, directory: Path) -> dict[str, float]:
    """One ``check`` or ``diff`` of ``directory`` in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, command, str(directory)],
        check=True,
        capture_output=True,
        text=True,
        env={"BETANKETID_RULES_CACHE": "off", "PATH": "/usr/bin:/bin"},
    ).stdout
    result: dict[str, float] = json.loads(out)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Run the measurement and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    rounds = 2 if args.quick else args.rounds
    with tempfile.TemporaryDirectory() as scratch:
        sets = {
            "shipped": default_tables_dir(),
            "five more columns": widen_standing(Path(scratch) / "t"),
        }
        runs = [(command, name) for command in ("check", "diff") for name in sets]
        samples: dict[tuple[str, str], list[dict[str, float]]] = {run: [] for run in runs}
        rng = random.Random(17)
        for _ in range(rounds):
            rng.shuffle(runs)
            for command, name in runs:
                samples[command, name].append(measure(command, sets[name]))
    print(f"{'command, tables':<28}{'points':>10}{'found':>8}{'median s':>10}{'peak MB':>10}")
    median: dict[tuple[str, str], dict[str, float]] = {}
    for key in sorted(samples):
        results = samples[key]
        median[key] = {
            field: statistics.median(run[field] for run in results) for field in ("seconds", "peak")
        }
        first = results[0]
        print(
            f"{key[0] + ', ' + key[1]:<28}{first['points']:>10.0f}{first['findings']:>8.0f}"
            f"{median[key]['seconds']:>10.2f}{median[key]['peak'] / 2**20:>10.1f}"
        )
    failed = False
    print(f"\n{'ratio, wider / shipped':<28}{'median':>8}{'before':>8}{'goal':>8}  result")
    for command in ("check", "diff"):
        for field, label in (("seconds", "time"), ("peak", "peak memory")):
            ratio = median[command, "five more columns"][field] / median[command, "shipped"][field]
            ok = ratio <= 2
            failed |= not ok
            name = f"{command}, {label}"
            before = BEFORE[name]
            shown = f"{before:>8.1f}" if before is not None else f"{'-':>8}"
            print(f"{name:<28}{ratio:>8.2f}{shown}{'<= 2':>8}  {'ok' if ok else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
