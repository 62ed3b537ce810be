"""describe_tables: the table set read-only from Python, agreeing with what decides cases."""

from __future__ import annotations

import hashlib
import itertools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError
from support import BOARD_REFLECTION

from betanketid_rules import TableError, TableSetView, describe_tables, evaluate
from betanketid_rules._tables import default_tables_dir

VIEW = describe_tables()
Q4_CASE = {**BOARD_REFLECTION, "decision_date": "2022-08-15", "application_date": "2022-07-20"}


def test_every_version_is_named_dated_and_hashed_as_its_file_on_disk() -> None:
    files = {
        hashlib.sha256(path.read_bytes()).hexdigest(): path
        for path in default_tables_dir().rglob("*.yaml")
    }
    for family, versions in VIEW.families.items():
        assert versions, family
        for version in versions:
            assert version.key == f"{family}@{version.version}"
            assert version.in_force_from.isoformat() == version.version
            assert version.sha256 in files, version.key
            assert files[version.sha256].parent.name == family
        for before, after in itertools.pairwise(versions):
            assert before.in_force_to is not None
            assert (after.in_force_from - before.in_force_to).days == 1  # no gap, no overlap
        assert versions[-1].in_force_to is None


def test_the_view_agrees_with_a_decision_on_tables_rows_and_statuses() -> None:
    decision = evaluate(Q4_CASE)
    assert decision.outcome == "needs_review"
    # Evaluation order: the application's families first, then the revocation's.
    applications = len(decision.tables)
    assert [ref.id for ref in decision.tables] == list(VIEW.families)[:applications]
    assert list(VIEW.families)[applications:] == [
        "utl-7-7b-transitional",
        "utl-7-revocation",
        "utl-7-revocation-appeal",
    ]
    for ref in decision.tables:
        version = VIEW.table(f"{ref.id}@{ref.version}")
        assert (version.sha256, version.in_force_from, version.in_force_to) == (
            ref.sha256,
            ref.in_force_from,
            ref.in_force_to,
        )
    for step in decision.trace:
        rows = {row.id: row for row in VIEW.table(f"{step.table}@{step.version}").table.rows}
        for fired in step.fired:
            assert rows[fired.id].status == fired.status
            assert set(rows[fired.id].open_questions) == set(fired.open_questions)
    resting = set(VIEW.rows_resting_on["Q4"])
    fired_on_q4 = {
        f"{step.table}@{step.version}/{row.id}"
        for step in decision.trace
        for row in step.fired
        if "Q4" in row.open_questions
    }
    assert fired_on_q4 and fired_on_q4 <= resting
    assert VIEW.open_questions["Q4"].state == "open"
    assert VIEW.open_questions["Q4"].question.sv and VIEW.open_questions["Q4"].question.en


def test_rows_by_status_counts_every_row() -> None:
    for versions in VIEW.families.values():
        for version in versions:
            counts = version.rows_by_status
            assert sum(counts.values()) == len(version.table.rows)
            assert set(counts) <= {"confirmed", "secondary", "inferred"}


def test_periods_cover_every_day_from_the_first_with_one_version_of_each_family() -> None:
    for before, after in zip(VIEW.periods, VIEW.periods[1:], strict=False):
        assert before.last_day is not None
        assert (after.first_day - before.last_day).days == 1
    starts = {
        family: min(v.in_force_from for v in versions) for family, versions in VIEW.families.items()
    }
    for period in VIEW.periods:
        # A family enacted after the act (utl-5-neighbour-conditions, from 2010-07-01) has no
        # version in the periods before its first day; every other family has one in each.
        # The periods are the application chain's: a revocation's families are not in them.
        in_force = [
            family
            for family in VIEW.families
            if starts[family] <= period.first_day
            and VIEW.families[family][0].table.matter == "application"
        ]
        assert [key.split("@")[0] for key in period.tables] == in_force
        for key in period.tables:
            version = VIEW.table(key)
            assert version.in_force_from <= period.first_day
            assert version.in_force_to is None or (
                period.last_day is not None and period.last_day <= version.in_force_to
            )


def test_every_cited_source_is_in_the_registry() -> None:
    for versions in VIEW.families.values():
        for version in versions:
            for row in version.table.rows:
                for citation in row.citations:
                    assert citation.source in VIEW.sources, (version.key, row.id)


def test_the_view_is_read_only_and_round_trips_as_json() -> None:
    with pytest.raises(ValidationError):
        VIEW.sha256 = "x"  # type: ignore[misc]
    assert TableSetView.model_validate_json(VIEW.model_dump_json()) == VIEW


def test_an_unknown_table_names_what_exists() -> None:
    with pytest.raises(KeyError, match="utl-5-15-standing@2022-08-01"):
        VIEW.table("utl-5-15-standing@2022-08-02")


def test_a_directory_that_does_not_load_raises_table_error(tmp_path: Path) -> None:
    copy = tmp_path / "tables"
    shutil.copytree(default_tables_dir(), copy)
    table = next(copy.glob("utl-5-15-outcome/*.yaml"))
    table.write_text(table.read_text(encoding="utf-8") + "\nunexpected: 1\n", encoding="utf-8")
    with pytest.raises(TableError):
        describe_tables(copy)
    assert describe_tables(default_tables_dir()) == VIEW


def test_describe_tables_needs_no_test_extra() -> None:
    code = (
        "import sys, betanketid_rules; betanketid_rules.describe_tables(); "
        "assert 'hypothesis' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
