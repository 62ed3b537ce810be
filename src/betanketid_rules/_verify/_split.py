"""The diff's input space as regions: boxes on which every table of both sides decides alike.

``diff`` compares two sides (two chains, or two tables) over an :class:`~.space.InputSpace`.
Rather than evaluating every point, the space is split into boxes, one table at a time, along
the cells of the rows that hold on part of a box only (and along the contract's constraints
between columns), until on every box each table of each side matches the same rows. Each box is
then decided once, at its first point: the tables give every point of the box the same rows and
outputs, so the same decision. The work grows with the rows, not with the number of points.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from .._tables import Table
from .._tables._evaluate import cell_matches
from .._types import Box, CellScalar
from .space import InputSpace

Point = tuple[Any, ...]


class TablePlan(Protocol):
    """How one side evaluates one table: the positions of the extended point it reads."""

    @property
    def table(self) -> Table: ...

    @property
    def indices(self) -> tuple[int, ...]: ...

    @property
    def derived(self) -> dict[int, dict[CellScalar, Any]]: ...

    @property
    def reachable(self) -> dict[int, frozenset[CellScalar]]: ...

    def result(self, extended: Point) -> Any:
        """``(fired, outputs)``, or a violation (an object without outputs)."""
        ...


def _first(box: Box, space: InputSpace) -> Point:
    return tuple(
        column.domain[(mask & -mask).bit_length() - 1]
        for mask, column in zip(box, space.columns, strict=True)
    )


def _split(box: Box, column: int, keep: int) -> tuple[Box, Box]:
    inside = (*box[:column], box[column] & keep, *box[column + 1 :])
    outside = (*box[:column], box[column] & ~keep, *box[column + 1 :])
    return inside, outside


class _Cutter:
    """Finds, for one table of one side in a box, a cut that makes it decide alike."""

    def __init__(self, plan: TablePlan, space: InputSpace) -> None:
        self.plan = plan
        self.width = len(space.columns)
        table = plan.table
        #: Per row, per input read from a column of the space: the values (as a mask over that
        #: column's domain) its cell accepts; inputs read from outputs are checked as constants.
        self.masks: list[dict[int, int]] = []
        for cells in table.cells:
            masks = {}
            for j, (cell, position) in enumerate(zip(cells, plan.indices, strict=True)):
                if cell is None or position >= self.width:
                    continue
                domain = space.columns[position].domain
                seen = plan.derived.get(j)
                masks[position] = sum(
                    1 << i
                    for i, value in enumerate(domain)
                    if cell_matches(cell, seen[value] if seen is not None else value)
                )
            self.masks.append(masks)
        self.limits = {
            plan.indices[j]: sum(
                1 << i
                for i, value in enumerate(space.columns[plan.indices[j]].domain)
                if value in allowed
            )
            for j, allowed in plan.reachable.items()
            if plan.indices[j] < self.width
        }
        self.cells = table.cells

    def cut(self, box: Box, extended: Point) -> tuple[int, int] | None:
        """A column and the values to split ``box`` by, or None when the table decides alike
        on all of it (``extended``: the box's first point with the outputs before it)."""
        for position, allowed in self.limits.items():
            if box[position] & allowed and box[position] & ~allowed:
                return position, allowed
        for cells, masks in zip(self.cells, self.masks, strict=True):
            if not self._outputs_accept(cells, extended):
                continue
            if any(not box[position] & mask for position, mask in masks.items()):
                continue  # the row holds nowhere in the box
            for position, mask in masks.items():
                if box[position] & ~mask:
                    return position, mask
        return None

    def _outputs_accept(self, cells: Sequence[Any], extended: Point) -> bool:
        for cell, position in zip(cells, self.plan.indices, strict=True):
            if (
                cell is not None
                and position >= self.width
                and not cell_matches(cell, extended[position])
            ):
                return False
        return True


def region_boxes(
    space: InputSpace, sides: Sequence[Sequence[TablePlan]]
) -> Iterator[tuple[Point, Box]]:
    """Disjoint boxes holding every valid point of ``space`` once, on each of which every
    table of every side matches the same rows; each with its first point, in the order of the
    first points (the order of :meth:`InputSpace.boxed_points`)."""
    cutters = [[_Cutter(plan, space) for plan in plans] for plans in sides]
    constraints = space.constraints
    found: list[tuple[Point, Box]] = []
    whole: Box = tuple((1 << len(column.domain)) - 1 for column in space.columns)
    pending: list[Box] = [whole] if all(whole) else []
    while pending:
        box = pending.pop()
        split = _constraint_cut(box, space, constraints)
        if split is None:
            split = _table_cut(box, space, sides, cutters)
        if split is None:
            if _allowed(box, space, constraints):
                found.append((_first(box, space), box))
            continue
        for part in _split(box, *split):
            if all(part):
                pending.append(part)
    found.sort(key=lambda item: tuple((m & -m).bit_length() for m in item[1]))
    return iter(found)


def _constraint_cut(
    box: Box, space: InputSpace, constraints: Sequence[tuple[tuple[int, ...], frozenset[Any]]]
) -> tuple[int, int] | None:
    """Split a box where a constraint between columns allows some of its values only: one
    value off a column of the constraint that has several."""
    for indices, allowed in constraints:
        combos = _combinations(box, space, indices)
        inside = sum(1 for combo in combos if combo in allowed)
        if 0 < inside < len(combos):
            for index in indices:
                mask = box[index]
                if mask & (mask - 1):
                    return index, mask & -mask
    return None


def _combinations(box: Box, space: InputSpace, indices: Sequence[int]) -> list[tuple[Any, ...]]:
    values = [
        [v for i, v in enumerate(space.columns[index].domain) if box[index] >> i & 1]
        for index in indices
    ]
    combos: list[tuple[Any, ...]] = [()]
    for options in values:
        combos = [(*combo, value) for combo in combos for value in options]
    return combos


def _allowed(
    box: Box, space: InputSpace, constraints: Sequence[tuple[tuple[int, ...], frozenset[Any]]]
) -> bool:
    point = _first(box, space)
    return all(tuple(point[i] for i in indices) in allowed for indices, allowed in constraints)


def _table_cut(
    box: Box,
    space: InputSpace,
    sides: Sequence[Sequence[TablePlan]],
    cutters: Sequence[Sequence[_Cutter]],
) -> tuple[int, int] | None:
    first = _first(box, space)
    for plans, side in zip(sides, cutters, strict=True):
        extended = first
        for plan, cutter in zip(plans, side, strict=True):
            split = cutter.cut(box, extended)
            if split is not None:
                return split
            found = plan.result(extended)
            outputs = _outputs_of(found)
            if outputs is None:
                break  # a violation: the tables after it are not evaluated
            extended = extended + outputs
    return None


def _outputs_of(found: Any) -> tuple[Any, ...] | None:
    """The outputs of a table's result, None for a violation."""
    return found[1] if isinstance(found, tuple) else None


def box_points(box: Box) -> int:
    """How many points ``box`` holds."""
    return math.prod(mask.bit_count() for mask in box)


def unit_boxes(boxes: Sequence[Box]) -> list[Box]:
    """Every point of ``boxes`` as a box of its own, in the order of the points."""
    found: list[Box] = []
    for box in boxes:
        bits = [[1 << i for i in range(mask.bit_length()) if mask >> i & 1] for mask in box]
        found.extend(itertools.product(*bits))
    found.sort(key=lambda unit: tuple(mask.bit_length() for mask in unit))
    return found
