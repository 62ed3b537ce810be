"""Regions: a compact and exact description of a set of input points.

A point gives every column one value of its finite domain. A region gives every column a set of
values (one value, several, or the whole domain: *any*) and stands for every point of their
product. Checks and diffs find sets of points; :func:`cover` describes such a set as a few
disjoint regions, so reports print regions, never thousands of points.

>>> columns = (Column("applicant", ("board", "leader", "police")), Column("permit", ("r", "e")))
>>> points = [(0, 0), (0, 1), (2, 0), (2, 1)]
>>> [str(region) for region in cover(columns, points)]
['applicant∈{board, police}, rest=any']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .._types import Box, CellScalar

Point = tuple[int, ...]
"""A point as the index of its value in each column's domain."""

#: Up to this many points, ``check`` and ``diff`` describe a set of points found as regions
#: made from its points (the greedy merge of :func:`cover`, as when they worked point by
#: point); beyond, from the boxes they split the inputs into (the same points, maybe in other
#: regions).
POINTWISE_LIMIT = 20_000


def format_value(value: object) -> str:
    """A cell value as the tables write it.

    >>> format_value(True), format_value(None), format_value("none"), format_value(30)
    ('true', 'null', 'none', '30')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(format_value(item) for item in value) + "]"
    return str(value)


@dataclass(frozen=True)
class Column:
    """An input column and its finite domain (the values a point may give it), in order."""

    name: str
    domain: tuple[CellScalar, ...]
    #: What the column means where its name alone does not say it.
    note: str = ""


@dataclass(frozen=True)
class Region:
    """A product of value sets, one per column: every point whose values lie in them.

    >>> columns = (Column("a", (1, 2, 3)), Column("b", (True, False)))
    >>> region = Region(columns, ((1, 2), (True, False)))
    >>> str(region), region.points, region.to_json()
    ('a∈{1, 2}, rest=any', 4, {'a': [1, 2]})
    """

    columns: tuple[Column, ...]
    #: For each column, the values the region allows, in domain order.
    values: tuple[tuple[CellScalar, ...], ...]

    @property
    def points(self) -> int:
        """How many points the region holds."""
        return math.prod(len(values) for values in self.values)

    def constrained(self) -> list[tuple[Column, tuple[CellScalar, ...]]]:
        """The columns the region restricts (not *any*) with their allowed values."""
        return [
            (column, values)
            for column, values in zip(self.columns, self.values, strict=True)
            if len(values) < len(column.domain)
        ]

    def to_json(self) -> dict[str, CellScalar | list[CellScalar]]:
        """The restricted columns: a single value, or the list of values allowed."""
        return {
            column.name: values[0] if len(values) == 1 else list(values)
            for column, values in self.constrained()
        }

    def __str__(self) -> str:
        return self.describe()

    def describe(self, rest: bool = True) -> str:
        """The restricted columns; with ``rest``, ``rest=any`` when some are unrestricted."""
        parts = []
        for column, values in self.constrained():
            others = [value for value in column.domain if value not in values]
            if len(values) == 1:
                parts.append(f"{column.name}={format_value(values[0])}")
            elif len(others) == 1 and len(values) > 2:
                parts.append(f"{column.name}≠{format_value(others[0])}")
            elif len(others) < len(values) - 1:
                listed = ", ".join(format_value(value) for value in others)
                parts.append(f"{column.name}∉{{{listed}}}")
            else:
                listed = ", ".join(format_value(value) for value in values)
                parts.append(f"{column.name}∈{{{listed}}}")
        if not parts:
            return "any input"
        if rest and len(parts) < len(self.columns):
            parts.append("rest=any")
        return ", ".join(parts)

    def __contains__(self, values: object) -> bool:
        if not isinstance(values, Sequence) or len(values) != len(self.columns):
            return False
        return all(
            any(value == v and type(value) is type(v) for v in allowed)
            for value, allowed in zip(values, self.values, strict=True)
        )


def _merge_once(boxes: set[Box], order: Iterable[int]) -> set[Box]:
    for column in order:
        groups: dict[Box, int] = {}
        for box in boxes:
            rest = box[:column] + box[column + 1 :]
            groups[rest] = groups.get(rest, 0) | box[column]
        if len(groups) < len(boxes):
            boxes = {(*rest[:column], mask, *rest[column:]) for rest, mask in groups.items()}
    return boxes


def _merge(boxes: set[Box], order: Sequence[int]) -> set[Box]:
    """Merge boxes that differ in one column only, column by column, until nothing merges.

    The boxes stay disjoint: two disjoint boxes equal in every other column are disjoint in the
    merged column, so their union is again a box and covers exactly the same points.
    """
    changed = True
    while changed:
        changed = False
        for column in order:
            groups: dict[Box, int] = {}
            for box in boxes:
                rest = box[:column] + box[column + 1 :]
                groups[rest] = groups.get(rest, 0) | box[column]
            if len(groups) < len(boxes):
                changed = True
                boxes = {(*rest[:column], mask, *rest[column:]) for rest, mask in groups.items()}
    return boxes


def _lowest(box: Box) -> tuple[int, ...]:
    return tuple((mask & -mask).bit_length() for mask in box)


def merge_boxes(columns: Sequence[Column], boxes: Iterable[Box]) -> list[Box]:
    """Merge disjoint ``boxes`` into as few as a greedy merge finds (several column orders
    are tried, the smallest result kept), in the order of their first point."""
    start = set(boxes)
    if not start:
        return []
    width = len(columns)
    if len(start) > 64:  # one sweep first: the orders below then start from far fewer boxes
        start = _merge_once(start, range(width - 1, -1, -1))
    orders = [
        list(reversed(range(width))),
        list(range(width)),
        sorted(range(width), key=lambda c: (-len(columns[c].domain), c)),
        sorted(range(width), key=lambda c: (len(columns[c].domain), c)),
    ]
    best: set[Box] | None = None
    for order in orders:
        merged = _merge(set(start), order)
        if best is None or len(merged) < len(best):
            best = merged
    assert best is not None
    return sorted(best, key=_lowest)


def point_boxes(points: Iterable[Point]) -> set[Box]:
    """Each point as a box of its own."""
    return {tuple(1 << index for index in point) for point in points}


def _boxes(columns: Sequence[Column], points: Iterable[Point]) -> list[Box]:
    return merge_boxes(columns, point_boxes(points))


def box_region(columns: Sequence[Column], box: Box) -> Region:
    """The region of ``box``."""
    return Region(
        tuple(columns),
        tuple(
            tuple(value for index, value in enumerate(column.domain) if mask >> index & 1)
            for column, mask in zip(columns, box, strict=True)
        ),
    )


def cover(columns: Sequence[Column], points: Iterable[Point]) -> list[Region]:
    """Disjoint regions that together hold exactly ``points``, as few as a greedy merge finds.

    Points merge along one column at a time; several column orders are tried and the smallest
    cover kept. Regions come in the order of their first point.

    >>> columns = (Column("x", (0, 1, 2)), Column("y", (0, 1)))
    >>> [str(r) for r in cover(columns, [(0, 0), (0, 1), (1, 0)])]
    ['x=0, rest=any', 'x=1, y=0']
    >>> cover(columns, [])
    []
    """
    return [box_region(columns, box) for box in _boxes(columns, points)]


def _meets(a: Box, b: Box) -> bool:
    return all(x & y for x, y in zip(a, b, strict=True))


def relative_cover(
    columns: Sequence[Column], points: Iterable[Point], within: Iterable[Point]
) -> list[Region]:
    """Regions that, intersected with the points ``within``, hold exactly ``points``.

    ``points`` must be a subset of ``within``. Each region of the exact cover is widened
    column by column as long as it takes in no point of ``within`` outside ``points``, so it
    names only what tells ``points`` apart inside ``within`` (its other columns are *any*).

    >>> columns = (Column("x", (0, 1, 2)), Column("y", (0, 1)))
    >>> [str(r) for r in relative_cover(columns, [(0, 0)], [(0, 0), (0, 1)])]
    ['y=0, rest=any']
    """
    chosen = set(points)
    outside = [point for point in set(within) if point not in chosen]
    boxes = widen(columns, _boxes(columns, chosen), _boxes(columns, outside))
    return [box_region(columns, box) for box in boxes]


def widen(columns: Sequence[Column], boxes: Sequence[Box], excluded: Sequence[Box]) -> list[Box]:
    """Widen each of ``boxes`` column by column while it meets none of ``excluded``; drop
    boxes another widened box contains."""
    full = tuple((1 << len(column.domain)) - 1 for column in columns)
    widened: list[Box] = []
    for box in boxes:
        current = box
        for column in range(len(columns)):
            wider = (*current[:column], full[column], *current[column + 1 :])
            if not any(_meets(wider, other) for other in excluded):
                current = wider
        if current not in widened:
            widened.append(current)
    return [
        box
        for box in widened
        if not any(
            other != box and all(x | y == y for x, y in zip(box, other, strict=True))
            for other in widened
        )
    ]
