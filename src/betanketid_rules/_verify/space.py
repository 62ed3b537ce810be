"""The finite input space a diff enumerates: the case fields some tables read, and the classes of
a derived date value between the tables' dates of entry into force.

Only the columns the compared tables read are enumerated; every other case field cannot change
their result, so it is left out (a region then says ``rest=any``). Combinations the contract
rejects (an ``accompanying_child`` who is not a child) are no points; when the tables read only
one of two related fields, a point stands for the cases that some valid value of the other
field completes.

A derived input (such as ``lodged_before_in_force``) compares a date of the case with the first
day of the table reading it. A table starting on date *F* only asks whether that date is before
*F*, so the dates fall into classes bounded by the start dates of the tables reading it: with
one such date the column is the derived value's own boolean; with several its values name the
classes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from .._contract import EARLIEST_DECISION_DATE, Case
from .._errors import SpaceError
from .._tables import Table
from .._tables._columns import (
    CASE_DOMAINS,
    CaseField,
    ColumnSource,
    DerivedValue,
    UpstreamOutput,
    sub_model_of,
)
from .._types import CellScalar
from .regions import Column


def case_paths(tables: Sequence[Table]) -> list[CaseField]:
    """The case fields ``tables`` read, in the contract's field order."""
    read = {
        column.source.path
        for table in tables
        for column in table.columns
        if isinstance(column.source, CaseField)
    }
    return [CaseField(path) for path in CASE_DOMAINS if path in read]


def derived_boundaries(
    tables: Sequence[Table],
) -> tuple[DerivedValue, tuple[dt.date, ...]] | None:
    """The derived value ``tables`` read and the start dates of the tables reading it.

    Raises :class:`SpaceError` when they read more than one derived value.
    """
    found: dict[DerivedValue, set[dt.date]] = {}
    for table in tables:
        for column in table.columns:
            if isinstance(column.source, DerivedValue):
                found.setdefault(column.source, set()).add(table.spec.in_force_from)
    if not found:
        return None
    if len(found) > 1:
        names = ", ".join(sorted(value.text for value in found))
        raise SpaceError(f"the diff cannot enumerate several derived inputs at once: {names}")
    ((value, dates),) = found.items()
    return value, tuple(sorted(dates))


@dataclass(frozen=True)
class DateClasses:
    """The classes of dates that the tables reading a derived input tell apart.

    >>> from betanketid_rules._tables import default_table_set
    >>> classes = DateClasses.of(default_table_set().chain_on(dt.date(2023, 1, 1)))
    >>> classes.value.name, classes.domain, classes.note
    ('lodged_before_in_force', (False, True), 'lodged before 2022-08-01')
    >>> classes.application_date(True, dt.date(2023, 1, 1)), classes.application_date(False, None)
    (datetime.date(2022, 7, 31), None)
    """

    value: DerivedValue
    boundaries: tuple[dt.date, ...]

    @classmethod
    def of(cls, tables: Sequence[Table]) -> DateClasses | None:
        """The classes of the derived value ``tables`` read, or None if they read none."""
        derived = derived_boundaries(tables)
        return None if derived is None else cls(*derived)

    @property
    def domain(self) -> tuple[CellScalar, ...]:
        """``False`` (not before any boundary, or no date given), then the classes."""
        if len(self.boundaries) == 1:
            return (False, True)
        labels: list[CellScalar] = [False]
        previous: dt.date | None = None
        for boundary in self.boundaries:
            last = (boundary - dt.timedelta(days=1)).isoformat()
            labels.append(f"before {boundary}" if previous is None else f"{previous} to {last}")
            previous = boundary
        return tuple(labels)

    @property
    def note(self) -> str:
        """What the column means."""
        if len(self.boundaries) == 1:
            return f"{self.value.before} {self.boundaries[0]}"
        dates = ", ".join(str(boundary) for boundary in self.boundaries)
        return f"{self.value.relative}, relative to {dates}"

    def application_date(self, value: CellScalar, decision_date: dt.date | None) -> dt.date | None:
        """An application date of the class ``value``, not after ``decision_date``.

        Capping at the decision date keeps the class as every table in force on that date
        sees it: such a table started on or before the decision date.
        """
        if value is False:
            return None
        index = self.domain.index(value) - 1
        day = self.boundaries[index] - dt.timedelta(days=1)
        return day if decision_date is None else min(day, decision_date)


def _put_dates(data: dict[str, Any], dates: dict[str, dt.date]) -> None:
    """Set each date of ``dates`` (by dotted path) in a case's ``data``."""
    for path, day in dates.items():
        head, _, tail = path.partition(".")
        if tail:
            data[head][tail] = day
        else:
            data[head] = day


#: Per sub-model, its required fields that are no finite domain, with a value that lets a
#: combination of its finite fields be validated on its own (a case then sets its own).
_PLACEHOLDERS: dict[str, dict[str, Any]] = {
    "revocation": {"granted_on": EARLIEST_DECISION_DATE},
}


@dataclass(frozen=True)
class _Constraint:
    """Columns of one sub-model whose values only some combinations of the contract allow."""

    indices: tuple[int, ...]
    allowed: frozenset[tuple[CellScalar, ...]]


def _sub_model(path: str) -> tuple[str, type[BaseModel]] | None:
    head = path.split(".")
    if len(head) < 2:
        return None
    model = sub_model_of(Case.model_fields[head[0]].annotation)
    assert model is not None
    return head[0], model


@dataclass
class InputSpace:
    """Columns to enumerate, with the contract's constraints between them.

    >>> space = InputSpace.of_case_paths([CaseField("person.relation")], None)
    >>> [column.name for column in space.columns], space.size
    (['relation'], 3)
    >>> space.case(("accompanying_child",), dt.date(2023, 1, 1)).person.is_child
    True
    """

    columns: tuple[Column, ...]
    #: Per column, where its values come from.
    sources: tuple[ColumnSource, ...]
    date_classes: DateClasses | None = None
    #: The matter of the cases the space stands for (a revocation's cases carry its fields).
    matter: str = "application"
    _constraints: list[_Constraint] = field(default_factory=list)
    #: Per sub-model: the full valid combinations, for completing a point into a case.
    _completions: dict[str, tuple[tuple[str, ...], list[dict[str, Any]]]] = field(
        default_factory=dict
    )

    @classmethod
    def of_case_paths(
        cls,
        paths: Sequence[CaseField],
        date_classes: DateClasses | None,
        upstream: Sequence[tuple[UpstreamOutput, str, tuple[CellScalar, ...]]] = (),
        matter: str = "application",
    ) -> InputSpace:
        """A space over ``paths`` (case fields), then ``upstream`` (source, name, domain)
        columns, then the date classes if any; its cases are of ``matter``."""
        names = [path.parts[-1] for path in paths]
        if len(set(names)) < len(names):
            names = [path.path for path in paths]
        columns = [Column(name, p.domain) for name, p in zip(names, paths, strict=True)]
        sources: list[ColumnSource] = list(paths)
        for source, name, domain in upstream:
            columns.append(Column(name, domain))
            sources.append(source)
        if date_classes is not None:
            columns.append(Column(date_classes.value.name, date_classes.domain, date_classes.note))
            sources.append(date_classes.value)
        space = cls(tuple(columns), tuple(sources), date_classes, matter)
        space._prepare()
        return space

    def _prepare(self) -> None:
        groups: dict[str, list[int]] = {}
        for index, source in enumerate(self.sources):
            if isinstance(source, CaseField) and _sub_model(source.path) is not None:
                groups.setdefault(source.parts[0], []).append(index)
        for name, indices in groups.items():
            _, valid = self._complete(name)
            keys = [self._field(i).parts[1] for i in indices]
            allowed = frozenset(tuple(data[key] for key in keys) for data in valid)
            if len(allowed) < math.prod(len(self.columns[i].domain) for i in indices):
                self._constraints.append(_Constraint(tuple(indices), allowed))

    @property
    def constraints(self) -> list[tuple[tuple[int, ...], frozenset[tuple[CellScalar, ...]]]]:
        """The contract's constraints between columns: the columns' indices and the value
        combinations allowed there."""
        return [(c.indices, c.allowed) for c in self._constraints]

    def _field(self, index: int) -> CaseField:
        source = self.sources[index]
        assert isinstance(source, CaseField)
        return source

    @property
    def size(self) -> int:
        """How many points the space has."""
        return sum(1 for _ in self.points())

    def points(self) -> Iterator[tuple[CellScalar, ...]]:
        """Every point, as the value of each column, in the order of the columns' domains."""
        for values, _ in self.boxed_points():
            yield values

    def boxed_points(self) -> Iterator[tuple[tuple[CellScalar, ...], tuple[int, ...]]]:
        """Every point with its box (one bit per column: the value's index in its domain)."""
        product = zip(
            itertools.product(*(column.domain for column in self.columns)),
            itertools.product(*(tuple(1 << i for i in range(len(c.domain))) for c in self.columns)),
            strict=True,
        )
        if not self._constraints:
            yield from product
            return
        checks = [(c.indices, c.allowed) for c in self._constraints]
        for point, box in product:
            if all(tuple(point[i] for i in indices) in allowed for indices, allowed in checks):
                yield point, box

    def case(self, point: Sequence[CellScalar], decision_date: dt.date) -> Case:
        """A valid case at ``point``, decided on ``decision_date`` (other fields: defaults,
        or the first values the contract allows with the point's; a revocation's permit
        granted on the decision date unless the point's date class says otherwise)."""
        data: dict[str, Any] = {"decision_date": decision_date}
        for path, domain in CASE_DOMAINS.items():
            if _sub_model(path) is None:
                data[path] = domain[0]
        data["matter"] = self.matter
        given: dict[str, dict[str, Any]] = {}
        dates: dict[str, dt.date] = {}
        if self.matter == "revocation":
            given["revocation"] = {}
        for source, value in zip(self.sources, point, strict=True):
            if isinstance(source, CaseField):
                parts = source.parts
                if len(parts) == 1:
                    data[parts[0]] = value
                else:
                    given.setdefault(parts[0], {})[parts[1]] = value
            elif isinstance(source, DerivedValue) and self.date_classes is not None:
                day = self.date_classes.application_date(value, decision_date)
                if day is not None:
                    dates[source.date_field] = day
        for name, values in given.items():
            _, valid = self._completions.get(name) or self._complete(name)
            data[name] = dict(
                next(full for full in valid if all(full[key] == v for key, v in values.items()))
            )
        if self.matter == "revocation":
            data["revocation"]["granted_on"] = decision_date
        _put_dates(data, dates)
        return Case.model_validate(data)

    def _complete(self, name: str) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
        """The valid combinations of the sub-model ``name``'s finite fields (kept)."""
        model = sub_model_of(Case.model_fields[name].annotation)
        assert model is not None
        prefix = f"{name}."
        fields = tuple(path for path in CASE_DOMAINS if path.startswith(prefix))
        valid = []
        for combination in itertools.product(*(CASE_DOMAINS[path] for path in fields)):
            data = {
                path[len(prefix) :]: value for path, value in zip(fields, combination, strict=True)
            }
            try:
                model.model_validate({**data, **_PLACEHOLDERS.get(name, {})})
            except ValidationError:
                continue
            valid.append(data)
        self._completions[name] = (fields, valid)
        return fields, valid

    def derived_values(self, table: Table, decision_date: dt.date | None) -> dict[CellScalar, Any]:
        """For the date classes: the value ``table`` derives, decided on ``decision_date``."""
        assert self.date_classes is not None
        value = self.date_classes.value
        values: dict[CellScalar, Any] = {}
        for label in self.date_classes.domain:
            day = self.date_classes.application_date(label, decision_date)
            values[label] = value.compute(day, table.spec.in_force_from)
        return values
