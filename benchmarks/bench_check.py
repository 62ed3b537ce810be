"""``check`` on the shipped tables against the same tables with wider inputs, in one run.

Issue 17's goal for checks that scale with rows: a table that reads five more boolean columns
(its domain 32 times larger) keeps ``check`` within 2 times its time and memory. The wider set
is the shipped one with five boolean case fields it does not read added as inputs to the 2022
standing table, no row conditioning on them (as ``tests/test_atoms.py`` builds it).

Each measure runs ``check`` (both engines where durable_rules runs) in a fresh interpreter,
shipped and wider interleaved in a shuffled order, and reads the child's own peak memory; the
medians of the time (inside the child, after its imports) and of the peak memory are compared.
It exits 1 when a ratio passes its goal.

    .venv/bin/python benchmarks/bench_check.py            # about a minute on 2 cores
    .venv/bin/python benchmarks/bench_check.py --quick
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from betanketid_rules._tables import default_tables_dir

UNREAD_BOOLEANS = (
    "person.in_sweden",
    "person.is_child",
    "person.eu_citizen",
    "facts.needed_for_investigation",
    "facts.willing_to_cooperate",
)

CHILD = """
import json, resource, sys, time
from pathlib import Path
from betanketid_rules._verify.check import check_tables
started = time.perf_counter()
report = check_tables(Path(sys.argv[1]))
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "points": report.points,
                  "findings": len(report.findings)}))
"""


def widen(target: Path) -> Path:
    """A copy of the shipped tables whose 2022 standing table reads five more booleans."""
    shutil.copytree(default_tables_dir(), target)
    path = target / "utl-5-15-standing" / "2022-08-01.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "  - {name: lodged_before_in_force, from: derived.lodged_before_in_force}\n"
    inputs = "".join(
        f"  - {{name: extra_{n}, from: case.{p}}}\n" for n, p in enumerate(UNREAD_BOOLEANS)
    )
    path.write_text(text.replace(anchor, anchor + inputs), encoding="utf-8")
    return target


def measure(directory: Path) -> dict[str, float]:
    """One ``check`` of ``directory`` in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(directory)],
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
        sets = {"shipped": default_tables_dir(), "five more columns": widen(Path(scratch) / "t")}
        samples: dict[str, list[dict[str, float]]] = {name: [] for name in sets}
        order = list(sets)
        rng = random.Random(17)
        for _ in range(rounds):
            rng.shuffle(order)
            for name in order:
                samples[name].append(measure(sets[name]))
    print(f"{'tables':<20}{'points':>10}{'findings':>10}{'median s':>10}{'peak MB':>10}")
    median: dict[str, dict[str, float]] = {}
    for name, runs in samples.items():
        median[name] = {
            key: statistics.median(run[key] for run in runs) for key in ("seconds", "peak")
        }
        first = runs[0]
        print(
            f"{name:<20}{first['points']:>10.0f}{first['findings']:>10.0f}"
            f"{median[name]['seconds']:>10.2f}{median[name]['peak'] / 2**20:>10.1f}"
        )
    failed = False
    print(f"\n{'ratio, wider / shipped':<28}{'median':>8}{'goal':>8}  result")
    for key, label in (("seconds", "time"), ("peak", "peak memory")):
        ratio = median["five more columns"][key] / median["shipped"][key]
        ok = ratio <= 2
        failed |= not ok
        print(f"{label:<28}{ratio:>8.2f}{'<= 2':>8}  {'ok' if ok else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
