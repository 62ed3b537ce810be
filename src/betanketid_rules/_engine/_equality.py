"""Proof that two engines agree: every table, every point of its reachable input domain.

For each point both engines must match the same rows and give the same hit-policy result
(the same outputs, or the same hit-policy violation). The first differing point in the
domain's order is reported: the columns' values listed in their declared order, so the
reported input is the smallest in that order.
"""

from __future__ import annotations

from dataclasses import dataclass

from .._errors import EngineUnavailableError, HitPolicyError
from .._tables import Table, TableSet
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


@dataclass(frozen=True)
class TableAgreement:
    """The outcome of comparing one table: points compared and the first mismatch, if any."""

    table: str
    points: int
    mismatch: Mismatch | None


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
    """Compare ``other`` with ``reference`` on every reachable input of ``table``."""
    points = 0
    for values in domain_points(reachable_domains(table_set, table)):
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
            return TableAgreement(table.key, points, mismatch)
    return TableAgreement(table.key, points, None)


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
