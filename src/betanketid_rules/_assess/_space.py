"""A partial case's completions as sets of points: bit sets over the unknown fields' product.

The unknown fields the chain reads span a product space; a point's index is mixed-radix over
the fields in the order the chain first reads them (:class:`~.._engine._chain.ChainDiagram`).
A set of points is one Python integer, bit *n* set when point *n* belongs to it, so a union, an
intersection, a count or "the same set with one field changed from *a* to *b*" (a shift) is one
operation on the whole set instead of a loop over points. Results, the rows fired and the
completions' weights are such sets, read off the chain's diagram once, node by node.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .._contract import Facts, Person, TraceStep
from .._engine._chain import ChainDiagram, SpaceNode
from .._tables._columns import CASE_DOMAINS
from ._completions import UnknownField, _sub_completions


@functools.lru_cache(maxsize=4096)
def value_pattern(size: int, stride: int, values: int, value: int) -> int:
    """The points of a ``size``-point space whose digit of weight ``stride`` (one of
    ``values``) is ``value``.

    >>> bin(value_pattern(8, 2, 2, 1))  # points 2, 3, 6, 7
    '0b11001100'
    """
    period = stride * values
    pattern = ((1 << stride) - 1) << (value * stride)
    # The block repeated every ``period`` bits up to ``size``, by doubling: linear in ``size``
    # (a product with the quotient of two numbers of ``size`` bits grows with its square).
    length = period
    while length < size:
        pattern |= pattern << length
        length *= 2
    return pattern & ((1 << size) - 1)


@dataclass(frozen=True)
class Radix:
    """Mixed-radix coordinates of a product of finite domains (the first field most significant)."""

    fields: tuple[UnknownField, ...]
    strides: tuple[int, ...]
    size: int

    @classmethod
    def of(cls, fields: Sequence[UnknownField]) -> Radix:
        """The coordinates of ``fields``' product (one object per list of fields, kept).

        >>> radix = Radix.of([UnknownField("a", (0, 1, 2)), UnknownField("b", (False, True))])
        >>> radix.strides, radix.size, radix.digits(5)
        ((2, 1), 6, (2, 1))
        """
        return _radix_of(tuple(fields))

    def having(self, field: int, value: int) -> int:
        """The points where ``field`` has the value at ``value`` in its domain."""
        return self.patterns[field][value]

    @functools.cached_property
    def patterns(self) -> tuple[tuple[int, ...], ...]:
        """For each field and each value of its domain, the points where the field has it."""
        return tuple(
            tuple(
                value_pattern(self.size, stride, len(field.domain), value)
                for value in range(len(field.domain))
            )
            for field, stride in zip(self.fields, self.strides, strict=True)
        )

    def digits(self, index: int) -> tuple[int, ...]:
        """The value index of each field at point ``index``."""
        return tuple(
            index // stride % len(field.domain)
            for field, stride in zip(self.fields, self.strides, strict=True)
        )

    @property
    def everything(self) -> int:
        """Every point."""
        return (1 << self.size) - 1


@functools.lru_cache(maxsize=1024)
def _radix_of(fields: tuple[UnknownField, ...]) -> Radix:
    strides, stride = [], 1
    for field in reversed(fields):
        strides.append(stride)
        stride *= len(field.domain)
    return Radix(fields, tuple(reversed(strides)), stride)


def points_of(bits: int) -> list[int]:
    """The indices of the points in ``bits``, lowest first.

    >>> points_of(0b1010)
    [1, 3]
    """
    found = []
    while bits:
        low = bits & -bits
        found.append(low.bit_length() - 1)
        bits ^= low
    return found


Weights = dict[int, int]
"""Points by how many completions each stands for: weight → the set of points with it."""


def mass(weights: Weights, bits: int) -> int:
    """How many completions the points ``bits`` stand for."""
    return sum(weight * (bits & points).bit_count() for weight, points in weights.items())


def completion_weights(radix: Radix, known: Mapping[str, Any]) -> Weights:
    """Every valid point of ``radix`` with the number of completions it stands for: the
    contract's checks across fields (an accompanying child is a child) rule points out, and
    an unknown field the chain does not read multiplies the completions of each point."""
    classes: Weights = {1: radix.everything}
    for factor, checked in _weight_plan(radix, frozenset(known)):
        group: Weights
        if checked is None:  # every combination of the model's fields' values is valid
            group = {factor: radix.everything}
        else:
            prefix, model, paths = checked
            group = _group_weights(radix, prefix, model, tuple((p, known[p]) for p in paths))
        combined: Weights = {}
        for weight, bits in classes.items():
            for count, more in group.items():
                if both := bits & more:
                    combined[weight * count] = combined.get(weight * count, 0) | both
        classes = combined
    return classes


Checked = tuple[str, type[BaseModel], tuple[str, ...]]


@functools.lru_cache(maxsize=4096)
def _weight_plan(radix: Radix, known: frozenset[str]) -> tuple[tuple[int, Checked | None], ...]:
    """For :func:`completion_weights`: per part of a case, either the number of completions
    each point stands for (the unknown fields not read: every combination valid), or, for a
    model with checks across its fields, its prefix, the model and its known fields."""
    read = {field.path for field in radix.fields}
    plan: list[tuple[int, Checked | None]] = []
    for path in ("applicant", "permit"):
        if path not in known and path not in read:
            plan.append((len(CASE_DOMAINS[path]), None))
    for prefix, model in (("person.", Person), ("facts.", Facts)):
        paths = [path for path in CASE_DOMAINS if path.startswith(prefix)]
        if model.__pydantic_decorators__.model_validators:  # checks across its fields
            plan.append((1, (prefix, model, tuple(p for p in paths if p in known))))
        else:
            unread = [p for p in paths if p not in known and p not in read]
            plan.append((math.prod(len(CASE_DOMAINS[p]) for p in unread), None))
    return tuple(plan)


@functools.lru_cache(maxsize=4096)
def _group_weights(
    radix: Radix, prefix: str, model: type[BaseModel], given: tuple[tuple[str, Any], ...]
) -> Weights:
    """The valid points of ``radix`` for the fields of ``model`` (at ``prefix``) with their
    weights, given the known values of that model's fields (a few hundred combinations at
    most: kept, bounded; callers never change the answer)."""
    position = {field.path: i for i, field in enumerate(radix.fields)}
    asked = [path for path in position if path.startswith(prefix)]
    group: Weights = {}
    for combo, count in _sub_completions(model, prefix, dict(given), asked).items():
        bits = radix.everything
        for path, value in zip(asked, combo, strict=True):
            i = position[path]
            bits &= radix.having(i, radix.fields[i].domain.index(value))
        group[count] = group.get(count, 0) | bits
    return group


@dataclass
class Summary:
    """Per result and per row fired, the points of a node's subspace where it holds."""

    by_result: dict[Any, int]
    #: By the level of the row's table in the chain and the row's id.
    by_row: dict[tuple[int, str], int]


#: Where a node keeps its summary (a pure function of the node: its subspace, its chain's
#: outcome table), as long as the node is kept.
_SUMMARY = "assessment summary"


def summarise(
    diagram: ChainDiagram,
    radix: Radix,
    decisive: int,
    result_of_step: Callable[[TraceStep], Any],
) -> Summary:
    """The points of each result (the outcome table at level ``decisive`` decides it) and of
    each row fired (keyed by the level of its table and its id), read off ``diagram`` node by
    node."""
    levels = len(diagram.new_at)
    sizes = [1] * (levels + 1)  # points in the subspace of a node at each level
    position = len(radix.fields)
    for level in reversed(range(levels)):
        first = position - len(diagram.new_at[level])
        sizes[level] = sizes[level + 1] * math.prod(
            len(radix.fields[p].domain) for p in range(first, position)
        )
        position = first

    def visit(node: SpaceNode) -> Summary:
        found: Summary | None = node.found.get(_SUMMARY)
        if found is not None:
            return found
        below = sizes[node.level + 1]
        block = (1 << below) - 1
        by_result: dict[Any, int] = {}
        by_row: dict[tuple[int, str], int] = {}
        for k, (step, child) in enumerate(node.branches):
            offset = k * below
            full = block << offset
            if node.level == decisive:
                result = result_of_step(step)
                by_result[result] = by_result.get(result, 0) | full
            for row in step.fired:
                key = (node.level, row.id)
                by_row[key] = by_row.get(key, 0) | full
            if child is not None:
                inner = child.found.get(_SUMMARY) or visit(child)
                if node.level < decisive:
                    for result, bits in inner.by_result.items():
                        by_result[result] = by_result.get(result, 0) | bits << offset
                for key, bits in inner.by_row.items():
                    by_row[key] = by_row.get(key, 0) | bits << offset
        summary = node.found[_SUMMARY] = Summary(by_result, by_row)
        return summary

    assert diagram.root is not None
    return visit(diagram.root)


def relevant(radix: Radix, valid: int, results: Sequence[int], among: Sequence[int]) -> list[int]:
    """The fields (positions ``among``) whose value changes the result of some valid point:
    two valid points differing in that field only, with different results.

    ``results`` are the valid points of each result (disjoint; their union is ``valid``).
    """
    found = []
    for i in among:
        size = len(radix.fields[i].domain)
        stride = radix.strides[i]
        if _changes(radix, valid, results, i, size, stride):
            found.append(i)
    return found


def _changes(
    radix: Radix, valid: int, results: Sequence[int], i: int, size: int, stride: int
) -> bool:
    for a in range(size):
        for b in range(a + 1, size):
            shift = (b - a) * stride
            at_b = radix.having(i, b)
            for bits in results:
                moved = (bits & radix.having(i, a)) << shift
                if moved & at_b & (valid ^ bits):
                    return True
    return False
