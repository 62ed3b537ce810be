"""Cost of an assessment against one evaluation of a case not seen before, in one run.

Issue 12's goals, as ratios of medians measured in the same process, interleaved:

* everything but ``applicant``, ``permit`` and ``decision_date`` unknown: at most 100 times
  one ``evaluate()`` of a never-seen case;
* two or three unknowns: at most 10 times.

A never-seen case is timed with the native engine's Decision caches emptied before each call
(its per-table lookups stay warm, as in a long-running process). The script prints each
median, the ratios and whether each goal is met; it exits 1 if one is missed.

    .venv/bin/python benchmarks/bench_assess.py            # ~10-20 s
    .venv/bin/python benchmarks/bench_assess.py --quick
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from betanketid_rules import Case, assess
from betanketid_rules._engine import _NATIVE
from betanketid_rules._tables import default_table_set

FULL: dict[str, Any] = {
    "decision_date": "2024-02-01",
    "applicant": "social_welfare_board",
    "permit": "reflection_period",
    "person": {"in_sweden": True, "is_child": False, "eu_citizen": False, "relation": "self"},
    "facts": {
        "presumed_offence": "trafficking",
        "needed_for_investigation": True,
        "willing_to_cooperate": False,
        "ties_broken": False,
        "public_order_objection": False,
        "wants_reflection_period": True,
        "special_reasons_longer_reflection": False,
    },
}

MOSTLY_UNKNOWN = {key: FULL[key] for key in ("decision_date", "applicant", "permit")}
THREE_UNKNOWN = {
    **FULL,
    "person": {k: v for k, v in FULL["person"].items() if k != "in_sweden"},
    "facts": {
        k: v
        for k, v in FULL["facts"].items()
        if k not in ("needed_for_investigation", "public_order_objection")
    },
}


def never_seen(case: Case) -> Any:
    """``evaluate()`` as for a case never decided before: the Decision caches emptied."""
    for cache in _NATIVE._sets.values():
        cache.decisions.clear()
        cache.by_case.clear()
    return _NATIVE.decide(default_table_set(), case)


def _time(function: Callable[[], Any], repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - started) / repeat


def main(argv: Sequence[str] | None = None) -> int:
    """Run the measurement and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else args.rounds
    case = Case.model_validate(FULL)
    measures: dict[str, tuple[Callable[[], Any], int]] = {
        "evaluate, never-seen case": (lambda: never_seen(case), 200),
        "assess, 3 unknowns": (lambda: assess(THREE_UNKNOWN), 50),
        "assess, all but applicant/permit/date": (lambda: assess(MOSTLY_UNKNOWN), 2),
    }
    for function, _ in measures.values():
        function()  # warm
    samples: dict[str, list[float]] = {name: [] for name in measures}
    order = list(measures)
    rng = random.Random(1)
    for _ in range(rounds):
        rng.shuffle(order)
        for name in order:
            function, repeat = measures[name]
            samples[name].append(_time(function, repeat))
    median = {name: statistics.median(values) for name, values in samples.items()}
    print(f"{'measure':<40}{'median µs':>12}")
    for name, value in median.items():
        print(f"{name:<40}{value * 1e6:>12.1f}")
    base = median["evaluate, never-seen case"]
    goals = [
        ("assess, 3 unknowns", 10),
        ("assess, all but applicant/permit/date", 100),
    ]
    failed = False
    print(f"\n{'ratio to one evaluate()':<40}{'value':>8}{'goal':>8}  result")
    for name, goal in goals:
        ratio = median[name] / base
        ok = ratio <= goal
        failed |= not ok
        print(f"{name:<40}{ratio:>8.1f}{'<= ' + str(goal):>8}  {'ok' if ok else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
