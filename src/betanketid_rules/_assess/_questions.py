"""The best order to ask the fields that still matter, over the space of those fields only."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._completions import UnknownField
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

    >>> radix = Radix.of([UnknownField("a", (0, 1)), UnknownField("b", (0, 1))])
    >>> projection = project(radix, {1: 0b1111}, {"yes": 0b1100, "no": 0b0011}, [0])
    >>> projection.results, projection.weights
    ({'no': 1, 'yes': 2}, {2: 3})
    """
    if list(kept) == list(range(len(radix.fields))):  # every field kept: nothing to sum
        return Projection(radix, dict(results), dict(valid))
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


def plan(projection: Projection) -> tuple[tuple[int, ...], float]:
    """The fields of ``projection``, best next question first, and the expected number of
    questions (completions weighted alike) that asking the best next question each time takes.

    Up to :data:`EXACT_SEARCH_FIELDS` fields the order is searched exactly; beyond, each next
    question is the one leaving the fewest results expected. The answer depends only on the
    shape of the projection (how many values each field has, where each result lies, how many
    completions each point stands for), which many partial cases share: it is kept (bounded).
    """
    return _plan(
        tuple(len(field.domain) for field in projection.radix.fields),
        tuple(projection.results.values()),
        tuple(sorted(projection.weights.items())),
    )


@functools.lru_cache(maxsize=4096)
def _plan(
    sizes: tuple[int, ...], results: tuple[int, ...], weight_classes: tuple[tuple[int, int], ...]
) -> tuple[tuple[int, ...], float]:
    radix = Radix.of([UnknownField(str(i), tuple(range(size))) for i, size in enumerate(sizes)])
    weights = dict(weight_classes)
    fields = range(len(sizes))
    exact = len(sizes) <= EXACT_SEARCH_FIELDS
    splits = [
        [radix.having(i, value) for value in range(len(radix.fields[i].domain))] for i in fields
    ]

    def settled(points: int) -> bool:
        return sum(1 for bits in results if bits & points) <= 1

    def parts(points: int, field: int) -> list[int]:
        return [part for values in splits[field] if (part := points & values)]

    @functools.cache
    def weight(points: int) -> int:
        return mass(weights, points)

    @functools.cache
    def cost(points: int) -> float:
        # A field asked before, or one value only left, does not split ``points``: asking it
        # never helps, so only the fields that split are tried (the set decides the rest).
        if settled(points):
            return 0.0
        best = math.inf
        for field in fields:
            split = parts(points, field)
            if len(split) > 1:
                best = min(best, ask(points, split, best))
        return best

    def ask(points: int, split: list[int], bound: float) -> float:
        total = weight(points)
        spent = 1.0
        for part in split:
            spent += weight(part) / total * cost(part)
            if spent >= bound:  # no better than a field already tried
                break
        return spent

    def results_left(points: int, field: int) -> float:
        total = weight(points)
        return sum(
            weight(p) / total * sum(1 for bits in results if bits & p) for p in parts(points, field)
        )

    def score(points: int, field: int) -> float:
        return ask(points, parts(points, field), math.inf) if exact else results_left(points, field)

    def greedy(points: int) -> float:
        splitting = [i for i in fields if len(parts(points, i)) > 1]
        if settled(points) or not splitting:
            return 0.0
        best = min(splitting, key=lambda i: (score(points, i), i))
        total = weight(points)
        return 1 + sum(weight(p) / total * greedy(p) for p in parts(points, best))

    everything = 0
    for bits in results:
        everything |= bits
    ranked = tuple(sorted(fields, key=lambda i: (score(everything, i), i)))
    return ranked, cost(everything) if exact else greedy(everything)
