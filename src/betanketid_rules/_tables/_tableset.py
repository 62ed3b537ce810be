"""A loaded table and a table set: each table compiled once into the parts everything uses.

A :class:`Table` holds its file (``spec``) and, compiled when it is made, its typed input
columns (source and domain), its rows' cells, the positions of its condition-scope columns and
its row keys. A :class:`TableSet` holds the families in evaluation order and answers which
table is in force on a day, the periods in which the chain stays the same, a table by name
(``family@version``, or ``family@date`` for the version in force that day), and which rows
rest on an open question.

>>> from betanketid_rules._tables import default_table_set
>>> tables = default_table_set()
>>> [period.first_day.isoformat() for period in tables.periods()]  # doctest: +NORMALIZE_WHITESPACE
['2006-03-31', '2007-07-01', '2010-07-01', '2013-07-01', '2013-08-01', '2015-01-01',
 '2022-08-01']
>>> tables.resolve("utl-5-15-standing@2012-06-01").key
'utl-5-15-standing@2010-07-01'
>>> tables.rows_resting_on("Q4")
('utl-5-15-standing@2022-08-01/5-15-sn-transitional',)
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._contract import Case, TableRef
from .._types import Cell, CellScalar, Values
from ._columns import CaseField, ColumnSource, UpstreamOutput, parse_source
from ._evaluate import row_cells
from ._format import CaseQuestion, OpenQuestion, Source, TableFile, Vocabulary

Upstream = dict[str, object]
"""Upstream outputs evaluated so far, keyed ``family.output``."""


def spans(starts: Sequence[dt.date]) -> list[tuple[dt.date, dt.date | None]]:
    """Each start date (ascending) with the day before the next one (None for the last).

    >>> spans([dt.date(2007, 7, 1), dt.date(2022, 8, 1)])
    [(datetime.date(2007, 7, 1), datetime.date(2022, 7, 31)), (datetime.date(2022, 8, 1), None)]
    """
    ends: list[dt.date | None] = [start - dt.timedelta(days=1) for start in starts[1:]]
    return list(zip(starts, [*ends, None], strict=True))


@dataclass(frozen=True)
class Column:
    """An input column: its name, where its values come from, and its declared domain."""

    name: str
    source: ColumnSource
    domain: tuple[CellScalar, ...]


InputsReader = Callable[[Case, Upstream], Values]


def tuple_getter(
    make: Callable[..., Callable[[Any], Any]], keys: Sequence[Any]
) -> Callable[[Any], tuple[Any, ...]]:
    """A C-level getter of ``keys`` (``operator.attrgetter`` or ``itemgetter`` as ``make``)
    that always returns a tuple, also for one key or none.

    >>> from operator import itemgetter
    >>> tuple_getter(itemgetter, [2])("abc"), tuple_getter(itemgetter, [])("a")
    (('c',), ())
    """
    if not keys:
        return lambda source: ()
    get = make(*keys)
    if len(keys) == 1:
        return lambda source: (get(source),)
    return get


def _compiled_reader(
    sources: Sequence[ColumnSource | None], first_day: dt.date
) -> Callable[..., tuple[Any, ...]]:
    """One function ``(case, upstream)`` reading ``sources`` in order (``None``: skipped).

    It is written out as one expression (``(case.applicant, upstream[k1], d2(case))``) and
    compiled, so a table's inputs cost one Python call; what it may name is fixed here: case
    fields of the finite registry (dotted identifiers), upstream keys and derived values are
    passed in as constants, never spelled into the text.
    """
    names: dict[str, Any] = {"__builtins__": {}}
    parts = []
    for position, source in enumerate(sources):
        if source is None:
            continue
        if isinstance(source, CaseField):
            if not all(part.isidentifier() for part in source.path.split(".")):
                raise ValueError(f"not a case field path: {source.path!r}")
            parts.append(f"case.{source.path}")
        elif isinstance(source, UpstreamOutput):
            names[f"key{position}"] = source.text
            parts.append(f"upstream[key{position}]")
        else:
            names[f"derive{position}"] = functools.partial(source.read, first_day=first_day)
            parts.append(f"derive{position}(case)")
    read: Callable[..., tuple[Any, ...]] = eval(
        f"lambda case, upstream=None: ({''.join(part + ', ' for part in parts)})", names
    )
    return read


def _inputs_reader(sources: tuple[ColumnSource, ...], first_day: dt.date) -> InputsReader:
    """One function reading every input column, in column order: the hot path of an
    evaluation (see :func:`_compiled_reader`)."""
    return _compiled_reader(sources, first_day)


def _case_reader(
    sources: tuple[ColumnSource, ...], first_day: dt.date
) -> Callable[[Case], tuple[Any, ...]] | None:
    """A reader of the input columns taken from the case itself (fields and derived values,
    in column order), or None when the table reads only earlier tables' outputs."""
    own = [None if isinstance(source, UpstreamOutput) else source for source in sources]
    if all(source is None for source in own):
        return None
    return _compiled_reader(own, first_day)


@dataclass(frozen=True, eq=False)
class Table:
    """One table file, validated, compiled into what the engines and the tools need."""

    spec: TableFile
    path: Path
    sha256: str
    #: For each input column, its finite domain (declared values for upstream outputs).
    domains: tuple[tuple[CellScalar, ...], ...]
    columns: tuple[Column, ...] = field(init=False)
    #: Each row's cells in column order.
    cells: tuple[tuple[Cell, ...], ...] = field(init=False, repr=False)
    #: Positions of the condition-scope columns.
    scope: tuple[int, ...] = field(init=False, repr=False)
    #: Row id -> row index.
    row_index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        columns = []
        for column, domain in zip(self.spec.inputs, self.domains, strict=True):
            source = parse_source(column.source)
            if source is None:
                raise ValueError(f"{self.key}: unknown input source {column.source!r}")
            columns.append(Column(column.name, source, domain))
        names = tuple(column.name for column in columns)
        set_ = functools.partial(object.__setattr__, self)
        set_("columns", tuple(columns))
        set_("cells", row_cells(self.spec.rows, names))
        set_("scope", tuple(names.index(name) for name in self.spec.condition_scope))
        set_("row_index", {row.id: index for index, row in enumerate(self.spec.rows)})

    # The readers are compiled when a table is first decided by, not when it is loaded: a
    # process deciding one case compiles only the tables in force on its day.

    @functools.cached_property
    def read_inputs(self) -> InputsReader:
        """Reads every input column's value for a case and the upstream outputs, in column
        order (see :func:`_compiled_reader`)."""
        sources = tuple(column.source for column in self.columns)
        return _inputs_reader(sources, self.spec.in_force_from)

    @functools.cached_property
    def read_case_inputs(self) -> Callable[[Case], tuple[Any, ...]] | None:
        """Reads the input columns the case itself gives (not earlier tables' outputs), in
        column order; None when there are none. With what earlier tables passed on, they
        determine :attr:`read_inputs`."""
        sources = tuple(column.source for column in self.columns)
        return _case_reader(sources, self.spec.in_force_from)

    @property
    def family(self) -> str:
        return self.spec.family

    @property
    def version(self) -> str:
        return self.spec.in_force_from.isoformat()

    @property
    def key(self) -> str:
        """``family@version``, the name a reviewer uses for this table."""
        return f"{self.spec.family}@{self.version}"

    @functools.cached_property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @functools.cached_property
    def output_keys(self) -> dict[str, str]:
        """Each output's name -> the key later tables read it under (``family.output``)."""
        return {
            output.name: UpstreamOutput(self.family, output.name).text
            for output in self.spec.outputs
        }

    @functools.cached_property
    def upstream_families(self) -> frozenset[str]:
        """The families this table reads an output of."""
        return frozenset(
            column.source.family
            for column in self.columns
            if isinstance(column.source, UpstreamOutput)
        )

    def row_key(self, row_id: str) -> str:
        """The name of a row across the set: ``family@version/row id``."""
        return f"{self.key}/{row_id}"

    def in_force_on(self, day: dt.date) -> bool:
        """Whether this wording applies on ``day``."""
        end = self.spec.in_force_to
        return self.spec.in_force_from <= day and (end is None or day <= end)

    def overlaps(self, other: Table) -> bool:
        """Whether the two tables are in force on some common day."""
        end = self.spec.in_force_to or dt.date.max
        other_end = other.spec.in_force_to or dt.date.max
        return self.spec.in_force_from <= other_end and other.spec.in_force_from <= end

    @functools.cached_property
    def ref(self) -> TableRef:
        return TableRef(
            id=self.family,
            version=self.version,
            in_force_from=self.spec.in_force_from,
            in_force_to=self.spec.in_force_to,
            sha256=self.sha256,
        )


@dataclass(frozen=True)
class Period:
    """Days in which the same table of every family is in force."""

    first_day: dt.date
    #: The last day (inclusive), or ``None`` while the period lasts.
    last_day: dt.date | None
    #: The tables in force, in evaluation order.
    tables: tuple[Table, ...]

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date):
            return False
        return self.first_day <= day and (self.last_day is None or day <= self.last_day)

    @property
    def starting(self) -> tuple[Table, ...]:
        """The tables whose wording enters into force on the first day."""
        return tuple(table for table in self.tables if table.spec.in_force_from == self.first_day)


@dataclass(frozen=True, eq=False)
class TableSet:
    """Every table the package (or a directory) holds, ready to evaluate."""

    directory: Path
    families: dict[str, tuple[Table, ...]]
    #: Families in evaluation order: every family after the families it reads from.
    order: tuple[str, ...]
    sources: dict[str, Source]
    questions: dict[str, OpenQuestion]
    content_hash: str
    outcome_family: str
    #: The question for each case field, by dotted path (``tables/questions.yaml``).
    catalogue: dict[str, CaseQuestion] = field(default_factory=dict)
    #: The labels of the case's values (``tables/vocabulary.yaml``); None only in a partial set.
    vocabulary: Vocabulary | None = None
    #: Each family's matter (``application`` unless its tables say ``matter: revocation``).
    matters: dict[str, str] = field(default_factory=dict)
    #: The family outputting the outcome, per matter (``outcome_family`` for applications).
    outcome_families: dict[str, str] = field(default_factory=dict)
    _starts: dict[str, list[dt.date]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for family, tables in self.families.items():
            self._starts[family] = [table.spec.in_force_from for table in tables]

    def select(self, family: str, day: dt.date) -> Table:
        """The table of ``family`` in force on ``day``.

        Raises ``LookupError`` if none is (the loader guarantees coverage from the first date).
        """
        tables = self.families[family]
        index = bisect.bisect_right(self._starts[family], day) - 1
        if index < 0 or not tables[index].in_force_on(day):
            raise LookupError(f"no table of {family} is in force on {day.isoformat()}")
        return tables[index]

    def matter_of(self, family: str) -> str:
        """The matter ``family`` decides a step of (``application`` unless declared)."""
        return self.matters.get(family, "application")

    def outcome_family_of(self, matter: str) -> str:
        """The family that gives the outcome of a case of ``matter``; ``KeyError`` if the set
        decides no such matter.

        >>> from betanketid_rules._tables import default_table_set
        >>> default_table_set().outcome_family_of("revocation")
        'utl-7-revocation'
        """
        if matter == "application":
            return self.outcome_family
        return self.outcome_families[matter]

    def chain_on(self, day: dt.date, matter: str = "application") -> tuple[Table, ...]:
        """The tables of ``matter`` in force on ``day``, in evaluation order.

        A family enacted after the act (the loader lets one start later only when no table in
        force before its first day reads it) has no table in the chain before its first day.

        >>> from betanketid_rules._tables import default_table_set
        >>> table_set = default_table_set()
        >>> def families(day):
        ...     return {table.family for table in table_set.chain_on(day)}
        >>> "utl-5-neighbour-conditions" in families(dt.date(2010, 6, 30))
        False
        >>> "utl-5-neighbour-conditions" in families(dt.date(2010, 7, 1))
        True
        >>> [t.family for t in table_set.chain_on(dt.date(2007, 6, 30), "revocation")]
        ['utl-7-revocation']
        """
        outcome = self.outcome_family_of(matter)
        return tuple(
            self.select(family, day)
            for family in self.order
            if self.matters.get(family, "application") == matter
            and (day >= self._starts[family][0] or family == outcome)
        )

    def table(self, key: str) -> Table:
        """The table named ``family@version``; ``KeyError`` if there is none."""
        family, _, version = key.partition("@")
        for table in self.families.get(family, ()):
            if table.version == version:
                return table
        raise KeyError(key)

    def resolve(self, name: str) -> Table:
        """The table ``family@version``, or ``family@date``: the version in force that day.

        Raises ``KeyError`` naming what is not found.
        """
        family, at, version = name.partition("@")
        if not at or family not in self.families:
            raise KeyError(f"no table family {family!r} (write family@version)")
        try:
            return self.table(name)
        except KeyError:
            pass
        try:
            return self.select(family, dt.date.fromisoformat(version))
        except (ValueError, LookupError):
            versions = ", ".join(table.version for table in self.families[family])
            raise KeyError(f"{name}: no such version of {family} (versions: {versions})") from None

    def __iter__(self) -> Iterator[Table]:
        for family in self.order:
            yield from self.families[family]

    def change_dates(self, matter: str = "application") -> tuple[dt.date, ...]:
        """Every date on which the wording of some family of ``matter`` changes, ascending."""
        return tuple(
            sorted(
                {
                    table.spec.in_force_from
                    for table in self
                    if self.matters.get(table.family, "application") == matter
                }
            )
        )

    def periods(self, matter: str = "application") -> tuple[Period, ...]:
        """The periods of the chain of ``matter`` (applications unless named), oldest first:
        one per date some wording of that matter changes."""
        found = self._periods.get(matter)
        if found is None:
            found = self._periods[matter] = tuple(
                Period(start, end, self.chain_on(start, matter))
                for start, end in spans(self.change_dates(matter))
            )
        return found

    @functools.cached_property
    def _periods(self) -> dict[str, tuple[Period, ...]]:
        return {}

    @functools.cached_property
    def _resting(self) -> dict[str, tuple[str, ...]]:
        resting: dict[str, list[str]] = {}
        for table in self:
            for row in table.spec.rows:
                for question in row.open_questions:
                    resting.setdefault(question, []).append(table.row_key(row.id))
        return {question: tuple(rows) for question, rows in resting.items()}

    def rows_resting_on(self, question: str) -> tuple[str, ...]:
        """Every row (``family@version/row id``) naming the open question, in chain order."""
        return self._resting.get(question, ())

    def sources_naming(self, question: str) -> tuple[str, ...]:
        """Every source registry id whose entry names the open question."""
        return tuple(
            source.id for source in self.sources.values() if source.open_question == question
        )


def hash_contents(contents: dict[str, bytes]) -> str:
    """A sha256 over files given as relative POSIX name -> bytes, ordered as paths are (part
    by part: ``a/b`` before ``a-c/b``).

    >>> hash_contents({"b.yaml": b"2", "a.yaml": b"1"}) == hash_contents({"a.yaml": b"1",
    ...     "b.yaml": b"2"})
    True
    """
    digest = hashlib.sha256()
    for name in sorted(contents, key=lambda name: name.split("/")):
        digest.update(name.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(contents[name])
        digest.update(b"\0")
    return digest.hexdigest()
