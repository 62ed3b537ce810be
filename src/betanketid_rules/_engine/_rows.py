"""Rows as cell sets, the hit policies of DMN, and the obviously correct row loop."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .._errors import HitPolicyError
from .._tables import Table
from .._tables._format import CellScalar

Cell = frozenset[CellScalar] | None
"""The values a row accepts in one column; ``None`` means any value."""

AggregatedValue = CellScalar | tuple[CellScalar, ...]


@dataclass(frozen=True)
class HitResult:
    """What a table gives for one input: the rows that count and the outputs passed on."""

    matched: tuple[int, ...]
    fired: tuple[int, ...]
    outputs: dict[str, AggregatedValue]


def row_cells(table: Table) -> tuple[tuple[Cell, ...], ...]:
    """Each row's cells in input-column order."""
    columns = table.column_names
    cells = []
    for row in table.spec.rows:
        per_column: list[Cell] = []
        for column in columns:
            if column not in row.when:
                per_column.append(None)
                continue
            cell: Any = row.when[column]
            per_column.append(frozenset(cell if isinstance(cell, list) else [cell]))
        cells.append(tuple(per_column))
    return tuple(cells)


def cell_matches(cell: Cell, value: CellScalar) -> bool:
    """Whether ``value`` satisfies ``cell`` (booleans never equal numbers here)."""
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
    """
    spec = table.spec
    rows = spec.rows
    inputs = dict(zip(table.column_names, values, strict=True))
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
        return HitResult(matched, matched, outputs)
    if policy == "UNIQUE" and len(matched) != 1:
        raise HitPolicyError(table.key, policy, [rows[i].id for i in matched], inputs)
    if not matched:
        raise HitPolicyError(table.key, policy, [], inputs)
    if policy == "PRIORITY":
        chosen = min(matched, key=lambda index: (_priority(table, index), index))
    else:
        chosen = matched[0]
    return HitResult(matched, (chosen,), dict(rows[chosen].then))
