"""``diff`` over regions (issue 17): the boxes it decides once each are exactly the points.

For every comparison the shipped tables and the check fixtures allow (two dates either side of
each change, each family's consecutive versions), the boxes cover every valid point of the
space once, and every point of a box gets from each side exactly what the box's first point
gets: evaluated here with the sides' own per-point evaluation.

Up to :data:`EVERY_POINT` points a space is proven point by point. Beyond it (a date diff over
the whole chain reads every fact of the case: 11,468,800 points for 2022) the cover is still
proven exactly, by counting (the boxes are disjoint, lie within the valid points, and hold as
many points as the space has valid ones), and each box is decided at its first and last points,
at every point one column away from its first, and at :data:`RANDOM_PER_BOX` seeded random
points.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from betanketid_rules._tables import TableSet, default_table_set, read_table_set
from betanketid_rules._verify._split import Point, region_boxes
from betanketid_rules._verify.diff import _ChainSide, _TableSide, table_space
from betanketid_rules._verify.space import DateClasses, InputSpace, case_paths

FIXTURE = Path(__file__).parent / "fixtures" / "check" / "base"

#: Spaces up to this many valid points are proven point by point.
EVERY_POINT = 100_000
#: Beyond it, the random points each box is decided at (besides its first and last points and
#: the points one column away from its first).
RANDOM_PER_BOX = 16

Box = tuple[int, ...]


def _fixture() -> TableSet:
    loaded = read_table_set(FIXTURE).table_set
    assert loaded is not None
    return loaded


def _bits(mask: int) -> list[int]:
    return [i for i in range(mask.bit_length()) if mask >> i & 1]


def _valid_count(space: InputSpace) -> int:
    """The valid points of ``space``, counted from its constraints (each over its own
    columns) without enumerating them."""
    constrained = [index for indices, _ in space.constraints for index in indices]
    assert len(constrained) == len(set(constrained)), "constraints share a column"
    free = math.prod(
        len(column.domain) for index, column in enumerate(space.columns) if index not in constrained
    )
    return free * math.prod(len(allowed) for _, allowed in space.constraints)


def _inside_valid(space: InputSpace, box: Box) -> bool:
    """Every combination a box allows on each constraint's columns is allowed."""
    for indices, allowed in space.constraints:
        choices = [[space.columns[i].domain[b] for b in _bits(box[i])] for i in indices]
        if not all(combo in allowed for combo in itertools.product(*choices)):
            return False
    return True


def _overlap(one: Box, other: Box) -> bool:
    return all(a & b for a, b in zip(one, other, strict=True))


def _sample_positions(box: Box, rng: random.Random) -> Iterator[tuple[int, ...]]:
    options = [_bits(mask) for mask in box]
    first = tuple(bits[0] for bits in options)
    yield first
    yield tuple(bits[-1] for bits in options)
    for column, bits in enumerate(options):
        for bit in bits[1:]:
            yield (*first[:column], bit, *first[column + 1 :])
    for _ in range(RANDOM_PER_BOX):
        yield tuple(rng.choice(bits) for bits in options)


def assert_boxes_are_the_points(space: InputSpace, old: object, new: object) -> None:
    boxed = list(region_boxes(space, [old.plans, new.plans]))  # type: ignore[attr-defined]
    assert_decided_as_points(space, boxed, old, new)


def assert_decided_as_points(
    space: InputSpace, boxed: Sequence[tuple[Point, Box]], old: object, new: object
) -> None:
    """Each box holds only valid points, the boxes none twice and all of them together, and
    each side decides every point of a box (or its sample) as the box's first point."""
    boxes: Sequence[Box] = [box for _, box in boxed]
    if _valid_count(space) <= EVERY_POINT:
        positions: Iterator[tuple[tuple[int, ...], int]] = _every_position(space, boxes)
    else:
        _assert_exact_cover(space, boxes)
        rng = random.Random(20260407)
        positions = (
            (position, number)
            for number, box in enumerate(boxes)
            for position in _sample_positions(box, rng)
        )
    for position, number in positions:
        first, _ = boxed[number]
        point = tuple(c.domain[i] for c, i in zip(space.columns, position, strict=True))
        for side in (old, new):
            assert side.key(point) == side.key(first), (position, first)  # type: ignore[attr-defined]


def _every_position(
    space: InputSpace, boxes: Sequence[Box]
) -> Iterator[tuple[tuple[int, ...], int]]:
    owner: dict[tuple[int, ...], int] = {}
    for number, box in enumerate(boxes):
        for position in itertools.product(*(_bits(mask) for mask in box)):
            assert position not in owner, "boxes overlap"
            owner[position] = number
    valid = {tuple(mask.bit_length() - 1 for mask in unit) for _, unit in space.boxed_points()}
    assert set(owner) == valid
    return iter(owner.items())


def _assert_exact_cover(space: InputSpace, boxes: Sequence[Box]) -> None:
    for number, box in enumerate(boxes):
        assert _inside_valid(space, box), ("a box holds an invalid point", box)
        for other in boxes[number + 1 :]:
            assert not _overlap(box, other), ("boxes overlap", box, other)
    assert sum(math.prod(m.bit_count() for m in box) for box in boxes) == _valid_count(space)


def _chain_pairs(table_set: TableSet) -> list[tuple[dt.date, dt.date]]:
    starts = sorted({table.spec.in_force_from for table in table_set})
    return [(day - dt.timedelta(days=1), day) for day in starts[1:]] + [(starts[0], starts[-1])]


@pytest.mark.parametrize("table_set", [default_table_set(), _fixture()], ids=["shipped", "fx"])
def test_a_date_diff_decides_each_box_as_its_points(table_set: TableSet) -> None:
    for old_day, new_day in _chain_pairs(table_set):
        old_chain, new_chain = table_set.chain_on(old_day), table_set.chain_on(new_day)
        both = [*old_chain, *new_chain]
        space = InputSpace.of_case_paths(case_paths(both), DateClasses.of(both))
        old = _ChainSide(table_set, old_day, old_chain, space)
        new = _ChainSide(table_set, new_day, new_chain, space)
        assert_boxes_are_the_points(space, old, new)


def test_a_table_diff_decides_each_box_as_its_points() -> None:
    table_set = default_table_set()
    for tables in table_set.families.values():
        for old_table, new_table in itertools.pairwise(tables):
            space = table_space(table_set, old_table, new_table)
            old = _TableSide(table_set, old_table, space)
            new = _TableSide(table_set, new_table, space)
            assert_boxes_are_the_points(space, old, new)


def _the_2022_amendment() -> tuple[InputSpace, list[tuple[Point, Box]], _ChainSide, _ChainSide]:
    table_set = default_table_set()
    old_day, new_day = dt.date(2022, 7, 31), dt.date(2022, 8, 1)
    old_chain, new_chain = table_set.chain_on(old_day), table_set.chain_on(new_day)
    both = [*old_chain, *new_chain]
    space = InputSpace.of_case_paths(case_paths(both), DateClasses.of(both))
    old = _ChainSide(table_set, old_day, old_chain, space)
    new = _ChainSide(table_set, new_day, new_chain, space)
    return space, list(region_boxes(space, [old.plans, new.plans])), old, new


def test_beyond_every_point_a_missing_or_doubled_box_is_caught() -> None:
    space, boxed, old, new = _the_2022_amendment()
    assert _valid_count(space) > EVERY_POINT
    with pytest.raises(AssertionError):
        assert_decided_as_points(space, boxed[1:], old, new)
    with pytest.raises(AssertionError, match="overlap"):
        assert_decided_as_points(space, [*boxed, boxed[-1]], old, new)


def test_beyond_every_point_two_boxes_decided_apart_are_caught_as_one() -> None:
    space, boxed, old, new = _the_2022_amendment()
    for number, (first, box) in enumerate(boxed):
        for other_number, (other_first, other) in enumerate(boxed[number + 1 :], number + 1):
            differ = [i for i, (a, b) in enumerate(zip(box, other, strict=True)) if a != b]
            if len(differ) == 1 and new.key(first) != new.key(other_first):
                column = differ[0]
                merged = (*box[:column], box[column] | other[column], *box[column + 1 :])
                rest = [item for n, item in enumerate(boxed) if n not in (number, other_number)]
                joined = (min(first, other_first, key=lambda p: _index(space, p)), merged)
                with pytest.raises(AssertionError):
                    assert_decided_as_points(space, [*rest, joined], old, new)
                return
    raise AssertionError("no two neighbouring boxes decided apart")


def _index(space: InputSpace, point: Point) -> tuple[int, ...]:
    return tuple(c.domain.index(v) for c, v in zip(space.columns, point, strict=True))
