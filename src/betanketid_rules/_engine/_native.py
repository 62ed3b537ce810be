"""The native engine: the reference evaluator, compiled to lookups over finite domains.

Every table's input domain is finite, so each table is compiled on first use into a dictionary
from input tuple to hit result, computed with the plain row loop of
:func:`~._rows.matching_rows` (the obviously correct definition). A case then costs, per table,
one C-level read of its inputs and one dictionary lookup that also yields the table's
(immutable, shared) trace step; the assembled Decision is cached by the steps that made it.
In front of all that, a Decision already made is found again by one C-level read of every case
value the chain uses and one dictionary lookup (bounded, like the assembled Decisions).
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .._contract import Case, Decision, EngineName, TraceStep
from .._errors import HitPolicyError
from .._tables import Table, TableSet
from .._tables._columns import CASE_PREFIX, DERIVED, DERIVED_PREFIX
from ._chain import Values, assemble, read_inputs, table_aid, trace_step
from ._rows import HitResult, apply_hit_policy, matching_rows

#: Decisions (and decision-date chains) kept per table set; cleared when full. A bound on
#: memory, not a matter of correctness: a miss only costs one assembly.
DECISION_CACHE_SIZE = 4096

Compiled = dict[Values, HitResult | HitPolicyError]


def _compile(table: Table) -> Compiled:
    cells = table_aid(table).cells
    compiled: Compiled = {}
    for values in itertools.product(*table.domains):
        try:
            compiled[values] = apply_hit_policy(table, matching_rows(cells, values), values)
        except HitPolicyError as violation:
            compiled[values] = violation
    return compiled


def _tuple_getter(
    make: Callable[..., Callable[[Any], Any]], names: list[str]
) -> Callable[[Any], tuple[Any, ...]]:
    """A C-level getter of ``names`` that always returns a tuple."""
    if not names:
        return lambda _: ()
    getter = make(*names)
    if len(names) == 1:
        return lambda source: (getter(source),)
    return getter


@dataclass
class _StepPlan:
    """How to evaluate one table fast: input readers, and a cache from inputs to results."""

    table: Table
    read_case: Callable[[Case], tuple[Any, ...]]
    read_upstream: Callable[[dict[str, Any]], tuple[Any, ...]]
    read_derived: Callable[[Case], tuple[Any, ...]]
    results: dict[tuple[Any, ...], tuple[dict[str, Any], TraceStep]] = field(default_factory=dict)


def _case_key_reader(tables: tuple[Table, ...]) -> Callable[[Case], tuple[Any, ...]]:
    """A reader of every case field and derived value that ``tables`` read, as one tuple.

    With the chain fixed, these determine every table's inputs (upstream values are functions
    of them), hence the whole Decision: the tuple is a complete cache key for the chain.
    """
    paths: dict[str, None] = {}
    derived: dict[tuple[str, dt.date], None] = {}
    for table in tables:
        for column in table.spec.inputs:
            source = column.source
            if source.startswith(CASE_PREFIX):
                paths[source[len(CASE_PREFIX) :]] = None
            elif source.startswith(DERIVED_PREFIX):
                derived[(source[len(DERIVED_PREFIX) :], table.spec.in_force_from)] = None
    read = _tuple_getter(operator.attrgetter, list(paths))
    functions = [(DERIVED[name][1], start) for name, start in derived]
    if not functions:
        return read
    if len(functions) == 1:
        derive, start = functions[0]
        return lambda case: (read(case), derive(case, start))
    return lambda case: (read(case), tuple(derive(case, start) for derive, start in functions))


@dataclass(eq=False)
class _ChainPlan:
    """The tables in force on some dates: their step plans and the whole-case key reader."""

    steps: tuple[_StepPlan, ...]
    read_key: Callable[[Case], tuple[Any, ...]]


@dataclass
class _SetCache:
    plans: dict[dt.date, _ChainPlan] = field(default_factory=dict)
    chains: dict[tuple[Table, ...], _ChainPlan] = field(default_factory=dict)
    decisions: dict[tuple[int, ...], Decision] = field(default_factory=dict)
    #: (chain plan, whole-case key) -> Decision: the one-lookup path. Cleared together with
    #: ``decisions``, so at most DECISION_CACHE_SIZE Decisions are kept alive per table set.
    by_case: dict[tuple[_ChainPlan, tuple[Any, ...]], Decision] = field(default_factory=dict)


class NativeEngine:
    """Plain-Python evaluation of the table data; the default and the reference."""

    name: EngineName = "native"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._compiled: weakref.WeakKeyDictionary[Table, Compiled] = weakref.WeakKeyDictionary()
        self._steps: weakref.WeakKeyDictionary[Table, _StepPlan] = weakref.WeakKeyDictionary()
        self._sets: weakref.WeakKeyDictionary[TableSet, _SetCache] = weakref.WeakKeyDictionary()
        #: The table set used last and its cache: skips the (pure-Python) weak-dictionary lookup.
        self._last: tuple[weakref.ref[TableSet], _SetCache] | None = None

    def compiled(self, table: Table) -> Compiled:
        """The table's lookup from input tuple to hit result (built once)."""
        lookup = self._compiled.get(table)
        if lookup is None:
            with self._lock:
                lookup = self._compiled.get(table)
                if lookup is None:
                    lookup = _compile(table)
                    self._compiled[table] = lookup
        return lookup

    def hit(self, table: Table, values: Values) -> HitResult:
        """The hit result of ``table`` for ``values``."""
        result = self.compiled(table).get(values)
        if result is None:
            # Outside the declared domain: evaluate directly (the row loop is the reference).
            cells = table_aid(table).cells
            return apply_hit_policy(table, matching_rows(cells, values), values)
        if isinstance(result, HitPolicyError):
            raise result
        return result

    def _step_plan(self, table: Table) -> _StepPlan:
        plan = self._steps.get(table)
        if plan is None:
            sources = [column.source for column in table.spec.inputs]
            case_paths = [s[len(CASE_PREFIX) :] for s in sources if s.startswith(CASE_PREFIX)]
            upstream = [s for s in sources if not s.startswith((CASE_PREFIX, DERIVED_PREFIX))]
            derived = [
                DERIVED[s[len(DERIVED_PREFIX) :]][1]
                for s in sources
                if s.startswith(DERIVED_PREFIX)
            ]
            start = table.spec.in_force_from
            plan = _StepPlan(
                table=table,
                read_case=_tuple_getter(operator.attrgetter, case_paths),
                read_upstream=_tuple_getter(operator.itemgetter, upstream),
                read_derived=(
                    (lambda case: tuple(derive(case, start) for derive in derived))
                    if derived
                    else (lambda case: ())
                ),
            )
            self._steps[table] = plan
        return plan

    def _evaluate_step(
        self, table_set: TableSet, plan: _StepPlan, case: Case, upstream: dict[str, Any]
    ) -> tuple[dict[str, Any], TraceStep]:
        """Slow path of one table: read its inputs in column order and build its trace."""
        table = plan.table
        values = read_inputs(table, case, upstream)
        hit = self.hit(table, values)
        outputs = {f"{table.family}.{name}": value for name, value in hit.outputs.items()}
        return outputs, trace_step(table_set, table, values, hit)

    def _chain_plan(self, table_set: TableSet, cache: _SetCache, day: dt.date) -> _ChainPlan:
        chain = table_set.chain_on(day)
        plan = cache.chains.get(chain)
        if plan is None:
            plan = _ChainPlan(
                steps=tuple(self._step_plan(table) for table in chain),
                read_key=_case_key_reader(chain),
            )
            cache.chains[chain] = plan
        if len(cache.plans) >= DECISION_CACHE_SIZE:
            cache.plans.clear()
        cache.plans[day] = plan
        return plan

    def decide(self, table_set: TableSet, case: Case) -> Decision:
        """The decision for ``case``: one lookup by the case's values; on a miss, one lookup
        per table, then a cached assembly."""
        last = self._last
        cache = last[1] if last is not None and last[0]() is table_set else None
        if cache is None:
            cache = self._sets.get(table_set) or self._sets.setdefault(table_set, _SetCache())
            self._last = (weakref.ref(table_set), cache)
        day = case.decision_date
        chain_plan = cache.plans.get(day)
        if chain_plan is None:
            chain_plan = self._chain_plan(table_set, cache, day)
        case_key = (chain_plan, chain_plan.read_key(case))
        decision = cache.by_case.get(case_key)
        if decision is not None:
            return decision
        plans = chain_plan.steps
        upstream: dict[str, Any] = {}
        steps: list[TraceStep] = []
        for plan in plans:
            key = (plan.read_case(case), plan.read_upstream(upstream), plan.read_derived(case))
            found = plan.results.get(key)
            if found is None:
                found = self._evaluate_step(table_set, plan, case, upstream)
                plan.results[key] = found
            upstream.update(found[0])
            steps.append(found[1])
        decision_key = tuple(map(id, steps))
        decision = cache.decisions.get(decision_key)
        if len(cache.decisions) >= DECISION_CACHE_SIZE or len(cache.by_case) >= DECISION_CACHE_SIZE:
            cache.decisions.clear()
            cache.by_case.clear()
        if decision is None:
            tables = tuple(plan.table for plan in plans)
            decision = assemble(table_set, tables, steps, self.name)
            cache.decisions[decision_key] = decision
        cache.by_case[case_key] = decision
        return decision
