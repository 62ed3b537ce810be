"""The native engine: the reference evaluator, with lookups filled as cases come.

A table's hit result at a point is the shared definition
(:func:`~betanketid_rules._tables._evaluate.result_at`: the plain row loop and the hit policy),
memoised per table and point, so a point is evaluated once. A case runs the one chain loop
(:func:`~._chain.run_chain`) with that lookup and with each table's memo of what it gave in a
context (what the earlier tables passed on) for the case inputs it reads: a table that reads
only earlier outputs costs one lookup, and the trace steps are shared. In front of all that, a
Decision already made is found again by one C-level read of every case value the chain uses
and one dictionary lookup (bounded).
"""

from __future__ import annotations

import datetime as dt
import operator
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .._contract import Case, Decision
from .._errors import HitPolicyError
from .._tables import Table, TableSet
from .._tables._columns import CaseField, DerivedValue
from .._tables._evaluate import HitResult, result_at
from .._types import EngineName, Values
from ._chain import (
    Hit,
    Passed,
    StepMemo,
    TableAid,
    assemble,
    run_chain,
    table_aid,
    verdicts_of,
)

#: Decisions kept per table set by whole case, the least recently stored evicted first, and
#: decision-date chains (cleared when full). A bound on memory, not a matter of correctness: a
#: miss costs one pass over the chain's per-table lookups and one cheap assembly. Measured at
#: about 1.7 KB per kept Decision (its fields, its key, the cache's slot; the trace steps are
#: shared), so at most about 56 MB per table set. The whole-case key space of a wording is
#: finite (245,760 combinations for the 2022 wording, 10,240 for each of the 2007-2022
#: wordings, 320 for the first): keeping all of it would cost about 470 MB, so the bound keeps
#: a working set, for example a varied stream of 20,000 distinct cases.
DECISION_CACHE_SIZE = 32_768

Lookup = dict[Values, HitResult | HitPolicyError]


def _case_key_reader(tables: tuple[Table, ...]) -> Callable[[Case], tuple[Any, ...]]:
    """A reader of every case field and derived value that ``tables`` read, as one tuple.

    With the chain fixed, these determine every table's inputs (upstream values are functions
    of them), hence the whole Decision: the tuple is a complete cache key for the chain.
    """
    paths: dict[str, None] = {}
    derived: dict[tuple[DerivedValue, dt.date], None] = {}
    for table in tables:
        for column in table.columns:
            source = column.source
            if isinstance(source, CaseField):
                paths[source.path] = None
            elif isinstance(source, DerivedValue):
                derived[(source, table.spec.in_force_from)] = None
    names = list(paths)
    if not names:
        read: Callable[[Case], Any] = lambda case: ()  # noqa: E731
    else:
        read = operator.attrgetter(*names)
    functions = [(value.read, start) for value, start in derived]
    if not functions:
        return read
    if len(functions) == 1:
        derive, start = functions[0]
        return lambda case: (read(case), derive(case, start))
    return lambda case: (read(case), tuple(derive(case, start) for derive, start in functions))


@dataclass(eq=False)
class _ChainPlan:
    """The tables in force on some dates, the whole-case key reader and the chain's hit."""

    tables: tuple[Table, ...]
    read_key: Callable[[Case], tuple[Any, ...]]
    #: :meth:`NativeEngine.hit` with the chain's lookups at hand (no weak-dictionary lookup).
    hit: Hit
    #: The chain's trace-step caches, in chain order.
    aids: tuple[TableAid, ...]
    #: Each table's points already run (shared by every chain reading the table).
    memos: tuple[StepMemo, ...]
    #: The table set's verdicts (:func:`~._chain.verdicts_of`).
    verdicts: dict[Any, dict[str, Any]]


@dataclass
class _SetCache:
    plans: dict[dt.date, _ChainPlan] = field(default_factory=dict)
    #: The same for the other matters (a revocation), by matter.
    other_plans: defaultdict[str, dict[dt.date, _ChainPlan]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    chains: dict[tuple[Table, ...], _ChainPlan] = field(default_factory=dict)
    #: Each table's points already run, with the trace step (bounded by the table's domain
    #: times the ways of reaching it), and the empty context they start from.
    memos: dict[Table, StepMemo] = field(default_factory=dict)
    start: Passed = field(default_factory=lambda: Passed({}))
    #: (chain plan, whole-case key) -> Decision: the one-lookup path; at most
    #: DECISION_CACHE_SIZE Decisions are kept alive per table set.
    by_case: OrderedDict[tuple[_ChainPlan, tuple[Any, ...]], Decision] = field(
        default_factory=OrderedDict
    )


def _keep(cache: OrderedDict[Any, Decision], key: Any, decision: Decision) -> None:
    """Put ``decision`` in ``cache``, evicting the oldest entry when it is full (never the
    whole cache at once: a varied stream keeps its recent cases). An ordered dictionary:
    taking the oldest out of a plain one walks past every slot emptied before it."""
    if len(cache) >= DECISION_CACHE_SIZE:
        cache.popitem(last=False)
    cache[key] = decision


def _memoised_hit(lookup: Lookup, table: Table, values: Values) -> HitResult:
    """The hit result of ``table`` at ``values``, evaluated once and kept in ``lookup``."""
    result = lookup.get(values)
    if result is None:
        try:
            result = result_at(table, values)
        except HitPolicyError as violation:
            result = violation
        lookup[values] = result
    if isinstance(result, HitPolicyError):
        raise result
    return result


class NativeEngine:
    """Plain-Python evaluation of the table data; the default and the reference."""

    name: EngineName = "native"

    def __init__(self) -> None:
        self._lookups: weakref.WeakKeyDictionary[Table, Lookup] = weakref.WeakKeyDictionary()
        self._sets: weakref.WeakKeyDictionary[TableSet, _SetCache] = weakref.WeakKeyDictionary()
        #: The table set used last and its cache: skips the (pure-Python) weak-dictionary lookup.
        self._last: tuple[weakref.ref[TableSet], _SetCache] | None = None

    def _lookup(self, table: Table) -> Lookup:
        lookup = self._lookups.get(table)
        if lookup is None:
            lookup = self._lookups.setdefault(table, {})
        return lookup

    def hit(self, table: Table, values: Values) -> HitResult:
        """The hit result of ``table`` for ``values`` (memoised per point)."""
        return _memoised_hit(self._lookup(table), table, values)

    def _chain_hit(self, tables: tuple[Table, ...]) -> Hit:
        lookups = {table: self._lookup(table) for table in tables}

        def hit(table: Table, values: Values) -> HitResult:
            result = lookups[table].get(values)
            if type(result) is HitResult:
                return result
            return _memoised_hit(lookups[table], table, values)

        return hit

    def _chain_plan(
        self, table_set: TableSet, cache: _SetCache, day: dt.date, matter: str
    ) -> _ChainPlan:
        chain = table_set.chain_on(day, matter)
        plan = cache.chains.get(chain)
        if plan is None:
            aids = tuple(map(table_aid, chain))
            memos = tuple(cache.memos.setdefault(table, {}) for table in chain)
            plan = _ChainPlan(
                chain,
                _case_key_reader(chain),
                self._chain_hit(chain),
                aids,
                memos,
                verdicts_of(table_set),
            )
            cache.chains[chain] = plan
        plans = cache.plans if matter == "application" else cache.other_plans[matter]
        if len(plans) >= DECISION_CACHE_SIZE:
            plans.clear()
        plans[day] = plan
        return plan

    def decide(self, table_set: TableSet, case: Case) -> Decision:
        """The decision for ``case``: one lookup by the case's values; on a miss, the chain
        loop with one lookup per table, then a cached assembly."""
        last = self._last
        cache = last[1] if last is not None and last[0]() is table_set else None
        if cache is None:
            cache = self._sets.get(table_set) or self._sets.setdefault(table_set, _SetCache())
            self._last = (weakref.ref(table_set), cache)
        day, matter = case.decision_date, case.matter
        plans = cache.plans if matter == "application" else cache.other_plans[matter]
        chain_plan = plans.get(day)
        if chain_plan is None:
            chain_plan = self._chain_plan(table_set, cache, day, matter)
        case_key = (chain_plan, chain_plan.read_key(case))
        decision = cache.by_case.get(case_key)
        if decision is not None:
            return decision
        fired: list[tuple[int, ...]] = []
        steps = run_chain(
            table_set,
            chain_plan.tables,
            case,
            chain_plan.hit,
            chain_plan.aids,
            fired,
            chain_plan.memos,
            cache.start,
        )
        # Two cases with different keys read different values somewhere in the chain, so
        # their traces differ: the Decision is assembled for this key alone.
        decision = assemble(
            table_set, chain_plan.tables, steps, self.name, tuple(fired), chain_plan.verdicts
        )
        _keep(cache.by_case, case_key, decision)
        return decision
