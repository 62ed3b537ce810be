"""A table over a product of domains as regions, not points: its atoms.

A row's conditions are a box in the product of its input domains (per column, the set of values
its cell accepts). Splitting the product along the rows' cells until every row either holds the
whole of a box or none of it gives the table's *atoms*: disjoint boxes that together are the
whole product, each with the rows that match everywhere in it. The hit policy depends only on
the rows that match, so one evaluation per atom gives the table's answer on every point of the
atom. The number of atoms grows with the rows, not with the domain: a column no row reads does
not split anything.

A box is a tuple of bit masks, one per column, bit *i* set when the column's *i*-th value of
its domain is in the box (:data:`~betanketid_rules._types.Box`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .._errors import HitPolicyError
from .._types import Box, CellScalar, Values
from ._evaluate import HitResult, apply_hit_policy, cell_matches
from ._tableset import Table


@dataclass(frozen=True)
class Atom:
    """A box of inputs on which the same rows of a table match, and what the table gives."""

    box: Box
    matched: tuple[int, ...]
    result: HitResult | HitPolicyError

    @property
    def points(self) -> int:
        """How many points the box holds."""
        return math.prod(mask.bit_count() for mask in self.box)

    @property
    def fired(self) -> tuple[int, ...]:
        """The rows that count (none where the hit policy is violated)."""
        return () if isinstance(self.result, HitPolicyError) else self.result.fired


def row_boxes(table: Table, domains: Sequence[Sequence[CellScalar]]) -> list[Box]:
    """Each row's conditions as a box over ``domains`` (one per input column, in order)."""
    boxes = []
    for cells in table.cells:
        boxes.append(
            tuple(
                sum(1 << i for i, value in enumerate(domain) if cell_matches(cell, value))
                for cell, domain in zip(cells, domains, strict=True)
            )
        )
    return boxes


def box_values(box: Box, domains: Sequence[Sequence[CellScalar]]) -> Iterator[Values]:
    """Every point of ``box``, the first column varying slowest, in domain order.

    >>> list(box_values((0b10, 0b11), [("a", "b"), (False, True)]))
    [('b', False), ('b', True)]
    """
    return itertools.product(
        *(
            [value for i, value in enumerate(domain) if mask >> i & 1]
            for mask, domain in zip(box, domains, strict=True)
        )
    )


def box_positions(box: Box) -> Iterator[tuple[int, ...]]:
    """Every point of ``box`` as the index of its value in each column's domain."""
    return itertools.product(
        *([i for i in range(mask.bit_length()) if mask >> i & 1] for mask in box)
    )


def table_atoms(table: Table, domains: Sequence[Sequence[CellScalar]]) -> list[Atom]:
    """The atoms of ``table`` over the product of ``domains``: disjoint boxes covering it, each
    with the rows matching everywhere in it (in row order) and the table's hit result there.

    >>> from betanketid_rules._tables import default_table_set
    >>> table = default_table_set().table("utl-5-15-remarks@2006-03-31")
    >>> atoms = table_atoms(table, table.domains)
    >>> sum(atom.points for atom in atoms) == math.prod(len(d) for d in table.domains)
    True
    """
    rows = row_boxes(table, domains)
    whole: Box = tuple((1 << len(domain)) - 1 for domain in domains)
    if any(mask == 0 for mask in whole):
        return []
    atoms: list[Atom] = []
    pending: list[tuple[Box, tuple[int, ...], tuple[int, ...]]] = [
        (whole, (), tuple(range(len(rows))))
    ]
    while pending:
        box, holding, open_rows = pending.pop()
        holding_now = list(holding)
        partial: list[int] = []
        for index in open_rows:
            meet = tuple(a & b for a, b in zip(box, rows[index], strict=True))
            if not all(meet):
                continue  # the row holds nowhere in the box
            if meet == box:
                holding_now.append(index)
            else:
                partial.append(index)
        if not partial:
            matched = tuple(sorted(holding_now))
            atoms.append(Atom(box, matched, _result(table, matched, box, domains)))
            continue
        cut = rows[partial[0]]
        column = next(c for c, (a, b) in enumerate(zip(box, cut, strict=True)) if a & ~b)
        inside = (*box[:column], box[column] & cut[column], *box[column + 1 :])
        outside = (*box[:column], box[column] & ~cut[column], *box[column + 1 :])
        settled = tuple(holding_now)
        pending.append((outside, settled, tuple(partial)))
        pending.append((inside, settled, tuple(partial)))
    return atoms


def _result(
    table: Table, matched: tuple[int, ...], box: Box, domains: Sequence[Sequence[CellScalar]]
) -> HitResult | HitPolicyError:
    first = next(box_values(box, domains))  # the hit policy reads the values only to report
    try:
        return apply_hit_policy(table, matched, first)
    except HitPolicyError as violation:
        return violation
