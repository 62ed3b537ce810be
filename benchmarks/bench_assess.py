"""Cost of an assessment against one evaluation of a case not seen before, in one run.

Issue 12's goals, as ratios of medians measured in the same process, interleaved:

* everything but ``applicant``, ``permit`` and ``decision_date`` unknown: at most 100 times
  one ``evaluate()`` of a never-seen case;
* two or three unknowns: at most 10 times.

Nothing here is measured on a repeated input. Each repeat walks three pools in a shuffled
order, each pool a list of distinct inputs drawn once (seeded):

* ``evaluate``: random valid cases over every wording, the native engine's Decision caches
  emptied before each call (its per-table lookups and its verdicts by rows fired stay warm,
  as in a long-running process);
* three unknowns: random valid cases over every wording with three random fields the chain
  reads left unknown;
* nearly all unknown: every applicant and permit on a date in each wording, everything else
  unknown.

An assessment keeps nothing keyed by the whole partial case: the root of its chain diagram
(the first table in the partial case's context) is walked and summed up every time, and so are
its weights and results. What it keeps is keyed like the per-table lookups ``evaluate`` keeps:
the nodes below the root (the tables from the second on, each in the context it reads), and
things of shape only (a question plan per projection, regions per set of points, a chain's
layout, the valid combinations of the person's fields given those known).

The script prints each median, the ratios with the spread of the per-repeat ratio and whether
each goal is met; it exits 1 if one is missed.

    .venv/bin/python benchmarks/bench_assess.py            # about a minute on 2 cores
    .venv/bin/python benchmarks/bench_assess.py --quick
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from betanketid_rules import Case, assess
from betanketid_rules._engine import _NATIVE
from betanketid_rules._tables import default_table_set
from betanketid_rules._tables._columns import APPLICATION_DOMAINS

#: One decision date in each wording of 5 kap. 15 §.
DATES = ("2006-06-01", "2012-03-01", "2024-02-01")


def random_case(rng: random.Random) -> dict[str, Any]:
    """A valid case, as JSON-like data, with every finite field drawn at random."""
    while True:
        data: dict[str, Any] = {"decision_date": rng.choice(DATES), "person": {}, "facts": {}}
        for path, domain in APPLICATION_DOMAINS.items():
            head, _, tail = path.partition(".")
            if tail:
                data[head][tail] = rng.choice(domain)
            else:
                data[head] = rng.choice(domain)
        try:
            Case.model_validate(data)
        except ValueError:
            continue
        return data


def without(data: dict[str, Any], paths: Sequence[str]) -> dict[str, Any]:
    """``data`` with the fields at ``paths`` left out (unknown)."""
    kept = {**data, "person": dict(data["person"]), "facts": dict(data["facts"])}
    for path in paths:
        head, _, tail = path.partition(".")
        if tail:
            del kept[head][tail]
        else:
            del kept[head]
    return kept


def pools(size: int, rng: random.Random) -> dict[str, list[Any]]:
    """The distinct inputs of each measure."""
    table_set = default_table_set()
    cases: list[Case] = []
    seen: set[str] = set()
    while len(cases) < size:
        case = Case.model_validate(random_case(rng))
        if (key := case.model_dump_json()) not in seen:
            seen.add(key)
            cases.append(case)
    three: list[dict[str, Any]] = []
    seen = set()
    while len(three) < size:
        data = random_case(rng)
        chain = table_set.chain_on(dt.date.fromisoformat(data["decision_date"]))
        read = sorted(
            {c.source.path for t in chain for c in t.columns if hasattr(c.source, "path")}
        )
        partial = without(data, rng.sample(read, 3))
        if (key := repr(partial)) not in seen:
            seen.add(key)
            three.append(partial)
    mostly = [
        {"decision_date": day, "applicant": applicant, "permit": permit}
        for day in DATES
        for applicant in APPLICATION_DOMAINS["applicant"]
        for permit in APPLICATION_DOMAINS["permit"]
    ]
    return {"evaluate": cases, "three": three, "mostly": mostly}


def never_seen(case: Case) -> Any:
    """``evaluate()`` as for a case never decided before: the Decision caches emptied."""
    for cache in _NATIVE._sets.values():
        cache.by_case.clear()
    return _NATIVE.decide(default_table_set(), case)


def _per_call(function: Callable[[Any], Any], inputs: Sequence[Any]) -> float:
    started = time.perf_counter()
    for item in inputs:
        function(item)
    return (time.perf_counter() - started) / len(inputs)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the measurement and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--pool", type=int, default=200, help="distinct inputs per measure")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--goal",
        action="append",
        choices=("three", "mostly"),
        help="only this goal decides the exit status (repeatable; default: both)",
    )
    args = parser.parse_args(argv)
    deciding = set(args.goal or ("three", "mostly"))
    rounds, size = (3, 40) if args.quick else (args.rounds, args.pool)
    rng = random.Random(12)
    inputs = pools(size, rng)
    measures: dict[str, tuple[Callable[[Any], Any], list[Any]]] = {
        "evaluate, never-seen case": (never_seen, inputs["evaluate"]),
        "assess, 3 unknowns": (assess, inputs["three"]),
        "assess, all but applicant/permit/date": (assess, inputs["mostly"]),
    }
    for function, items in measures.values():  # warm: tables compiled, shapes seen once
        _per_call(function, items)
    samples: dict[str, list[float]] = {name: [] for name in measures}
    order = list(measures)
    for _ in range(rounds):
        rng.shuffle(order)
        for name in order:
            function, items = measures[name]
            samples[name].append(_per_call(function, items))
    median = {name: statistics.median(values) for name, values in samples.items()}
    print(f"{'measure':<40}{'inputs':>8}{'median µs':>12}")
    for name, value in median.items():
        print(f"{name:<40}{len(measures[name][1]):>8}{value * 1e6:>12.1f}")
    base = "evaluate, never-seen case"
    goals = [
        ("assess, 3 unknowns", 10, "three"),
        ("assess, all but applicant/permit/date", 100, "mostly"),
    ]
    failed = False
    print(f"\n{'ratio to one evaluate()':<40}{'median':>8}{'spread':>16}{'goal':>8}  result")
    for name, goal, key in goals:
        ratio = median[name] / median[base]
        per_round = [a / b for a, b in zip(samples[name], samples[base], strict=True)]
        spread = f"{min(per_round):.1f}-{max(per_round):.1f}"
        ok = ratio <= goal
        failed |= not ok and key in deciding
        verdict = ("ok" if ok else "MISSED") + ("" if key in deciding else " (not gated)")
        print(f"{name:<40}{ratio:>8.1f}{spread:>16}{'<= ' + str(goal):>8}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
