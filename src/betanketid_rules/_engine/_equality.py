"""Proof that two engines agree: every table, every point of its reachable input domain.

For each point both engines must match the same rows and give the same hit-policy result
(the same outputs, or the same hit-policy violation). The first differing point in the
domain's order is reported: the columns' values listed in their declared order, so the
reported input is the smallest in that order.

Up to :data:`EXHAUSTIVE_POINTS` points per table the comparison is on every point: a proof.
Beyond, it is region by region: on the first and the last point of every atom of the table
(:mod:`.._tables._atoms`: the boxes on which the same rows match) and on a seeded sample of
:data:`SAMPLE_POINTS` points; :attr:`TableAgreement.proof` says which a table got.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from .._errors import EngineUnavailableError, HitPolicyError
from .._tables import Table, TableSet
from .._tables._atoms import table_atoms
from .._tables._evaluate import HitResult, domain_points
from .._tables._reach import reachable_domains
from .._types import CellScalar, Values
from . import get_engine
from ._chain import Engine


@dataclass(frozen=True)
class Mismatch:
    """The first input where two engines disagree about one table."""

    table: str
    inputs: dict[str, CellScalar]
    expected: str
    actual: str

    def __str__(self) -> str:
        return (
            f"{self.table}: engines disagree for {self.inputs}: "
            f"reference {self.expected}, other {self.actual}"
        )


#: Up to this many points in a table's reachable domain, the engines are compared on every one.
EXHAUSTIVE_POINTS = 5_000
#: Beyond it, the random points compared besides each atom's first and last.
SAMPLE_POINTS = 2_000

Proof = Literal["exhaustive", "regions"]


@dataclass(frozen=True)
class TableAgreement:
    """The outcome of comparing one table: points compared, the first mismatch, if any, and
    the proof: ``exhaustive`` (every point) or ``regions`` (every atom's first and last point
    and a sample)."""

    table: str
    points: int
    mismatch: Mismatch | None
    proof: Proof = "exhaustive"


def _describe(table: Table, outcome: HitResult | HitPolicyError) -> str:
    if isinstance(outcome, HitPolicyError):
        return f"hit-policy violation on rows {list(outcome.rows)}"
    rows = [table.spec.rows[i].id for i in outcome.matched]
    return f"rows {rows} -> {outcome.outputs}"


def _run(engine: Engine, table: Table, values: Values) -> HitResult | HitPolicyError:
    try:
        return engine.hit(table, values)
    except HitPolicyError as violation:
        return violation


def _same(a: HitResult | HitPolicyError, b: HitResult | HitPolicyError) -> bool:
    if isinstance(a, HitPolicyError) or isinstance(b, HitPolicyError):
        return isinstance(a, HitPolicyError) and isinstance(b, HitPolicyError) and a.rows == b.rows
    return a == b


def compare_table(
    table_set: TableSet, table: Table, reference: Engine, other: Engine
) -> TableAgreement:
    """Compare ``other`` with ``reference`` on every reachable input of ``table`` (or region
    by region and on a sample, beyond :data:`EXHAUSTIVE_POINTS`)."""
    domains = reachable_domains(table_set, table)
    proof: Proof = "exhaustive"
    chosen: Iterable[Values] = domain_points(domains)
    if math.prod(map(len, domains)) > EXHAUSTIVE_POINTS:
        proof = "regions"
        chosen = _regional_points(table, domains)
    points = 0
    for values in chosen:
        points += 1
        expected = _run(reference, table, values)
        actual = _run(other, table, values)
        if not _same(expected, actual):
            mismatch = Mismatch(
                table=table.key,
                inputs=dict(zip(table.column_names, values, strict=True)),
                expected=_describe(table, expected),
                actual=_describe(table, actual),
            )
            return TableAgreement(table.key, points, mismatch, proof)
    return TableAgreement(table.key, points, None, proof)


def _regional_points(table: Table, domains: Sequence[Sequence[CellScalar]]) -> list[Values]:
    """The first and the last point of every atom of ``table`` and :data:`SAMPLE_POINTS`
    distinct points drawn with the table's key as the seed, in the domain's order (called only
    beyond :data:`EXHAUSTIVE_POINTS`, so there are enough to draw)."""
    positions: set[tuple[int, ...]] = set()
    for atom in table_atoms(table, domains):
        positions.add(tuple((mask & -mask).bit_length() - 1 for mask in atom.box))
        positions.add(tuple(mask.bit_length() - 1 for mask in atom.box))
    sizes = [len(domain) for domain in domains]
    for drawn in random.Random(table.key).sample(range(math.prod(sizes)), SAMPLE_POINTS):
        position, rest = [], drawn
        for size in reversed(sizes):
            rest, digit = divmod(rest, size)
            position.append(digit)
        positions.add(tuple(reversed(position)))
    return [
        tuple(domain[i] for domain, i in zip(domains, position, strict=True))
        for position in sorted(positions)
    ]


def compare_engines(table_set: TableSet, reference: Engine, other: Engine) -> list[TableAgreement]:
    """Compare the two engines on every table of ``table_set``."""
    return [compare_table(table_set, table, reference, other) for table in table_set]


@dataclass(frozen=True)
class EnginePair:
    """The engines a proof compares: the reference, and the second opinion (``None`` when it
    cannot run here, with the reason in ``unavailable``)."""

    reference: Engine
    other: Engine | None
    unavailable: str | None = None


def engine_pair() -> EnginePair:
    """The native engine and, where durable_rules runs, the durable engine."""
    native = get_engine("native")
    try:
        return EnginePair(native, get_engine("durable"))
    except EngineUnavailableError as error:
        return EnginePair(native, None, str(error))
