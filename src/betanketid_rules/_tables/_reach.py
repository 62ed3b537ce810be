"""Reachable input domains: the values a table can really be given.

A case column can take every value of its contract domain. A column fed by an upstream family
can only take the values that family's tables in force at the same time can produce (their rows'
outputs, plus an aggregated COLLECT output's default), which is smaller than the declared list.
"""

from __future__ import annotations

from .._types import CellScalar
from ._columns import UpstreamOutput
from ._tableset import Table, TableSet


def produced_values(table: Table, output: str) -> tuple[CellScalar, ...]:
    """The values ``table`` can give for ``output``, in the output's declared order."""
    spec = table.spec
    column = next(column for column in spec.outputs if column.name == output)
    values = {row.then[output] for row in spec.rows}
    if spec.hit_policy == "COLLECT":
        values.add(column.default)
    return tuple(value for value in column.values if value in values) + (
        (column.default,)
        if spec.hit_policy == "COLLECT" and column.default not in column.values
        else ()
    )


def reachable_domains(table_set: TableSet, table: Table) -> tuple[tuple[CellScalar, ...], ...]:
    """For each input column of ``table``, the values it can actually receive."""
    domains: list[tuple[CellScalar, ...]] = []
    for column in table.columns:
        source = column.source
        upstream = (
            table_set.families.get(source.family) if isinstance(source, UpstreamOutput) else None
        )
        if upstream is None or not isinstance(source, UpstreamOutput):
            domains.append(column.domain)
            continue
        values: set[CellScalar] = set()
        for other in upstream:
            if table.overlaps(other):
                values.update(produced_values(other, source.output))
        domains.append(tuple(value for value in column.domain if value in values))
    return tuple(domains)
