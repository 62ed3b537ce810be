"""The decision relation: per period and slice, every decision over the inputs it depends on.

For data platforms that decide many cases at once by a join instead of calling ``evaluate()``
in a loop. The relation has one column per case field any table of the set reads (dotted paths
written with ``_``: ``person_in_sweden``) and per derived value (``lodged_before_in_force``),
the ``period`` (its first day), and the decision: ``outcome``, the permit (``permit_type``,
``permit_days``, ``permit_min_months``), the rows fired (``rules_fired``, ``family/row id``) and
the provisions cited (``provisions``: the statutory basis of the rows fired).

A *slice* is a period and a value of each of the case's own fields (those not inside a model
of the contract: ``applicant``, ``permit``). Within a slice the decision depends on some of the
other inputs only; the slice's rows hold every combination of those that the contract accepts
(a person with ``relation: accompanying_child`` is a child) and null, meaning any value, in
the others. The slices table says per slice which inputs it uses (``uses_<column>``). A case is
decided by nulling the inputs its slice does not use and joining on every input with
``IS NOT DISTINCT FROM`` (null equals null): exactly one row, and an equality (hash) join.

The inputs a slice uses are found from the tables, not from what they are about: the period's
input space is split into boxes on each of which every table of its chain fires the same rows
(:func:`~.._verify.diff.chain_regions`, as ``diff`` splits it), and an input that no box of
the slice splits cannot change the decision there. Each box is decided once by the native
engine. An input the boxes split but whose every value gives the same decision, whatever the
slice's other inputs are (the boxes also split along the contract's constraints and along rows
that decide alike), is left out as well.

The periods table names each period's first and last day, its tables, and for each derived
value the day it compares a date of the case with (``lodged_before_in_force_cutoff``: the
value is true when ``application_date`` is before that day).

>>> from betanketid_rules._tables import default_table_set
>>> [column.name for column in input_columns(default_table_set())][:3]
['applicant', 'permit', 'person_in_sweden']
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._contract import Citation, Decision
from .._engine import decide_with
from .._tables import Period, TableSet
from .._tables._columns import CASE_DOMAINS, DERIVED, CaseField, DerivedValue
from .._types import Box, CellScalar
from .._verify.diff import chain_regions

#: The decision's columns, after the inputs.
DECISION_COLUMNS = (
    "outcome",
    "permit_type",
    "permit_days",
    "permit_min_months",
    "rules_fired",
    "provisions",
)
#: The periods table's columns, before one cutoff column per derived value.
PERIOD_COLUMNS = ("period", "first_day", "last_day", "tables")


@dataclass(frozen=True)
class InputColumn:
    """A column of the relation's inputs: its name, what it reads and its domain."""

    name: str
    source: CaseField | DerivedValue

    @property
    def domain(self) -> tuple[CellScalar, ...]:
        return self.source.domain


@dataclass(frozen=True)
class DecisionRelation:
    """The relation (one tuple per row, in :attr:`columns` order), the periods table and the
    slices table."""

    columns: tuple[str, ...]
    inputs: tuple[InputColumn, ...]
    rows: list[tuple[Any, ...]]
    period_columns: tuple[str, ...]
    periods: list[tuple[Any, ...]]
    #: The slices table: per period and slice, whether each other input decides there.
    slice_columns: tuple[str, ...]
    slices: list[tuple[Any, ...]]
    #: Rows per period (by first day).
    period_sizes: dict[dt.date, int]


def provision(citation: Citation) -> str:
    """A statutory citation as a compact Swedish reference with the wording in force.

    >>> provision(Citation(act="2005:716", chapter=5, section="15", paragraph=1, point=2,
    ...     sentence=None, wording="SFS 2007:322", status="confirmed", source="S", url=None))
    '2005:716 5 kap. 15 § 1 st. 2 p. (SFS 2007:322)'
    """
    parts = [str(citation.act)]
    for value, unit in (
        (citation.chapter, "kap."),
        (citation.section, "§"),
        (citation.paragraph, "st."),
        (citation.sentence, "men."),
        (citation.point, "p."),
    ):
        if value is not None:
            parts.append(f"{value} {unit}")
    return " ".join(parts) + f" ({citation.wording})"


def input_columns(table_set: TableSet) -> tuple[InputColumn, ...]:
    """Every case field (in the contract's order) and derived value any table of an
    application reads: the relation covers applications only (a revocation's tables are
    evaluated by :func:`~betanketid_rules.evaluate`)."""
    read_fields: set[str] = set()
    read_derived: set[str] = set()
    for table in table_set:
        if table_set.matter_of(table.family) != "application":
            continue
        for column in table.columns:
            if isinstance(column.source, CaseField):
                read_fields.add(column.source.path)
            elif isinstance(column.source, DerivedValue):
                read_derived.add(column.source.name)
    fields = [
        InputColumn(path.replace(".", "_"), CaseField(path))
        for path in CASE_DOMAINS
        if path in read_fields
    ]
    derived = [InputColumn(name, DERIVED[name]) for name in DERIVED if name in read_derived]
    return (*fields, *derived)


def _cutoff(period: Period, value: DerivedValue) -> dt.date | None:
    """The first day of the tables of ``period`` reading ``value`` (what it is compared with)."""
    days = {
        table.spec.in_force_from
        for table in period.tables
        for column in table.columns
        if column.source == value
    }
    if len(days) > 1:  # pragma: no cover (one reading table per derived value today)
        raise ValueError(f"{value.text} is read against several days in the period: {days}")
    return next(iter(days), None)


def _decision_values(decision: Decision) -> tuple[Any, ...]:
    permit = decision.permit
    return (
        decision.outcome,
        permit.type if permit else None,
        permit.days if permit else None,
        permit.min_months if permit else None,
        decision.rules_fired,
        tuple(
            dict.fromkeys(provision(c) for c in decision.legal_basis if c.role == "basis" and c.act)
        ),
    )


def slice_inputs(inputs: Sequence[InputColumn]) -> tuple[InputColumn, ...]:
    """The inputs naming a slice: the case's own fields, not those inside a model of it.

    >>> from betanketid_rules._tables import default_table_set
    >>> [c.name for c in slice_inputs(input_columns(default_table_set()))]
    ['applicant', 'permit']
    """
    return tuple(c for c in inputs if isinstance(c.source, CaseField) and len(c.source.parts) == 1)


@dataclass(frozen=True)
class _Slice:
    """One slice of a period: its values, the other inputs it uses, its decisions."""

    values: tuple[CellScalar, ...]
    #: Per input that does not name the slice: whether the decision depends on it here.
    uses: tuple[bool, ...]
    #: The decision by the values of the inputs used, in the order of the inputs.
    decided: dict[tuple[CellScalar, ...], tuple[Any, ...]]


class _PeriodSpace:
    """A period's chain as boxes of its input space, each decided once."""

    def __init__(self, table_set: TableSet, period: Period, inputs: Sequence[InputColumn]):
        self.table_set = table_set
        self.day = period.first_day
        self.space, self.boxes = chain_regions(period.tables, period.first_day)
        where = {source.text: index for index, source in enumerate(self.space.sources)}
        #: Per input of the relation that a table of the period reads: its column in the space.
        self.at = {i: where[c.source.text] for i, c in enumerate(inputs) if c.source.text in where}
        for i, index in self.at.items():
            column = inputs[i]
            if self.space.columns[index].domain != column.domain:
                raise ValueError(  # pragma: no cover (one start day per derived value today)
                    f"{column.name} takes other values in the period of {self.day}"
                )
        self.full = [(1 << len(column.domain)) - 1 for column in self.space.columns]

    def within(self, fixed: dict[int, int]) -> list[Box]:
        """The boxes meeting the values ``fixed`` (space column: value index), cut to them."""
        found = []
        for box in self.boxes:
            if all(box[i] >> v & 1 for i, v in fixed.items()):
                cut = list(box)
                for i, v in fixed.items():
                    cut[i] = 1 << v
                found.append(tuple(cut))
        return found

    def decide(self, box: Box) -> tuple[Any, ...]:
        """The decision on ``box`` (at its first point: every point of it decides alike)."""
        point = tuple(
            column.domain[(mask & -mask).bit_length() - 1]
            for mask, column in zip(box, self.space.columns, strict=True)
        )
        case = self.space.case(point, self.day)
        return _decision_values(decide_with(self.table_set, case, "native"))


def _period_slices(
    table_set: TableSet, period: Period, inputs: Sequence[InputColumn]
) -> Iterator[_Slice]:
    """Every slice of ``period``: the inputs no box of it splits are left out, each box is
    decided once, and an input whose values all decide alike is left out after."""
    space = _PeriodSpace(table_set, period, inputs)
    naming = [i for i, c in enumerate(inputs) if c in slice_inputs(inputs)]
    others = [i for i in range(len(inputs)) if i not in naming]
    for values in itertools.product(*(inputs[i].domain for i in naming)):
        fixed = {
            space.at[i]: inputs[i].domain.index(value)
            for i, value in zip(naming, values, strict=True)
            if i in space.at
        }
        boxes = space.within(fixed)
        split = {i for box in boxes for i, mask in enumerate(box) if mask != space.full[i]}
        used = [i for i in others if i in space.at and space.at[i] in split]
        decided: dict[tuple[CellScalar, ...], tuple[Any, ...]] = {}
        for box in boxes:
            verdict = space.decide(box)
            options = [
                [v for b, v in enumerate(inputs[i].domain) if box[space.at[i]] >> b & 1]
                for i in used
            ]
            for key in itertools.product(*options):
                decided[key] = verdict
        used, decided = _without_unneeded(used, decided)
        order = [{v: n for n, v in enumerate(inputs[i].domain)} for i in used]
        ordered = dict(
            sorted(
                decided.items(),
                key=lambda item: tuple(o[v] for o, v in zip(order, item[0], strict=True)),
            )
        )
        yield _Slice(values, tuple(i in used for i in others), ordered)


def _without_unneeded(
    used: list[int], decided: dict[tuple[CellScalar, ...], tuple[Any, ...]]
) -> tuple[list[int], dict[tuple[CellScalar, ...], tuple[Any, ...]]]:
    """``used`` without each input whose values all decide alike whatever the others are."""
    for place in reversed(range(len(used))):
        merged: dict[tuple[CellScalar, ...], tuple[Any, ...]] = {}
        for key, verdict in decided.items():
            if merged.setdefault((*key[:place], *key[place + 1 :]), verdict) != verdict:
                break
        else:
            used = used[:place] + used[place + 1 :]
            decided = merged
    return used, decided


def decision_relation(table_set: TableSet) -> DecisionRelation:
    """The decision relation, periods table and slices table of ``table_set``.

    >>> from betanketid_rules._tables import default_table_set
    >>> relation = decision_relation(default_table_set())
    >>> relation.slice_columns[:4]
    ('period', 'applicant', 'permit', 'uses_person_in_sweden')
    """
    inputs = input_columns(table_set)
    naming = slice_inputs(inputs)
    others = [c for c in inputs if c not in naming]
    derived = [c for c in inputs if isinstance(c.source, DerivedValue)]
    rows: list[tuple[Any, ...]] = []
    periods: list[tuple[Any, ...]] = []
    slices: list[tuple[Any, ...]] = []
    sizes: dict[dt.date, int] = {}
    for period in table_set.periods():
        first_day = period.first_day
        before = len(rows)
        for found in _period_slices(table_set, period, inputs):
            slices.append((first_day, *found.values, *found.uses))
            for key, verdict in found.decided.items():
                given = iter(key)
                rest = [next(given) if uses else None for uses in found.uses]
                rows.append((first_day, *found.values, *rest, *verdict))
        sizes[first_day] = len(rows) - before
        cutoffs = []
        for column in derived:
            assert isinstance(column.source, DerivedValue)
            cutoffs.append(_cutoff(period, column.source))
        periods.append(
            (
                first_day,
                first_day,
                period.last_day,
                tuple(table.key for table in period.tables),
                *cutoffs,
            )
        )
    return DecisionRelation(
        columns=("period", *(c.name for c in inputs), *DECISION_COLUMNS),
        inputs=inputs,
        rows=rows,
        period_columns=(*PERIOD_COLUMNS, *(f"{c.name}_cutoff" for c in derived)),
        periods=periods,
        slice_columns=("period", *(c.name for c in naming), *(f"uses_{c.name}" for c in others)),
        slices=slices,
        period_sizes=sizes,
    )


#: How CSV joins a column's list: ids by spaces, provisions (which hold spaces) by "; ".
CSV_LIST_SEPARATOR = {"rules_fired": " ", "tables": " ", "provisions": "; "}


def _as_text(value: Any, separator: str) -> Any:
    if isinstance(value, tuple):
        return separator.join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """``rows`` as CSV with a header: dates ISO, booleans ``true``/``false``, null empty, a list
    of ids joined by spaces (``rules_fired``), of provisions by ``; ``."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        separators = [CSV_LIST_SEPARATOR.get(name, " ") for name in columns]
        for row in rows:
            writer.writerow([_as_text(v, sep) for v, sep in zip(row, separators, strict=True)])


def write_parquet(path: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """``rows`` as Parquet (needs pyarrow: the ``batch`` extra); lists stay lists."""
    import pyarrow as pa  # noqa: PLC0415 (an optional extra)
    import pyarrow.parquet as pq  # noqa: PLC0415

    by_column = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    arrays = {name: pa.array(values) for name, values in zip(columns, by_column, strict=True)}
    pq.write_table(pa.table(arrays), path)


def write_relation(table_set: TableSet, out: Path, file_format: str = "parquet") -> list[Path]:
    """Write ``relation.<ext>``, ``periods.<ext>`` and ``slices.<ext>`` of ``table_set`` into
    ``out``.

    >>> import tempfile
    >>> from betanketid_rules._tables import default_table_set
    >>> with tempfile.TemporaryDirectory() as out:
    ...     [path.name for path in write_relation(default_table_set(), Path(out))]
    ['relation.parquet', 'periods.parquet', 'slices.parquet']
    """
    if file_format == "parquet":
        try:
            import pyarrow  # noqa: F401, PLC0415
        except ImportError:
            raise ImportError(
                "Parquet needs pyarrow: pip install 'betanketid-rules[batch]' (or --format csv)"
            ) from None
    relation = decision_relation(table_set)
    out.mkdir(parents=True, exist_ok=True)
    write = write_parquet if file_format == "parquet" else write_csv
    paths = [out / f"{name}.{file_format}" for name in ("relation", "periods", "slices")]
    write(paths[0], relation.columns, relation.rows)
    write(paths[1], relation.period_columns, relation.periods)
    write(paths[2], relation.slice_columns, relation.slices)
    return paths
