"""The decision relation: every combination of the case's inputs, decided, per period.

For data platforms that decide many cases at once by a join instead of calling ``evaluate()``
in a loop. The relation has one column per case field any table of the set reads (dotted paths
written with ``_``: ``person_in_sweden``) and per derived value (``lodged_before_in_force``),
the ``period`` (its first day), and the decision: ``outcome``, the permit (``permit_type``,
``permit_days``, ``permit_min_months``), the rows fired (``rules_fired``, ``family/row id``) and
the provisions cited (``provisions``: the statutory basis of the rows fired). For each period
it holds every combination of the columns' domains that the contract accepts (a person with
``relation: accompanying_child`` is a child), with the same columns in every period (a field no
table of a period reads only repeats the decision), so one equality join decides any case.

The periods table names each period's first and last day, its tables, and for each derived
value the day it compares a date of the case with (``lodged_before_in_force_cutoff``: the
value is true when ``application_date`` is before that day).

Each distinct chain of trace steps is turned into a decision once, by the engine's own
``assemble``; the chain is walked over the product space by ``run_chain_space``.

>>> from betanketid_rules._tables import default_table_set
>>> [column.name for column in input_columns(default_table_set())][:3]
['applicant', 'permit', 'person_in_sweden']
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pydantic import BaseModel, ValidationError

from .._contract import Case, Citation, Decision
from .._engine import get_engine
from .._engine._chain import assemble, run_chain_space
from .._tables import Period, TableSet
from .._tables._columns import CASE_DOMAINS, DERIVED, CaseField, DerivedValue
from .._tables._tableset import tuple_getter
from .._types import CellScalar

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
    """The relation (one tuple per row, in :attr:`columns` order) and the periods table."""

    columns: tuple[str, ...]
    inputs: tuple[InputColumn, ...]
    rows: list[tuple[Any, ...]]
    period_columns: tuple[str, ...]
    periods: list[tuple[Any, ...]]
    #: Rows per period (by first day): the combinations of the input columns' domains that
    #: the contract accepts.
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
    """Every case field (in the contract's order) and derived value any table reads."""
    read_fields: set[str] = set()
    read_derived: set[str] = set()
    for table in table_set:
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


def _contract_allows(paths: Sequence[str]) -> Callable[[Sequence[CellScalar]], bool]:
    """Whether the contract accepts values of the case fields ``paths`` together.

    A model of the contract (``person``, ``facts``) may refuse a combination of its fields
    (``relation: accompanying_child`` needs ``is_child``); each model's combinations are
    validated once, by the model itself.
    """
    groups: dict[str, list[int]] = {}
    for index, path in enumerate(paths):
        head, dot, _ = path.partition(".")
        if dot:
            groups.setdefault(head, []).append(index)
    accepted: list[tuple[Callable[[Any], tuple[Any, ...]], set[tuple[CellScalar, ...]]]] = []
    for head, indices in groups.items():
        model = Case.model_fields[head].annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        names = [paths[i].partition(".")[2] for i in indices]
        domains = [CASE_DOMAINS[paths[i]] for i in indices]
        good: set[tuple[CellScalar, ...]] = set()
        for combo in itertools.product(*domains):
            try:
                model.model_validate(dict(zip(names, combo, strict=True)))
            except ValidationError:
                continue
            good.add(combo)
        accepted.append((tuple_getter(operator.itemgetter, indices), good))

    def allows(values: Sequence[CellScalar]) -> bool:
        return all(get(values) in good for get, good in accepted)

    return allows


def _period_rows(
    table_set: TableSet, period: Period, inputs: Sequence[InputColumn]
) -> Iterator[tuple[Any, ...]]:
    chain = period.tables
    read_paths = {
        column.source.path
        for table in chain
        for column in table.columns
        if isinstance(column.source, CaseField)
    }
    fields = [c.source.path for c in inputs if isinstance(c.source, CaseField)]
    walked = [
        (c.source.path, c.domain)
        for c in inputs
        if isinstance(c.source, CaseField) and c.source.path in read_paths
    ]
    case = SimpleNamespace(
        person=SimpleNamespace(),
        facts=SimpleNamespace(),
        decision_date=period.first_day,
        application_date=None,
    )
    hit = get_engine("native").hit
    derived = [c.source for c in inputs if isinstance(c.source, DerivedValue)]
    # The decision by (walked fields' values, derived values): each chain of fired rows made
    # into a decision once.
    fired_of: dict[int, tuple[str, ...]] = {}
    by_fired: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    decided: dict[tuple[CellScalar, ...], tuple[Any, ...]] = {}
    for combo in itertools.product(*(value.domain for value in derived)):
        for value, given in zip(derived, combo, strict=True):
            cutoff = _cutoff(period, value)
            day = None if cutoff is None or given is False else cutoff - dt.timedelta(days=1)
            setattr(case, value.date_field, day)
        for point, steps in run_chain_space(table_set, chain, case, walked, hit).items():
            key = tuple(
                fired_of.get(id(step)) or fired_of.setdefault(id(step), _fired(step))
                for step in steps
            )
            verdict = by_fired.get(key)
            if verdict is None:
                verdict = by_fired[key] = _decision_values(
                    assemble(table_set, chain, steps, "native")
                )
            decided[(*point, *combo)] = verdict
    read_at = [i for i, path in enumerate(fields) if path in read_paths]
    read_at += range(len(fields), len(inputs))
    lookup = tuple_getter(operator.itemgetter, read_at)
    valid = _contract_allows(fields)
    first_day = period.first_day
    for point in itertools.product(*(c.domain for c in inputs)):
        if valid(point):
            yield (first_day, *point, *decided[lookup(point)])


def _fired(step: Any) -> tuple[str, ...]:
    return tuple(row.id for row in step.fired)


def decision_relation(table_set: TableSet) -> DecisionRelation:
    """The decision relation and periods table of ``table_set``."""
    inputs = input_columns(table_set)
    derived = [c for c in inputs if isinstance(c.source, DerivedValue)]
    rows: list[tuple[Any, ...]] = []
    periods: list[tuple[Any, ...]] = []
    sizes: dict[dt.date, int] = {}
    for period in table_set.periods():
        before = len(rows)
        rows.extend(_period_rows(table_set, period, inputs))
        sizes[period.first_day] = len(rows) - before
        cutoffs = []
        for column in derived:
            assert isinstance(column.source, DerivedValue)
            cutoffs.append(_cutoff(period, column.source))
        periods.append(
            (
                period.first_day,
                period.first_day,
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
    """Write ``relation.<ext>`` and ``periods.<ext>`` of ``table_set`` into ``out``.

    >>> import tempfile
    >>> from betanketid_rules._tables import default_table_set
    >>> with tempfile.TemporaryDirectory() as out:
    ...     [path.name for path in write_relation(default_table_set(), Path(out))]
    ['relation.parquet', 'periods.parquet']
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
    paths = [out / f"relation.{file_format}", out / f"periods.{file_format}"]
    write(paths[0], relation.columns, relation.rows)
    write(paths[1], relation.period_columns, relation.periods)
    return paths
