"""A table's atoms (issue 17): regions on which the same rows match, exactly the points' answer.

The point-by-point answer here is computed from the rows' conditions directly (a value is in a
cell when the cell lists it or the row leaves the column out), sharing nothing with the atoms'
splitting. Domains are the shipped tables' own, the check fixtures', and random subsets of them
(which make gaps, overlaps and rows that match nothing).
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from support import widen_standing

from betanketid_rules._engine import get_engine
from betanketid_rules._engine._equality import (
    EXHAUSTIVE_POINTS,
    SAMPLE_POINTS,
    EnginePair,
    compare_table,
)
from betanketid_rules._tables import Table, default_table_set, read_table_set
from betanketid_rules._tables._atoms import table_atoms
from betanketid_rules._tables._evaluate import HitResult
from betanketid_rules._tables._reach import reachable_domains
from betanketid_rules._types import CellScalar
from betanketid_rules._verify.check import check_tables

FIXTURE = Path(__file__).parent / "fixtures" / "check" / "base"


def _tables() -> list[Table]:
    fixture = read_table_set(FIXTURE).table_set
    assert fixture is not None
    return [*default_table_set(), *fixture]


TABLES = _tables()


def accepts(condition: list[CellScalar] | None, value: CellScalar) -> bool:
    if condition is None:
        return True
    return any(value == wanted and type(value) is type(wanted) for wanted in condition)


def rows_matching(table: Table, values: tuple[CellScalar, ...]) -> tuple[int, ...]:
    found = []
    for index, row in enumerate(table.spec.rows):
        conditions = row.conditions
        if all(
            accepts(
                list(conditions[name]) if name in conditions else None,
                value,
            )
            for name, value in zip(table.column_names, values, strict=True)
        ):
            found.append(index)
    return tuple(found)


def assert_atoms_are_the_points(table: Table, domains: list[tuple[CellScalar, ...]]) -> None:
    atoms = table_atoms(table, domains)
    owner: dict[tuple[int, ...], int] = {}
    for number, atom in enumerate(atoms):
        ranges = [[i for i in range(len(d)) if atom.box[c] >> i & 1] for c, d in enumerate(domains)]
        for position in itertools.product(*ranges):
            assert position not in owner, "atoms overlap"
            owner[position] = number
    assert len(owner) == math.prod(len(domain) for domain in domains), "atoms miss points"
    for position, number in owner.items():
        values = tuple(domain[i] for domain, i in zip(domains, position, strict=True))
        assert atoms[number].matched == rows_matching(table, values), (table.key, values)


def test_the_atoms_of_every_table_are_its_points_answer() -> None:
    for table in TABLES:
        assert_atoms_are_the_points(table, [tuple(domain) for domain in table.domains])


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_the_atoms_over_any_subset_of_the_domains_are_the_points_answer(
    data: st.DataObject,
) -> None:
    table = data.draw(st.sampled_from(TABLES))
    domains = [
        tuple(
            data.draw(
                st.lists(st.sampled_from(domain), min_size=1, unique=True).map(
                    lambda chosen, domain=domain: [v for v in domain if v in chosen]
                )
            )
        )
        for domain in table.domains
    ]
    assert_atoms_are_the_points(table, domains)


def test_columns_no_row_conditions_on_split_no_atom(tmp_path: Path) -> None:
    """The atoms grow with the rows, not the domain: five more columns no row reads make the
    domain 32 times larger and leave the atoms as many, and ``check`` as clean."""
    shipped = default_table_set().table("utl-5-15-standing@2022-08-01")
    loaded = read_table_set(widen_standing(tmp_path / "tables")).table_set
    assert loaded is not None
    wide = loaded.table("utl-5-15-standing@2022-08-01")
    assert math.prod(map(len, wide.domains)) == 32 * math.prod(map(len, shipped.domains))
    assert len(table_atoms(wide, wide.domains)) == len(table_atoms(shipped, shipped.domains))
    report = check_tables(tmp_path / "tables", engines=False)
    assert report.findings == []


def test_every_shipped_table_gets_the_exhaustive_engine_proof() -> None:
    table_set = default_table_set()
    for table in table_set:
        size = math.prod(map(len, reachable_domains(table_set, table)))
        assert size <= EXHAUSTIVE_POINTS, (table.key, size)


class _WrongWhereTheBoardRoutes:
    """An engine that matches rows right but names another route wherever the standing
    table's board row fires (a mistake constant over the atoms the row holds on)."""

    name = "durable"

    def hit(self, table: Table, values: tuple[Any, ...]) -> HitResult:
        result = get_engine("native").hit(table, values)
        if (
            table.family == "utl-5-15-standing"
            and result.outputs.get("route") == "board_reflection"
        ):
            wrong = {"route": "none"}
            return HitResult(
                result.matched, result.fired, wrong, (("utl-5-15-standing.route", "none"),)
            )
        return result


def test_beyond_the_limit_the_engines_are_compared_region_by_region(tmp_path: Path) -> None:
    directory = widen_standing(tmp_path / "tables", extra=6)
    loaded = read_table_set(directory).table_set
    assert loaded is not None
    table = loaded.table("utl-5-15-standing@2022-08-01")
    assert math.prod(map(len, reachable_domains(loaded, table))) > EXHAUSTIVE_POINTS
    native = get_engine("native")
    agreement = compare_table(loaded, table, native, native)
    assert (agreement.proof, agreement.mismatch) == ("regions", None)
    assert SAMPLE_POINTS <= agreement.points < EXHAUSTIVE_POINTS
    report = check_tables(directory, engines=EnginePair(native, _WrongWhereTheBoardRoutes()))
    assert report.proofs["utl-5-15-standing@2022-08-01"] == "regions"
    assert report.proofs["utl-5-15-standing@2007-07-01"] == "exhaustive"
    assert any(
        note.startswith("utl-5-15-standing@2022-08-01: engines compared region")
        for note in report.notes
    )
    engine_findings = [finding for finding in report.findings if finding.kind == "engine"]
    assert [finding.table for finding in engine_findings] == ["utl-5-15-standing@2022-08-01"]
    assert "route" in engine_findings[0].message
