"""Real workloads, each goal of issue 17 as a ratio measured in one run (interleaved, medians).

* **varied stream**: 20,000 random valid cases under the 2022 wording (every applicant,
  permit, offence, relation and fact drawn; most combinations seen once), in steady state,
  against the hand-written if/else of ``bench_engines.py`` on the same stream. Target <= 10.
* **varied stream wider than the cache** (no target, shown so the bound is not mistaken for
  speed): 100,000 random valid cases, more than the engine keeps, so most are decided anew.
* **unseen / repeated**: a case whose combination of facts this process has not decided yet
  (tables compiled: the engine has seen every table point, but not this whole case) against
  the same case decided again. Target <= 5.
* **JSON in, JSON out**: the command line's inner loop (strict parse, validate, decide, write
  the decision record) against the floor of parsing the same line with ``json.loads`` and
  writing the same output bytes. Target <= 2. The compact record is measured beside it (no
  target: its floor writes a few hundred bytes a line, so the deciding is most of it).
* **cold start**: one ``betanketid-rules evaluate`` of one case against ``python -c pass``,
  side by side in subprocesses. Target <= 20.
* **streaming memory**: the peak resident memory of ``iter_records`` over N varied cases
  (``--stream``, default 200,000) in a subprocess, against the same process deciding 1,000.
  Target: the difference under 200 MB and flat in N.

Times are processor time (of this process and of the subprocesses it waits for), not wall
time, so that other work on a shared machine is not counted. Every evaluator's answers are
checked against the native engine first. Each ratio is computed
per repeat (the two sides timed back to back, in shuffled order) and the median of those is
printed with its spread and its target; the script exits 1 if a target is missed.

    .venv/bin/python benchmarks/bench_workloads.py           # about a minute on 2 cores
    .venv/bin/python benchmarks/bench_workloads.py --quick   # smoke run
    .venv/bin/python benchmarks/bench_workloads.py --goal cold --only   # one goal alone (CI)
"""

from __future__ import annotations

import argparse
import functools
import gc
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engines import _answer, cases, if_else

from betanketid_rules import Case, evaluate
from betanketid_rules._cli import main as cli_main
from betanketid_rules._engine._native import DECISION_CACHE_SIZE, NativeEngine
from betanketid_rules._tables import default_table_set

#: Each goal's median ratio before issue 17's work (commit 2cf344f, benchmarks/README.md).
BEFORE = {
    "varied stream: native / if-else": 80.2,
    "unseen / repeated case": 15.8,
    "JSON lines: CLI / floor": 10.1,
    "cold start: evaluate / python": 42.0,
}


def _seconds(run: Callable[[], Any]) -> float:
    """The processor time ``run`` takes in this process and the processes it waits for
    (subprocesses): on a shared machine, time spent waiting for a core is not counted, so a
    ratio measures work, not load."""
    gc.collect()
    start = time.process_time() + _children_seconds()
    run()
    return time.process_time() + _children_seconds() - start


def _children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _ratios(
    numerator: Callable[[], Any], denominator: Callable[[], Any], repeats: int, seed: int
) -> list[float]:
    """``numerator`` / ``denominator`` time per repeat, the two run back to back, shuffled."""
    rng = random.Random(seed)
    ratios = []
    for _ in range(repeats):
        if rng.random() < 0.5:
            top = _seconds(numerator)
            bottom = _seconds(denominator)
        else:
            bottom = _seconds(denominator)
            top = _seconds(numerator)
        ratios.append(top / bottom)
    return ratios


# --- varied stream ---------------------------------------------------------------------------


def varied_stream(stream: Sequence[Case], repeats: int) -> list[float]:
    for case in stream:  # correctness first, and the steady state of the caches
        assert _answer(evaluate(case)) == if_else(case), case.model_dump_json()

    def library() -> None:
        for case in stream:
            evaluate(case)

    def by_hand() -> None:
        for case in stream:
            if_else(case)

    return _ratios(library, by_hand, repeats, seed=1)


def wide_stream(repeats: int) -> list[float]:
    """The varied stream with more distinct cases than ``DECISION_CACHE_SIZE``."""
    stream = cases(100_000, seed=20222)
    assert len({case.model_dump_json() for case in stream}) > DECISION_CACHE_SIZE
    return varied_stream(stream, max(3, repeats // 2))


# --- unseen against repeated -----------------------------------------------------------------


def _decide_all(engine: NativeEngine, chunk: Sequence[Case]) -> None:
    table_set = default_table_set()
    for case in chunk:
        engine.decide(table_set, case)


#: Passes of each side per repeat of the unseen/repeated ratio: a repeated pass over 2,000
#: cases takes a few milliseconds, too short to time alone on a shared machine.
UNSEEN_PASSES = 4


def unseen_against_repeated(stream: Sequence[Case], repeats: int) -> list[float]:
    """A fresh engine per repeat, its tables warmed on the whole stream. Before an unseen pass
    its whole-case caches are emptied (untimed), so each case of the pass is new to it as a
    whole; a repeated pass decides cases it has just decided. Each repeat times
    :data:`UNSEEN_PASSES` of each, interleaved in shuffled order."""
    table_set = default_table_set()
    chunk = stream[:2000]
    rng = random.Random(4)
    ratios = []
    for _ in range(repeats):
        engine = NativeEngine()
        for case in stream:  # every table point seen, every case of the chunk decided
            engine.decide(table_set, case)
        sides = ["unseen", "repeated"] * UNSEEN_PASSES
        rng.shuffle(sides)
        spent = {"unseen": 0.0, "repeated": 0.0}
        for side in sides:
            if side == "unseen":  # untimed: the chunk's cases become new to the engine
                for cache in engine._sets.values():
                    cache.by_case.clear()
            spent[side] += _seconds(functools.partial(_decide_all, engine, chunk))
        ratios.append(spent["unseen"] / spent["repeated"])
    return ratios


# --- JSON in, JSON out -----------------------------------------------------------------------


def _cli_lines(lines: bytes, *extra: str) -> bytes:
    stdin, stdout = sys.stdin, sys.stdout
    out = io.BytesIO()
    writer = io.TextIOWrapper(out, encoding="utf-8")
    sys.stdin = io.TextIOWrapper(io.BytesIO(lines), encoding="utf-8")
    sys.stdout = writer
    try:
        cli_main(["evaluate", "--jsonl", *extra])
        writer.flush()
        return out.getvalue()
    finally:
        sys.stdin, sys.stdout = stdin, stdout
        writer.detach()


def json_in_out(stream: Sequence[Case], repeats: int, *extra: str) -> list[float]:
    lines = [case.model_dump_json().encode() for case in stream[:5000]]
    document = b"\n".join(lines) + b"\n"
    expected = _cli_lines(document, *extra).splitlines(keepends=True)
    assert len(expected) == len(lines)

    def floor() -> None:
        out = io.BytesIO()
        for line, written in zip(lines, expected, strict=True):
            json.loads(line)
            out.write(written)

    return _ratios(lambda: _cli_lines(document, *extra), floor, repeats, seed=2)


# --- cold start ------------------------------------------------------------------------------


#: Processes started per side per repeat of the cold start: ``python -c pass`` takes about
#: 15 ms of processor time, too short to time once on a shared machine.
COLD_RUNS = 3


def cold_start(repeats: int) -> list[float]:
    case = json.dumps(
        {"decision_date": "2023-03-15", "applicant": "the_person", "permit": "reflection_period"}
    )
    command = [sys.executable, "-m", "betanketid_rules", "evaluate"]

    def evaluate_once() -> None:
        for _ in range(COLD_RUNS):
            subprocess.run(command, input=case, text=True, capture_output=True, check=True)

    def python_pass() -> None:
        for _ in range(COLD_RUNS):
            subprocess.run([sys.executable, "-c", "pass"], check=True)

    # As after an install: the package's byte-compiled files written (also where the caller's
    # environment says not to write them), and the table set loaded, checked and kept once.
    warm = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, input=case, text=True, capture_output=True, check=True, env=warm)
    return _ratios(evaluate_once, python_pass, repeats, seed=3)


# --- streaming memory ------------------------------------------------------------------------

_STREAM_SCRIPT = """
import sys
sys.path.insert(0, {bench!r})
from bench_engines import cases
from betanketid_rules import iter_records
count = int(sys.argv[1])
pool = cases(5000, seed=11)
def stream():
    for number in range(count):
        yield pool[number % len(pool)].model_copy(update={{"reference": str(number)}})
done = sum(1 for _ in iter_records(stream()))
assert done == count
# The high-water mark of this process's own memory (ru_maxrss would carry the parent's peak
# over fork and exec on Linux).
status = open("/proc/self/status").read().split("VmHWM:")[1].split()
print(int(status[0]) * 1024)
"""


def stream_memory(count: int) -> tuple[float, float]:
    """Peak resident bytes of a process streaming ``count`` cases, and of one streaming 1,000."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(_STREAM_SCRIPT.format(bench=str(Path(__file__).resolve().parent)))
    peaks = []
    for n in (1000, count):
        done = subprocess.run(
            [sys.executable, script.name, str(n)], capture_output=True, text=True, check=True
        )
        peaks.append(float(done.stdout.strip()))
    Path(script.name).unlink()
    return peaks[0], peaks[1]


# --- report ----------------------------------------------------------------------------------

#: The goals, by the name ``--goal`` gives them.
GOALS = ("varied", "unseen", "json", "cold", "memory")


def _verdict(ok: bool, deciding: bool) -> str:
    """``ok`` or ``MISSED``, marked when the goal does not decide the exit status."""
    word = "ok" if ok else "MISSED"
    return word if deciding else f"{word} (not gated)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run every workload; print each ratio with its target; 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000, help="cases in the varied stream")
    parser.add_argument("--repeats", type=int, default=7, help="interleaved repeats")
    parser.add_argument("--stream", type=int, default=200_000, help="cases streamed for memory")
    parser.add_argument("--quick", action="store_true", help="smoke run")
    parser.add_argument(
        "--goal",
        action="append",
        choices=GOALS,
        help="only this goal decides the exit status (repeatable; default: every goal); "
        "the others are measured and printed all the same",
    )
    parser.add_argument(
        "--only",
        action="store_true",
        help="measure only the goals that decide the exit status (with --goal), for a gate that "
        "runs each goal on its own",
    )
    args = parser.parse_args(argv)
    deciding = set(args.goal or GOALS)
    if args.quick:
        args.cases, args.repeats, args.stream = 3000, 3, 20_000
    r = args.repeats
    stream = cases(args.cases, seed=20221)
    distinct = len({case.model_dump_json() for case in stream})
    print(
        f"Python {sys.version.split()[0]}; varied stream of {len(stream)} cases "
        f"({distinct} distinct), {args.repeats} repeats"
    )

    measures: list[tuple[str, str | None, Callable[[], list[float]], float | None]] = [
        ("varied stream: native / if-else", "varied", lambda: varied_stream(stream, r), 10),
        ("wider than the cache (info)", None, lambda: wide_stream(r), None),
        ("unseen / repeated case", "unseen", lambda: unseen_against_repeated(stream, r), 5),
        ("JSON lines: CLI / floor", "json", lambda: json_in_out(stream, r), 2),
        ("JSON lines --compact (info)", None, lambda: json_in_out(stream, r, "--compact"), None),
        ("cold start: evaluate / python", "cold", lambda: cold_start(r), 20),
    ]
    results = [
        (label, goal, measure(), target)
        for label, goal, measure, target in measures
        if not args.only or goal in deciding
    ]
    print(f"\n{'goal':<36}{'median':>8}{'spread':>14}  {'before':>7}  target  result")
    missed = 0
    for label, goal, ratios, target in results:
        value = statistics.median(ratios)
        spread = f"{min(ratios):.2f}-{max(ratios):.2f}"
        before = BEFORE.get(label)
        shown_before = f"{before:>7.1f}" if before is not None else f"{'-':>7}"
        if target is None:
            print(f"{label:<36}{value:>8.2f}{spread:>14}  {shown_before}  {'-':<6}  -")
            continue
        ok = value <= target
        missed += not ok and goal in deciding
        print(
            f"{label:<36}{value:>8.2f}{spread:>14}  {shown_before}  <= {target:<3}  "
            f"{_verdict(ok, goal in deciding)}"
        )
    if args.only and "memory" not in deciding:
        return 1 if missed else 0
    small, large = stream_memory(args.stream)
    growth = (large - small) / 1e6
    ok = growth < 200
    missed += not ok and "memory" in deciding
    print(
        f"{'streaming memory: ' + str(args.stream) + ' cases':<36}{large / 1e6:>7.0f}M"
        f"{'(1,000: ' + f'{small / 1e6:.0f}M)':>16}  growth {growth:.0f} MB < 200  "
        f"{_verdict(ok, 'memory' in deciding)}"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
