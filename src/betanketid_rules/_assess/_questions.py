"""Which unknown fields still matter, and the best order to ask them in."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from typing import Any

from .._tables._tableset import tuple_getter
from .._types import CellScalar
from ._completions import UnknownField

#: Above this many relevant unknown fields the next question is chosen greedily (by the
#: expected number of results left) instead of by an exact search of every order.
EXACT_SEARCH_FIELDS = 6

Outcomes = dict[tuple[CellScalar, ...], tuple[Any, int]]


def relevant_fields(fields: Sequence[UnknownField], outcomes: Outcomes) -> list[int]:
    """Indices of the fields whose value changes the result for some completion."""
    found = []
    for index in range(len(fields)):
        seen: dict[tuple[CellScalar, ...], Any] = {}
        for point, (result, _) in outcomes.items():
            rest = point[:index] + point[index + 1 :]
            if seen.setdefault(rest, result) != result:
                found.append(index)
                break
    return found


def _split(points: frozenset[tuple[CellScalar, ...]], index: int) -> list[frozenset[Any]]:
    groups: dict[CellScalar, set[tuple[CellScalar, ...]]] = {}
    for point in points:
        groups.setdefault(point[index], set()).add(point)
    return [frozenset(group) for group in groups.values()]


def plan(
    fields: Sequence[UnknownField], outcomes: Outcomes, relevant: list[int]
) -> tuple[list[int], float]:
    """The relevant fields, best next question first, and the expected number of questions."""
    weight = {point: count for point, (_, count) in outcomes.items()}

    def mass(points: frozenset[Any]) -> int:
        return sum(weight[p] for p in points)

    @functools.cache
    def settled(points: frozenset[Any]) -> bool:
        results = iter(points)
        first = outcomes[next(results)][0]
        return all(outcomes[p][0] == first for p in results)

    @functools.cache
    def cost(points: frozenset[Any], left: frozenset[int]) -> float:
        if settled(points):
            return 0.0
        total = mass(points)
        return min(
            1 + sum(mass(g) / total * cost(g, left - {i}) for g in _split(points, i)) for i in left
        )

    def score(points: frozenset[Any], index: int, left: frozenset[int]) -> float:
        groups = _split(points, index)
        total = mass(points)
        if len(relevant) <= EXACT_SEARCH_FIELDS:
            return 1 + sum(mass(g) / total * cost(g, left - {index}) for g in groups)
        return sum(mass(g) / total * len({outcomes[p][0] for p in g}) for g in groups)

    everything = frozenset(outcomes)
    left = frozenset(relevant)
    ranked = sorted(relevant, key=lambda i: (score(everything, i, left), i))
    if len(relevant) <= EXACT_SEARCH_FIELDS:
        return ranked, cost(everything, left)
    return ranked, _greedy_cost(everything, left, mass, settled, score)


def _greedy_cost(
    points: frozenset[Any],
    left: frozenset[int],
    mass: Callable[[frozenset[Any]], int],
    settled: Callable[[frozenset[Any]], bool],
    score: Callable[[frozenset[Any], int, frozenset[int]], float],
) -> float:
    if settled(points) or not left:
        return 0.0
    best = min(left, key=lambda i: (score(points, i, left), i))
    total = mass(points)
    return 1 + sum(
        mass(g) / total * _greedy_cost(g, left - {best}, mass, settled, score)
        for g in _split(points, best)
    )


def project(outcomes: Outcomes, positions: Sequence[int]) -> Outcomes:
    """``outcomes`` over the fields at ``positions`` only, the completions summed."""
    get = tuple_getter(operator.itemgetter, positions)
    projected: Outcomes = {}
    for point, (result, count) in outcomes.items():
        key = get(point)
        before = projected.get(key)
        projected[key] = (result, count if before is None else before[1] + count)
    return projected
