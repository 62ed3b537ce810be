"""The best order to ask the fields that still matter, over the space of those fields only."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._space import Radix, Weights, mass

#: Above this many relevant unknown fields the next question is chosen greedily (by the
#: expected number of results left) instead of by an exact search of every order.
EXACT_SEARCH_FIELDS = 6


@dataclass(frozen=True)
class Projection:
    """The completions over the relevant fields only: the result is a function of them."""

    radix: Radix
    #: The points of each result, in the projection's coordinates.
    results: dict[Any, int]
    #: Each point with the number of completions it stands for.
    weights: Weights


def project(
    radix: Radix,
    valid: Weights,
    results: Mapping[Any, int],
    kept: Sequence[int],
) -> Projection:
    """The completions ``valid`` (with their results) seen through the fields ``kept``.

    >>> from betanketid_rules._assess._completions import UnknownField
    >>> radix = Radix.of([UnknownField("a", (0, 1)), UnknownField("b", (0, 1))])
    >>> projection = project(radix, {1: 0b1111}, {"yes": 0b1100, "no": 0b0011}, [0])
    >>> projection.results, projection.weights
    ({'no': 1, 'yes': 2}, {2: 3})
    """
    projected = Radix.of([radix.fields[i] for i in kept])
    found: dict[Any, int] = {}
    weights: Weights = {}
    everything = 0
    for bits in valid.values():
        everything |= bits

    def visit(depth: int, bits: int, index: int) -> None:
        if depth == len(kept):
            result = next(key for key, points in results.items() if points & bits)
            found[result] = found.get(result, 0) | 1 << index
            weight = mass(valid, bits)
            weights[weight] = weights.get(weight, 0) | 1 << index
            return
        field = kept[depth]
        stride = projected.strides[depth]
        for value in range(len(radix.fields[field].domain)):
            if narrowed := bits & radix.having(field, value):
                visit(depth + 1, narrowed, index + value * stride)

    visit(0, everything, 0)
    return Projection(projected, found, weights)


def plan(projection: Projection) -> tuple[list[int], float]:
    """The fields of ``projection``, best next question first, and the expected number of
    questions (completions weighted alike) that asking the best next question each time takes.

    Up to :data:`EXACT_SEARCH_FIELDS` fields the order is searched exactly; beyond, each next
    question is the one leaving the fewest results expected.
    """
    radix, weights = projection.radix, projection.weights
    results = tuple(projection.results.values())
    fields = range(len(radix.fields))
    exact = len(radix.fields) <= EXACT_SEARCH_FIELDS
    splits = [
        [radix.having(i, value) for value in range(len(radix.fields[i].domain))] for i in fields
    ]

    def settled(points: int) -> bool:
        return sum(1 for bits in results if bits & points) <= 1

    def parts(points: int, field: int) -> list[int]:
        return [part for values in splits[field] if (part := points & values)]

    @functools.cache
    def cost(points: int, left: int) -> float:
        if settled(points):
            return 0.0
        return min(ask(points, i, left) for i in fields if left >> i & 1)

    def ask(points: int, field: int, left: int) -> float:
        total = mass(weights, points)
        rest = left & ~(1 << field)
        return 1 + sum(mass(weights, p) / total * cost(p, rest) for p in parts(points, field))

    def results_left(points: int, field: int) -> float:
        total = mass(weights, points)
        return sum(
            mass(weights, p) / total * sum(1 for bits in results if bits & p)
            for p in parts(points, field)
        )

    def score(points: int, field: int, left: int) -> float:
        return ask(points, field, left) if exact else results_left(points, field)

    def greedy(points: int, left: int) -> float:
        if settled(points) or not left:
            return 0.0
        best = min((i for i in fields if left >> i & 1), key=lambda i: (score(points, i, left), i))
        total = mass(weights, points)
        rest = left & ~(1 << best)
        return 1 + sum(mass(weights, p) / total * greedy(p, rest) for p in parts(points, best))

    everything = 0
    for bits in results:
        everything |= bits
    left = (1 << len(radix.fields)) - 1
    ranked = sorted(fields, key=lambda i: (score(everything, i, left), i))
    return ranked, cost(everything, left) if exact else greedy(everything, left)
