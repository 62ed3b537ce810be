"""The native engine: the reference evaluator, compiled to lookups over finite domains.

Every table's whole input domain is finite, so on first use each table is compiled into a
dictionary from input tuple to hit result, computed with the plain row loop of
:func:`~._rows.matching_rows`. A case then costs one lookup per table, and the assembled
Decision (immutable) is cached by the trace steps that produced it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import weakref
from dataclasses import dataclass, field

from .._contract import Case, Decision, EngineName
from .._errors import HitPolicyError
from .._tables import Table, TableSet
from ._chain import Values, assemble, table_aid, trace_step
from ._rows import HitResult, apply_hit_policy, matching_rows

#: Decisions kept per table set; cleared when full (a bound on memory, not a correctness matter).
DECISION_CACHE_SIZE = 4096


def _compile(table: Table) -> dict[Values, HitResult | HitPolicyError]:
    cells = table_aid(table).cells
    compiled: dict[Values, HitResult | HitPolicyError] = {}
    for values in itertools.product(*table.domains):
        try:
            compiled[values] = apply_hit_policy(table, matching_rows(cells, values), values)
        except HitPolicyError as violation:
            compiled[values] = violation
    return compiled


@dataclass
class _SetCache:
    chains: dict[dt.date, tuple[Table, ...]] = field(default_factory=dict)
    decisions: dict[tuple[int, ...], Decision] = field(default_factory=dict)


class NativeEngine:
    """Plain-Python evaluation of the table data; the default and the reference."""

    name: EngineName = "native"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._compiled: weakref.WeakKeyDictionary[
            Table, dict[Values, HitResult | HitPolicyError]
        ] = weakref.WeakKeyDictionary()
        self._sets: weakref.WeakKeyDictionary[TableSet, _SetCache] = weakref.WeakKeyDictionary()

    def compiled(self, table: Table) -> dict[Values, HitResult | HitPolicyError]:
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

    def decide(self, table_set: TableSet, case: Case) -> Decision:
        """The decision for ``case``: one lookup per table, then a cached assembly."""
        cache = self._sets.get(table_set)
        if cache is None:
            cache = self._sets.setdefault(table_set, _SetCache())
        chain = cache.chains.get(case.decision_date)
        if chain is None:
            chain = table_set.chain_on(case.decision_date)
            if len(cache.chains) > DECISION_CACHE_SIZE:
                cache.chains.clear()
            cache.chains[case.decision_date] = chain
        upstream: dict[str, object] = {}
        steps = []
        for table in chain:
            values = tuple(read(case, upstream) for read in table_aid(table).readers)
            hit = self.hit(table, values)
            for name, value in hit.outputs.items():
                upstream[f"{table.family}.{name}"] = value
            steps.append(trace_step(table_set, table, values, hit))
        key = tuple(id(step) for step in steps)
        decision = cache.decisions.get(key)
        if decision is None:
            decision = assemble(table_set, chain, steps, self.name)
            if len(cache.decisions) >= DECISION_CACHE_SIZE:
                cache.decisions.clear()
            cache.decisions[key] = decision
        return decision
