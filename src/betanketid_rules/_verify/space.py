"""The finite input space a diff enumerates: the case fields some tables read, and when the
application was lodged relative to the tables' dates of entry into force.

Only the columns the compared tables read are enumerated; every other case field cannot change
their result, so it is left out (a region then says ``rest=any``). Combinations the contract
rejects (an ``accompanying_child`` who is not a child) are no points; when the tables read only
one of two related fields, a point stands for the cases that some valid value of the other
field completes.

The derived input ``lodged_before_in_force`` depends on the application date. A table starting
on date *F* only asks whether the application was lodged before *F*, so the application dates
fall into classes bounded by the start dates of the tables reading it: with one such date the
column is the boolean ``lodged_before_in_force``; with several its values name the classes.
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
from .._tables import Table
from .._tables._columns import CASE_DOMAINS, CASE_PREFIX, DERIVED, DERIVED_PREFIX
from .._tables._format import CellScalar
from .regions import Column

LODGED = "lodged_before_in_force"
_LODGED_SOURCE = f"{DERIVED_PREFIX}{LODGED}"


def case_paths(tables: Sequence[Table]) -> list[str]:
    """The case fields ``tables`` read, in the contract's field order."""
    read = {column.source for table in tables for column in table.spec.inputs}
    return [path for path in CASE_DOMAINS if path in read]


def lodged_boundaries(tables: Sequence[Table]) -> tuple[dt.date, ...]:
    """The start dates of the tables that read ``derived.lodged_before_in_force``.

    Raises ``ValueError`` for a derived input the diff does not know how to enumerate.
    """
    dates: set[dt.date] = set()
    for table in tables:
        for column in table.spec.inputs:
            if not column.source.startswith(DERIVED_PREFIX):
                continue
            if column.source != _LODGED_SOURCE:
                raise ValueError(f"{table.key}: the diff cannot enumerate {column.source!r}")
            dates.add(table.spec.in_force_from)
    return tuple(sorted(dates))


@dataclass(frozen=True)
class Lodged:
    """The classes of application dates that the tables reading the derived input tell apart.

    >>> lodged = Lodged((dt.date(2022, 8, 1),))
    >>> lodged.domain, lodged.note
    ((False, True), 'lodged before 2022-08-01')
    >>> lodged.application_date(True, dt.date(2023, 1, 1)), lodged.application_date(False, None)
    (datetime.date(2022, 7, 31), None)
    """

    boundaries: tuple[dt.date, ...]

    @property
    def domain(self) -> tuple[CellScalar, ...]:
        """``False`` (not lodged before any boundary, or no date given), then the classes."""
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
            return f"lodged before {self.boundaries[0]}"
        dates = ", ".join(str(boundary) for boundary in self.boundaries)
        return f"when the application was lodged, relative to {dates}"

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


@dataclass(frozen=True)
class _Constraint:
    """Columns of one sub-model whose values only some combinations of the contract allow."""

    indices: tuple[int, ...]
    allowed: frozenset[tuple[CellScalar, ...]]


def _sub_model(path: str) -> tuple[str, type[BaseModel]] | None:
    head = path[len(CASE_PREFIX) :].split(".")
    if len(head) < 2:
        return None
    annotation = Case.model_fields[head[0]].annotation
    assert isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return head[0], annotation


@dataclass
class InputSpace:
    """Columns to enumerate, with the contract's constraints between them.

    >>> space = InputSpace.of_case_paths(["case.person.relation"], None)
    >>> [column.name for column in space.columns], space.size
    (['relation'], 3)
    >>> space.case((\"accompanying_child\",), dt.date(2023, 1, 1)).person.is_child
    True
    """

    columns: tuple[Column, ...]
    #: Per column: ``case.<path>``, ``derived.lodged_before_in_force`` or ``<family>.<output>``.
    sources: tuple[str, ...]
    lodged: Lodged | None = None
    _constraints: list[_Constraint] = field(default_factory=list)
    #: Per sub-model: the full valid combinations, for completing a point into a case.
    _completions: dict[str, tuple[tuple[str, ...], list[dict[str, Any]]]] = field(
        default_factory=dict
    )

    @classmethod
    def of_case_paths(
        cls,
        paths: Sequence[str],
        lodged: Lodged | None,
        upstream: Sequence[tuple[str, str, tuple[CellScalar, ...]]] = (),
    ) -> InputSpace:
        """A space over ``paths`` (case fields), then ``upstream`` (source, name, domain)
        columns, then the lodged classes if any."""
        names = [path.rsplit(".", 1)[1] for path in paths]
        if len(set(names)) < len(names):
            names = [path[len(CASE_PREFIX) :] for path in paths]
        columns = [Column(name, CASE_DOMAINS[p]) for name, p in zip(names, paths, strict=True)]
        sources = list(paths)
        for source, name, domain in upstream:
            columns.append(Column(name, domain))
            sources.append(source)
        if lodged is not None:
            columns.append(Column(LODGED, lodged.domain, lodged.note))
            sources.append(_LODGED_SOURCE)
        space = cls(tuple(columns), tuple(sources), lodged)
        space._prepare()
        return space

    def _prepare(self) -> None:
        groups: dict[str, list[int]] = {}
        for index, source in enumerate(self.sources):
            if source.startswith(CASE_PREFIX) and _sub_model(source) is not None:
                groups.setdefault(source[len(CASE_PREFIX) :].split(".")[0], []).append(index)
        for name, indices in groups.items():
            model = Case.model_fields[name].annotation
            assert isinstance(model, type) and issubclass(model, BaseModel)
            prefix = f"{CASE_PREFIX}{name}."
            fields = tuple(path for path in CASE_DOMAINS if path.startswith(prefix))
            valid: list[dict[str, Any]] = []
            for combination in itertools.product(*(CASE_DOMAINS[path] for path in fields)):
                data = {
                    path[len(prefix) :]: value
                    for path, value in zip(fields, combination, strict=True)
                }
                try:
                    model.model_validate(data)
                except ValidationError:
                    continue
                valid.append(data)
            self._completions[name] = (fields, valid)
            keys = [self.sources[i][len(prefix) :] for i in indices]
            allowed = frozenset(tuple(data[key] for key in keys) for data in valid)
            if len(allowed) < math.prod(len(self.columns[i].domain) for i in indices):
                self._constraints.append(_Constraint(tuple(indices), allowed))

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
        or the first values the contract allows with the point's)."""
        data: dict[str, Any] = {"decision_date": decision_date}
        for path, domain in CASE_DOMAINS.items():
            if _sub_model(path) is None:
                data[path[len(CASE_PREFIX) :]] = domain[0]
        given: dict[str, dict[str, Any]] = {}
        for source, value in zip(self.sources, point, strict=True):
            if source.startswith(CASE_PREFIX):
                parts = source[len(CASE_PREFIX) :].split(".")
                if len(parts) == 1:
                    data[parts[0]] = value
                else:
                    given.setdefault(parts[0], {})[parts[1]] = value
            elif source == _LODGED_SOURCE and self.lodged is not None:
                application = self.lodged.application_date(value, decision_date)
                if application is not None:
                    data["application_date"] = application
        for name, values in given.items():
            _, valid = self._completions[name]
            data[name] = next(
                full for full in valid if all(full[key] == v for key, v in values.items())
            )
        return Case.model_validate(data)

    def derived_values(self, table: Table, decision_date: dt.date | None) -> dict[CellScalar, Any]:
        """For the lodged classes: the value ``table`` derives, decided on ``decision_date``."""
        assert self.lodged is not None
        derive = DERIVED[LODGED][1]
        values: dict[CellScalar, Any] = {}
        for value in self.lodged.domain:
            application = self.lodged.application_date(value, decision_date)
            day = max(application or EARLIEST_DECISION_DATE, EARLIEST_DECISION_DATE)
            if decision_date is not None:
                day = decision_date
            case = Case.model_construct(
                decision_date=day,
                application_date=application,
                applicant="other",
                permit="evidence_person",
            )
            values[value] = derive(case, table.spec.in_force_from)
        return values
