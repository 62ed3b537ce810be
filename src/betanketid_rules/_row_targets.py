"""Which cases make a row fire: case-field constraints derived from the tables, for drawing.

Each row of each table in force in a period is a region of the case space the table tells
apart. :func:`row_targets` turns a row into constraints on the case: the values each case
field it tests may take, and for a derived value (an application lodged before the table's
first day) the value it must have. A row reading an upstream family's output is traced back
to the upstream rows that give that output (or, for an aggregated output's default, to none of
the upstream rows firing). The constraints come only from the tables; they aim a draw at a
region (:mod:`betanketid_rules.testing`), and a test checks that every region is reached.

>>> from betanketid_rules._tables import default_table_set
>>> targets = row_targets(default_table_set())
>>> board = [t for t in targets if t.row == "utl-5-15-standing@2022-08-01/5-15-sn-transitional"]
>>> sorted(board[0].fields["applicant"]), board[0].lodged_before
(['social_welfare_board'], (datetime.date(2022, 8, 1), True))
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass

from ._tables import Period, Table, TableSet
from ._tables._columns import CaseField, DerivedValue, UpstreamOutput
from ._types import CellScalar

Constraint = dict[str, frozenset[CellScalar]]
"""Case field path (or ``derived.<name>@<first day>``) -> the values it may take."""

#: The most constraint sets kept per row (a row reading several upstream tables multiplies).
_MAX_OPTIONS = 8


@dataclass(frozen=True)
class RowTarget:
    """The cases that make one row fire, in one period."""

    #: The row, as ``family@version/row id``.
    row: str
    period: Period
    #: Case field path -> the values it may take (fields not named are free).
    fields: dict[str, frozenset[CellScalar]]
    #: (first day, value): the application lodged before that day (True) or not (False).
    lodged_before: tuple[dt.date, bool] | None


def _merge(first: Constraint, second: Constraint) -> Constraint | None:
    merged = dict(first)
    for key, values in second.items():
        both = merged[key] & values if key in merged else values
        if not both:
            return None
        merged[key] = both
    return merged


def _combine(options: list[Constraint], wanted: list[Constraint]) -> list[Constraint]:
    found = [m for o in options for w in wanted if (m := _merge(o, w)) is not None]
    return found[:_MAX_OPTIONS]


def _none_fires(table: Table) -> Constraint:
    """Constraints under which no row of ``table`` fires (each row's first free case field
    outside the condition scope takes a value the row does not accept)."""
    scope = {table.columns[i].name for i in table.scope}
    found: Constraint = {}
    for cells in table.cells:
        for column, cell in zip(table.columns, cells, strict=True):
            if cell is None or column.name in scope or not isinstance(column.source, CaseField):
                continue
            others = frozenset(v for v in column.domain if v not in cell)
            merged = _merge(found, {column.source.path: others}) if others else None
            if merged is not None:
                found = merged
                break
    return found


def _upstream(
    period: Period, source: UpstreamOutput, cell: frozenset[CellScalar]
) -> list[Constraint]:
    upstream = next((t for t in period.tables if t.family == source.family), None)
    if upstream is None:
        return [{}]
    found: list[Constraint] = []
    for index, row in enumerate(upstream.spec.rows):
        if row.then.get(source.output) in cell:
            found += _row_constraints(period, upstream, index)
    spec = upstream.spec
    output = next(o for o in spec.outputs if o.name == source.output)
    if spec.hit_policy == "COLLECT" and output.default in cell:
        found.append(_none_fires(upstream))
    return found or [{}]


def _row_constraints(period: Period, table: Table, index: int) -> list[Constraint]:
    options: list[Constraint] = [{}]
    for column, cell in zip(table.columns, table.cells[index], strict=True):
        if cell is None:
            continue
        source = column.source
        if isinstance(source, CaseField):
            wanted: list[Constraint] = [{source.path: cell}]
        elif isinstance(source, DerivedValue):
            wanted = [{f"{source.text}@{table.spec.in_force_from.isoformat()}": cell}]
        else:
            wanted = _upstream(period, source, cell)
        options = _combine(options, wanted)
    return options


def _targets_of(period: Period) -> Iterator[RowTarget]:
    for table in period.tables:
        for index, row in enumerate(table.spec.rows):
            for constraint in _row_constraints(period, table, index):
                fields = {k: v for k, v in constraint.items() if not k.startswith("derived.")}
                lodged = None
                for key, values in constraint.items():
                    if key.startswith("derived.") and len(values) == 1:
                        day = dt.date.fromisoformat(key.rpartition("@")[2])
                        lodged = (day, bool(next(iter(values))))
                yield RowTarget(table.row_key(row.id), period, fields, lodged)


@functools.cache
def row_targets(table_set: TableSet) -> tuple[RowTarget, ...]:
    """A target for every row of every table in every period of ``table_set``."""
    return tuple(target for period in table_set.periods() for target in _targets_of(period))
