"""``diff`` over regions (issue 17): the boxes it decides once each are exactly the points.

For every comparison the shipped tables and the check fixtures allow (two dates either side of
each change, each family's consecutive versions), the boxes cover every valid point of the
space once, and every point of a box gets from each side exactly what the box's first point
gets: evaluated here point by point with the sides' own per-point evaluation.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from betanketid_rules._tables import TableSet, default_table_set, read_table_set
from betanketid_rules._verify._split import region_boxes
from betanketid_rules._verify.diff import _ChainSide, _TableSide, table_space
from betanketid_rules._verify.space import DateClasses, InputSpace, case_paths

FIXTURE = Path(__file__).parent / "fixtures" / "check" / "base"


def _fixture() -> TableSet:
    loaded = read_table_set(FIXTURE).table_set
    assert loaded is not None
    return loaded


def assert_boxes_are_the_points(space: InputSpace, old: object, new: object) -> None:
    boxed = list(region_boxes(space, [old.plans, new.plans]))  # type: ignore[attr-defined]
    owner: dict[tuple[int, ...], int] = {}
    for number, (_, box) in enumerate(boxed):
        ranges = [[i for i in range(m.bit_length()) if m >> i & 1] for m in box]
        for position in itertools.product(*ranges):
            assert position not in owner, "boxes overlap"
            owner[position] = number
    valid = {tuple(mask.bit_length() - 1 for mask in unit) for _, unit in space.boxed_points()}
    assert set(owner) == valid
    for position, number in owner.items():
        first, _ = boxed[number]
        point = tuple(c.domain[i] for c, i in zip(space.columns, position, strict=True))
        for side in (old, new):
            assert side.key(point) == side.key(first), (position, first)  # type: ignore[attr-defined]


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
