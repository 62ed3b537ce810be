"""What a table gives at a point: matching, the hit policies of DMN, and domain enumeration.

This is the definition both engines, ``check``, ``diff`` and the engine-equality proof rely
on. A row's cells are the values it accepts per input column (``None``: any value); a point is
one value per input column. :func:`matching_rows` is the plain row loop (the obviously correct
definition), :func:`apply_hit_policy` turns the rows that match into the rows that count and
the outputs passed on, and :func:`domain_points` enumerates a product of finite domains.

>>> from betanketid_rules._tables import default_table_set
>>> table = default_table_set().table("utl-5-15-standing@2022-08-01")
>>> values = dict(zip(table.column_names, next(domain_points(table.domains))))
>>> result_at(table, tuple(values.values())).outputs
{'route': 'fu_reflection'}
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._errors import HitPolicyError
from .._types import AggregatedValue, Cell, CellScalar, Values
from ._format import Row

if TYPE_CHECKING:
    from ._tableset import Table


#: The most points one table's input space may have (the product of its input domains): the
#: loader refuses a larger table before anything enumerates it, so ``check`` and the engines
#: never try to walk a space that would not fit in memory or time.
MAX_INPUT_SPACE = 1 << 20


@dataclass(frozen=True)
class HitResult:
    """What a table gives for one input: the rows that count and the outputs passed on."""

    matched: tuple[int, ...]
    fired: tuple[int, ...]
    outputs: dict[str, AggregatedValue]
    #: The outputs as later tables read them: ``(family.output, value)`` pairs.
    passed: tuple[tuple[str, AggregatedValue], ...] = ()


def _result(
    table: Table, matched: tuple[int, ...], fired: tuple[int, ...], outputs: dict[str, Any]
) -> HitResult:
    keys = table.output_keys
    passed = tuple((keys[name], value) for name, value in outputs.items())
    return HitResult(matched, fired, outputs, passed)


def row_cells(rows: Sequence[Row], columns: Sequence[str]) -> tuple[tuple[Cell, ...], ...]:
    """Each row's cells in the order of ``columns``."""
    cells = []
    for row in rows:
        conditions = row.conditions
        cells.append(
            tuple(
                frozenset(conditions[column]) if column in conditions else None
                for column in columns
            )
        )
    return tuple(cells)


def cell_matches(cell: Cell, value: CellScalar) -> bool:
    """Whether ``value`` satisfies ``cell`` (booleans never equal numbers here).

    >>> cell_matches(frozenset({1}), True), cell_matches(None, True)
    (False, True)
    """
    if cell is None:
        return True
    return any(v == value and type(v) is type(value) for v in cell)


def matching_rows(cells: Sequence[Sequence[Cell]], values: Sequence[CellScalar]) -> tuple[int, ...]:
    """Indices of every row all of whose cells accept ``values``, in row order."""
    return tuple(
        index
        for index, row in enumerate(cells)
        if all(cell_matches(cell, value) for cell, value in zip(row, values, strict=True))
    )


def _priority(table: Table, index: int) -> tuple[int, ...]:
    row = table.spec.rows[index]
    return tuple(output.values.index(row.then[output.name]) for output in table.spec.outputs)


def apply_hit_policy(
    table: Table, matched: tuple[int, ...], values: Sequence[CellScalar]
) -> HitResult:
    """Apply the table's DMN hit policy to the rows that matched ``values``.

    UNIQUE needs exactly one row; FIRST takes the first in row order; PRIORITY the row whose
    outputs come first in the outputs' declared value order; COLLECT takes every row and
    aggregates (LIST keeps the values in row order, COUNT counts, MAX/MIN use the value order).
    Raises :class:`~betanketid_rules.HitPolicyError` when the policy is violated.
    """
    spec = table.spec
    rows = spec.rows
    policy = spec.hit_policy
    if policy == "COLLECT":
        outputs: dict[str, AggregatedValue] = {}
        for output in spec.outputs:
            collected = [rows[i].then[output.name] for i in matched]
            if spec.aggregation == "LIST":
                outputs[output.name] = tuple(collected)
            elif spec.aggregation == "COUNT":
                outputs[output.name] = len(collected)
            elif not collected:
                outputs[output.name] = output.default
            else:
                ranks = [output.values.index(value) for value in collected]
                pick = max(ranks) if spec.aggregation == "MAX" else min(ranks)
                outputs[output.name] = output.values[pick]
        return _result(table, matched, matched, outputs)
    if (policy == "UNIQUE" and len(matched) != 1) or not matched:
        inputs = dict(zip(table.column_names, values, strict=True))
        raise HitPolicyError(table.key, policy, [rows[i].id for i in matched], inputs)
    if policy == "PRIORITY":
        chosen = min(matched, key=lambda index: (_priority(table, index), index))
    else:
        chosen = matched[0]
    return _result(table, matched, (chosen,), dict(rows[chosen].then))


def result_at(table: Table, values: Values) -> HitResult:
    """The hit result of ``table`` at ``values`` by the row loop.

    Raises :class:`~betanketid_rules.HitPolicyError` on a violation.
    """
    return apply_hit_policy(table, matching_rows(table.cells, values), values)


def domain_points(domains: Sequence[Sequence[CellScalar]]) -> Iterator[Values]:
    """Every point of the product of ``domains``, the first column varying slowest.

    >>> list(domain_points([(False, True), ("a",)]))
    [(False, 'a'), (True, 'a')]
    """
    return itertools.product(*domains)


@dataclass(frozen=True)
class PointResult:
    """One point of a table's domain: its position, its values and what the table gives."""

    #: Per column, the index of the value in its domain.
    position: tuple[int, ...]
    values: Values
    matched: tuple[int, ...]
    result: HitResult | HitPolicyError

    @property
    def fired(self) -> tuple[int, ...]:
        """The rows that count (none where the hit policy is violated)."""
        return () if isinstance(self.result, HitPolicyError) else self.result.fired


def evaluate_domain(
    table: Table, domains: Sequence[Sequence[CellScalar]] | None = None
) -> Iterator[PointResult]:
    """``table`` evaluated at every point of ``domains`` (by default its declared domains)."""
    domains = table.domains if domains is None else domains
    cells = table.cells
    positions = itertools.product(*(range(len(domain)) for domain in domains))
    for position, values in zip(positions, domain_points(domains), strict=True):
        matched = matching_rows(cells, values)
        try:
            result: HitResult | HitPolicyError = apply_hit_policy(table, matched, values)
        except HitPolicyError as violation:
            result = violation
        yield PointResult(position, values, matched, result)
