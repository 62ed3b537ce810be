"""Sets of points of a diff's space held as disjoint boxes, so that tests can state which points
a change covers without listing them (a date diff over the whole chain has millions).

A box is one set of values per column; a :class:`PointSet` is a union of disjoint boxes.
``select`` finds the boxes where a predicate over a point's columns holds by evaluating it only
over the columns it reads.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from betanketid_rules._verify.regions import Column, Region

Box = tuple[frozenset[Any], ...]
Point = tuple[Any, ...]
Where = dict[str, Any]


def _volume(box: Box) -> int:
    return math.prod(len(values) for values in box)


def _meet(one: Box, other: Box) -> Box | None:
    both = tuple(a & b for a, b in zip(one, other, strict=True))
    return both if all(both) else None


def _minus(box: Box, other: Box) -> list[Box]:
    """``box`` without ``other``, as disjoint boxes."""
    if _meet(box, other) is None:
        return [box]
    left: list[Box] = []
    rest = list(box)
    for column, values in enumerate(box):
        outside = values - other[column]
        if outside:
            left.append((*rest[:column], outside, *rest[column + 1 :]))
        rest[column] = values & other[column]
    return left


class PointSet:
    """A union of disjoint boxes.

    >>> a = PointSet([(frozenset({1, 2}), frozenset({"x"}))])
    >>> b = PointSet([(frozenset({2, 3}), frozenset({"x", "y"}))])
    >>> len(a & b), len(a | b), a <= (a | b), a == b
    (1, 5, True, False)
    """

    def __init__(self, boxes: Iterable[Box]) -> None:
        self.boxes: list[Box] = [box for box in boxes if all(box)]

    def __len__(self) -> int:
        return sum(_volume(box) for box in self.boxes)

    def __bool__(self) -> bool:
        return bool(self.boxes)

    def __and__(self, other: PointSet) -> PointSet:
        met = (_meet(a, b) for a in self.boxes for b in other.boxes)
        return PointSet(box for box in met if box is not None)

    def __or__(self, other: PointSet) -> PointSet:
        return PointSet([*self.boxes, *(other - self).boxes])

    def __sub__(self, other: PointSet) -> PointSet:
        left = list(self.boxes)
        for cut in other.boxes:
            left = [piece for box in left for piece in _minus(box, cut)]
        return PointSet(left)

    def __le__(self, other: object) -> bool:
        assert isinstance(other, PointSet)
        return len(self & other) == len(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PointSet):
            return NotImplemented
        return len(self) == len(other) == len(self & other)

    __hash__ = None  # type: ignore[assignment]

    def __contains__(self, point: Point) -> bool:
        return any(
            all(v in values for v, values in zip(point, box, strict=True)) for box in self.boxes
        )

    def __repr__(self) -> str:
        return f"PointSet({len(self)} points in {len(self.boxes)} boxes)"


def union(sets: Iterable[PointSet]) -> PointSet:
    """The points of every set."""
    found = PointSet([])
    for one in sets:
        found = found | one
    return found


def expand(regions: Iterable[Region]) -> PointSet:
    """The points of a diff's regions (disjoint by the diff's own construction; held so here
    too, whatever they are)."""
    return union(PointSet([tuple(frozenset(v) for v in region.values)]) for region in regions)


class _UnreadError(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


class _Reading(dict[str, Any]):
    """A point's columns as far as they are fixed; reading another one says which."""

    def __init__(self, names: Sequence[str], fixed: Mapping[str, Any]) -> None:
        super().__init__(fixed)
        self.names = names

    def __missing__(self, name: str) -> Any:
        if name not in self.names:
            raise KeyError(name)
        raise _UnreadError(name)


def select(columns: Sequence[Column], test: Callable[[Where], bool]) -> PointSet:
    """The points of the space of ``columns`` where ``test`` holds, evaluated over every
    combination of the columns it reads (and only those)."""
    names = [column.name for column in columns]
    domains = {column.name: column.domain for column in columns}
    read: list[str] = []
    while True:
        try:
            chosen = [
                dict(zip(read, combo, strict=True))
                for combo in itertools.product(*(domains[name] for name in read))
                if test(_Reading(names, dict(zip(read, combo, strict=True))))
            ]
        except _UnreadError as unread:
            read.append(unread.name)
            continue
        return PointSet(
            tuple(
                frozenset([fixed[name]]) if name in fixed else frozenset(domains[name])
                for name in names
            )
            for fixed in chosen
        )


def sample(columns: Sequence[Column], count: int, seed: int) -> Iterator[dict[str, Any]]:
    """``count`` points of the space drawn at random (seeded), each column on its own."""
    rng = random.Random(seed)
    for _ in range(count):
        yield {column.name: rng.choice(column.domain) for column in columns}
