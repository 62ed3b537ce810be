"""Read-only views of a table set: its families and versions, rows, sources and open questions.

What a legal reviewer, a case system or the web service lists (which tables exist, in force
when, with which rows, citations and statuses, resting on which sources and open questions)
comes from here, as immutable pydantic models that also serialise to JSON. The rows, sources
and questions are the table format's own models (``betanketid-rules schema tables|sources|
open-questions``), never a second copy of them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ._tables import TableSet, default_table_set, load_table_set
from ._tables._format import OpenQuestion, Source, TableFile
from ._types import Status
from ._version import VERSION


class _View(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class TableVersion(_View):
    """One version of a table family: when it is in force, its hash and the table as written."""

    key: str = Field(description="family@version, as decisions and the docs name it.")
    family: str
    version: str = Field(description="The first day in force, ISO date.")
    in_force_from: dt.date
    in_force_to: dt.date | None = Field(description="Last day in force (inclusive), or null.")
    sha256: str = Field(description="The hash of the table file, as decisions record it.")
    rows_by_status: dict[Status, int] = Field(
        description="How many rows rest on confirmed, secondary or inferred sources."
    )
    table: TableFile = Field(description="The table as written: columns, rows, citations, notes.")


class TablePeriod(_View):
    """Days in which the same version of every family is in force."""

    first_day: dt.date
    last_day: dt.date | None = Field(description="The last day (inclusive), or null.")
    tables: tuple[str, ...] = Field(description="family@version of each table, in chain order.")


class TableSetView(_View):
    """A whole table set, read-only: what decides cases and on what it rests.

    >>> from betanketid_rules import describe_tables
    >>> view = describe_tables()
    >>> [family for family in view.families][:2]
    ['utl-5-15-standing', 'utl-5-15-conditions']
    >>> view.table("utl-5-15-standing@2022-08-01").in_force_from.isoformat()
    '2022-08-01'
    >>> view.open_questions["Q4"].state, view.rows_resting_on["Q4"][0]
    ('open', 'utl-5-15-standing@2022-08-01/5-15-sn-transitional')
    """

    package_version: str
    sha256: str = Field(description="The hash of the whole table set (betanketid-rules --version).")
    families: dict[str, tuple[TableVersion, ...]] = Field(
        description="Each family, in evaluation order, with its versions oldest first: an "
        "application's families, then a revocation's (matter `revocation`)."
    )
    periods: tuple[TablePeriod, ...] = Field(
        description="The periods of the application chain, oldest first."
    )
    sources: dict[str, Source] = Field(description="The legal source registry, by id.")
    open_questions: dict[str, OpenQuestion] = Field(
        description="Every legal question, open or settled, with its texts, by id."
    )
    rows_resting_on: dict[str, tuple[str, ...]] = Field(
        description="For each open question, the rows (family@version/row) that rest on it."
    )

    def table(self, key: str) -> TableVersion:
        """The version named ``family@version``; ``KeyError`` naming what exists otherwise."""
        family, _, _ = key.partition("@")
        for version in self.families.get(family, ()):
            if version.key == key:
                return version
        known = ", ".join(v.key for versions in self.families.values() for v in versions)
        raise KeyError(f"no table {key!r} (tables: {known})")


def view_of(table_set: TableSet) -> TableSetView:
    """The read-only view of a loaded ``table_set``."""
    families = {
        family: tuple(
            TableVersion(
                key=table.key,
                family=family,
                version=table.version,
                in_force_from=table.spec.in_force_from,
                in_force_to=table.spec.in_force_to,
                sha256=table.sha256,
                rows_by_status=dict(Counter(row.status for row in table.spec.rows)),
                table=table.spec,
            )
            for table in table_set.families[family]
        )
        for family in sorted(
            table_set.order, key=lambda family: table_set.matter_of(family) != "application"
        )
    }
    return TableSetView(
        package_version=VERSION,
        sha256=table_set.content_hash,
        families=families,
        periods=tuple(
            TablePeriod(
                first_day=period.first_day,
                last_day=period.last_day,
                tables=tuple(table.key for table in period.tables),
            )
            for period in table_set.periods()
        ),
        sources=dict(table_set.sources),
        open_questions=dict(table_set.questions),
        rows_resting_on={
            question: table_set.rows_resting_on(question)
            for question in table_set.questions
            if table_set.rows_resting_on(question)
        },
    )


def describe_tables(directory: str | Path | None = None) -> TableSetView:
    """The package's table set (or the one in ``directory``), read-only.

    A directory is loaded as strictly as ``betanketid-rules check`` loads it: a table that
    does not load raises :class:`~betanketid_rules.TableError` listing every problem.

    >>> view = describe_tables()
    >>> [(p.first_day.isoformat(), p.last_day) for p in view.periods][-1]
    ('2022-08-01', None)
    >>> view.table("utl-5-15-outcome@2022-08-01").rows_by_status["confirmed"] > 0
    True
    """
    table_set = default_table_set() if directory is None else load_table_set(Path(directory))
    return view_of(table_set)
