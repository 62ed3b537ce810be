"""The engines under load: 8 threads on the durable engine, and memory over many evaluations.

These are the slowest tests of the suite (about a minute on two cores, most of it the 80,000
durable evaluations: durable_rules costs ~0.1 ms per table, four tables a case); they are
marked ``slow`` so a quick local run can leave them out with ``-m "not slow"``.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import random
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from support import needs_durable

from betanketid_rules import Case, Decision, evaluate
from betanketid_rules._contract import EARLIEST_DECISION_DATE
from betanketid_rules._engine import get_engine
from betanketid_rules._engine._native import DECISION_CACHE_SIZE
from betanketid_rules._tables import Table, default_table_set
from betanketid_rules._tables._columns import (
    APPLICATION_DOMAINS,
    CASE_DOMAINS,
    CaseField,
    DerivedValue,
)

TABLE_SET = default_table_set()
LAST_DAY = dt.date(2035, 12, 31)
RSS_LIMIT_MB = 20.0


pytestmark = pytest.mark.slow


def _case(values: dict[str, Any], decision_date: dt.date, lodged_before: bool = False) -> Case:
    """A valid case from ``{"applicant": ..., "facts.ties_broken": ...}``; the application is
    lodged the day before ``decision_date`` if ``lodged_before``."""
    data: dict[str, Any] = {"decision_date": decision_date, "person": {}, "facts": {}}
    for path, value in values.items():
        head, _, field = path.partition(".")
        if field:
            data[head][field] = value
        else:
            data[head] = value
    if data["person"].get("relation") == "accompanying_child":
        data["person"]["is_child"] = True
    if lodged_before:
        data["application_date"] = decision_date - dt.timedelta(days=1)
    return Case.model_validate(data)


def random_cases(seed: int, count: int) -> list[Case]:
    """``count`` valid applications drawn at random over every contract value and decision date."""
    rng = random.Random(seed)
    span = (LAST_DAY - EARLIEST_DECISION_DATE).days
    paths = list(APPLICATION_DOMAINS)
    cases = []
    for _ in range(count):
        day = EARLIEST_DECISION_DATE + dt.timedelta(days=rng.randrange(span + 1))
        values = {path: rng.choice(APPLICATION_DOMAINS[path]) for path in paths}
        cases.append(_case(values, day, lodged_before=rng.random() < 0.3))
    return cases


def _reads(table: Table) -> tuple[list[str], bool]:
    """The case paths ``table`` reads, and whether it reads a derived value."""
    sources = [column.source for column in table.columns]
    paths = [s.path for s in sources if isinstance(s, CaseField)]
    return paths, any(isinstance(s, DerivedValue) for s in sources)


def covering_cases() -> list[Case]:
    """Cases that between them give every table every input it can receive in practice.

    Per wording: every input of the first table (standing: who applies for what, for whom,
    lodged when); then one representative per distinct (first table's outputs, values later
    tables also read) with every combination of each later table's own case inputs.
    """
    cases: list[Case] = []
    for day in TABLE_SET.change_dates():
        root, *later = TABLE_SET.chain_on(day)
        root_paths, root_derived = _reads(root)
        shared = {p for table in later for p in _reads(table)[0]} & set(root_paths)
        representatives: dict[Any, tuple[dict[str, Any], bool]] = {}
        for combo in itertools.product(*(CASE_DOMAINS[p] for p in root_paths)):
            for lodged in (False, True) if root_derived else (False,):
                values = dict(zip(root_paths, combo, strict=True))
                case = _case(values, day, lodged)
                cases.append(case)
                outputs = evaluate(case).trace[0].outputs
                key = (tuple(outputs.items()), tuple(values[p] for p in sorted(shared)), lodged)
                representatives.setdefault(key, (values, lodged))
        for table in later:
            own = [p for p in _reads(table)[0] if p not in root_paths]
            for values, lodged in representatives.values():
                for combo in itertools.product(*(CASE_DOMAINS[p] for p in own)):
                    cases.append(_case(values | dict(zip(own, combo, strict=True)), day, lodged))
    return cases


def _same(durable: Decision, native: Decision) -> bool:
    return durable.engine == "durable" and durable.model_copy(update={"engine": "native"}) == native


# --- 8 threads ------------------------------------------------------------------------------

THREADS = 8
CASES_PER_THREAD = 10_000
DISTINCT_PER_THREAD = 1_250


@needs_durable
def test_eight_threads_of_10000_durable_cases_each_equal_the_native_engine() -> None:
    """8 threads share the one durable engine (one Host, one lock) and the native engine; every
    durable decision equals the native one. Each thread draws its 10,000 cases from its own
    1,250 distinct random cases (the durable engine caches nothing, so every case is a full run;
    the repetition only spares the native engine 8,750 assemblies per thread)."""
    get_engine("durable")  # built once, before the threads start
    plans = []
    for index in range(THREADS):
        distinct = random_cases(seed=1000 + index, count=DISTINCT_PER_THREAD)
        rng = random.Random(index)
        plans.append([rng.choice(distinct) for _ in range(CASES_PER_THREAD)])
    compared = [0] * THREADS
    mismatches: list[list[str]] = [[] for _ in range(THREADS)]
    errors: list[list[str]] = [[] for _ in range(THREADS)]
    spans: list[tuple[float, float]] = [(0.0, 0.0)] * THREADS
    barrier = threading.Barrier(THREADS)

    def work(index: int) -> None:
        barrier.wait()
        start = time.perf_counter()
        for case in plans[index]:
            try:
                if not _same(evaluate(case, engine="durable"), evaluate(case)):
                    mismatches[index].append(case.model_dump_json())
            except Exception as error:  # recorded, so the test names it
                errors[index].append(f"{case.model_dump_json()}: {error!r}")
            compared[index] += 1
        spans[index] = (start, time.perf_counter())

    threads = [threading.Thread(target=work, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [e for per_thread in errors for e in per_thread][:3] == []
    assert [m for per_thread in mismatches for m in per_thread][:3] == []
    assert compared == [CASES_PER_THREAD] * THREADS
    # The threads really ran at the same time: every one started before any finished.
    assert max(start for start, _ in spans) < min(end for _, end in spans)


# --- memory ------------------------------------------------------------------------------------


def rss_mb() -> float:
    """The process's resident set size in MB, from /proc/self/status."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")  # pragma: no cover


needs_proc = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="RSS is read from /proc (Linux)"
)

NATIVE_EVALUATIONS = 200_000
NATIVE_POOL = 3_000
DURABLE_EVALUATIONS = 20_000


@pytest.fixture(scope="module")
def warm() -> list[Case]:
    """Warm the native engine's bounded caches and return a pool of random cases.

    The native engine caches, per table, the result and trace step of each input it has seen:
    bounded by the table's finite domain, not by the number of evaluations, but it fills as
    new inputs arrive (tens of MB for all ten tables). :func:`covering_cases` (~2,800 cases
    since the 2022 tables follow the statute text) gives every table every input it can
    receive, so after them these caches are full. With more random cases they exceed
    DECISION_CACHE_SIZE distinct Decisions, so the whole-case cache has filled and evicted:
    its high-water mark is reached before RSS is measured.
    """
    pool = random_cases(seed=7, count=NATIVE_POOL)
    filler = random_cases(seed=8, count=DECISION_CACHE_SIZE + 2_000)
    covering = covering_cases()
    assert len({*covering, *filler, *pool}) > DECISION_CACHE_SIZE
    for case in [*covering, *filler, *pool]:
        evaluate(case)
    return pool


@needs_proc
def test_native_rss_grows_under_20_mb_over_200000_evaluations(warm: list[Case]) -> None:
    """200,000 evaluations of random cases after the warm-up add less than 20 MB: a leak of
    100 bytes per evaluation would show. The cases (3,000 distinct, created before the first
    measurement) repeat, as real case loads do; each is assembled once, then found again."""
    rng = random.Random(11)
    order = [rng.randrange(NATIVE_POOL) for _ in range(NATIVE_EVALUATIONS)]
    gc.collect()
    before = rss_mb()
    for index in order:
        evaluate(warm[index])
    gc.collect()
    growth = rss_mb() - before
    assert growth < RSS_LIMIT_MB, f"RSS grew {growth:.1f} MB over {NATIVE_EVALUATIONS} evaluations"


@needs_durable
@needs_proc
def test_durable_rss_grows_under_20_mb_over_20000_evaluations(warm: list[Case]) -> None:
    """20,000 durable evaluations after 500 to warm up (every table's ruleset registered, the
    engine's session pools allocated) add less than 20 MB: sessions are deleted after every
    case (without that, durable_rules fails at 1,025 cases holding ~700 MB)."""
    for case in warm[:500]:
        evaluate(case, engine="durable")
    cases = [warm[index % NATIVE_POOL] for index in range(DURABLE_EVALUATIONS)]
    gc.collect()
    before = rss_mb()
    for case in cases:
        evaluate(case, engine="durable")
    gc.collect()
    growth = rss_mb() - before
    assert growth < RSS_LIMIT_MB, f"RSS grew {growth:.1f} MB over {DURABLE_EVALUATIONS} evaluations"
