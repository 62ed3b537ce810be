"""Where a table's input values come from: the one parser of a column's ``from``.

A column reads a case field (``case.facts.ties_broken``), an upstream table's output
(``utl-5-15-standing.route``) or a derived value (``derived.lodged_before_in_force``).
:func:`parse_source` turns that text into a typed source, once, when a table loads; everything
else (engines, ``check``, ``diff``, the docs) works with the typed objects.

Domains of case fields are read off the contract's models, so a table can only test values
the contract can carry. A derived value compares a date of the case with the first day of the
table reading it; no legal rule lives here (the tables decide what the comparison means).

>>> parse_source("case.facts.ties_broken")
CaseField(path='facts.ties_broken')
>>> parse_source("utl-5-15-standing.route")
UpstreamOutput(family='utl-5-15-standing', output='route')
>>> parse_source("derived.lodged_before_in_force").date_field
'application_date'
>>> parse_source("case.decision_date") is None  # not a finite field
True
"""

from __future__ import annotations

import datetime as dt
import operator
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .._contract import Case
from .._types import CellScalar

_CASE = "case."
_DERIVED = "derived."


def _domain_of(annotation: Any) -> tuple[CellScalar, ...] | None:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return tuple(typing.get_args(annotation))
    if origin is typing.Annotated:
        return _domain_of(typing.get_args(annotation)[0])
    if annotation is bool:
        return (False, True)
    return None


def sub_model_of(annotation: Any) -> type[BaseModel] | None:
    """The model of a sub-model field (also an optional one: ``Revocation | None``), or None.

    >>> from betanketid_rules._contract import Revocation
    >>> sub_model_of(Revocation | None) is Revocation, sub_model_of(bool)
    (True, None)
    """
    options = typing.get_args(annotation) if typing.get_origin(annotation) else (annotation,)
    models = [t for t in options if isinstance(t, type) and issubclass(t, BaseModel)]
    if len(models) == 1 and all(t in (models[0], type(None)) for t in options):
        return models[0]
    return None


def _collect_case_domains(
    model: type[BaseModel], prefix: str, out: dict[str, tuple[CellScalar, ...]]
) -> None:
    for name, model_field in model.model_fields.items():
        annotation = model_field.annotation
        sub_model = sub_model_of(annotation)
        if sub_model is not None:
            _collect_case_domains(sub_model, f"{prefix}{name}.", out)
            continue
        domain = _domain_of(annotation)
        if domain is not None:
            out[f"{prefix}{name}"] = domain


def _case_domains() -> dict[str, tuple[CellScalar, ...]]:
    out: dict[str, tuple[CellScalar, ...]] = {}
    _collect_case_domains(Case, "", out)
    return out


#: Every finite-domain case field a table may read, by path (``facts.ties_broken``), in the
#: contract's field order.
CASE_DOMAINS: dict[str, tuple[CellScalar, ...]] = _case_domains()

#: The finite fields of an application: all but the matter and the revocation's own fields.
#: Assessments, the guided form and ``ask`` cover applications only, so they walk these.
APPLICATION_DOMAINS: dict[str, tuple[CellScalar, ...]] = {
    path: domain
    for path, domain in CASE_DOMAINS.items()
    if path != "matter" and not path.startswith("revocation.")
}


@dataclass(frozen=True)
class CaseField:
    """A finite field of the case, by its dotted path below the case (``person.relation``)."""

    path: str
    read: Callable[[Case], CellScalar] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "read", operator.attrgetter(self.path))

    @property
    def text(self) -> str:
        """The source as a table file writes it."""
        return f"{_CASE}{self.path}"

    @property
    def domain(self) -> tuple[CellScalar, ...]:
        """Every value the contract lets this field take, in the contract's order."""
        return CASE_DOMAINS[self.path]

    @property
    def parts(self) -> tuple[str, ...]:
        """The path's parts: ``("person", "relation")``."""
        return tuple(self.path.split("."))


@dataclass(frozen=True)
class UpstreamOutput:
    """An output column of a family evaluated earlier in the chain."""

    family: str
    output: str

    @property
    def text(self) -> str:
        """The source as a table file writes it (and the key upstream values travel under)."""
        return f"{self.family}.{self.output}"


def _lodged_before(application_date: dt.date | None, first_day: dt.date) -> CellScalar:
    return application_date is not None and application_date < first_day


def _granted_before(granted_on: dt.date | None, first_day: dt.date) -> CellScalar:
    return granted_on is not None and granted_on < first_day


@dataclass(frozen=True)
class DerivedValue:
    """A value computed from a date field of the case and the first day of the reading table."""

    name: str
    domain: tuple[CellScalar, ...]
    #: The case field the value is computed from.
    date_field: str
    compute: Callable[[dt.date | None, dt.date], CellScalar] = field(repr=False)
    #: What ``True`` means before one start date (``"lodged before"`` 2022-08-01), and what the
    #: classes between several start dates are (``"when the application was lodged"``).
    before: str = field(default="", compare=False)
    relative: str = field(default="", compare=False)
    _get: Callable[[Case], dt.date | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_get", operator.attrgetter(self.date_field))

    @property
    def text(self) -> str:
        """The source as a table file writes it."""
        return f"{_DERIVED}{self.name}"

    def read(self, case: Case, first_day: dt.date) -> CellScalar:
        """The value for ``case`` as seen by a table in force from ``first_day``."""
        return self.compute(self._get(case), first_day)


#: The derived values a table may read, by name.
DERIVED: dict[str, DerivedValue] = {
    "lodged_before_in_force": DerivedValue(
        "lodged_before_in_force",
        (False, True),
        "application_date",
        _lodged_before,
        before="lodged before",
        relative="when the application was lodged",
    ),
    # Read only by tables of the revocation matter, whose cases always give the date.
    "granted_before_in_force": DerivedValue(
        "granted_before_in_force",
        (False, True),
        "revocation.granted_on",
        _granted_before,
        before="granted before",
        relative="when the permit held was granted",
    ),
}

ColumnSource = CaseField | UpstreamOutput | DerivedValue


def parse_source(text: str) -> ColumnSource | None:
    """The typed source written ``text``, or None when it names no finite case field, no
    derived value and is not of the form ``<family>.<output>``.

    Whether an upstream family and output exist is the loader's question, not the parser's.
    """
    if text.startswith(_CASE):
        path = text[len(_CASE) :]
        return CaseField(path) if path in CASE_DOMAINS else None
    if text.startswith(_DERIVED):
        return DERIVED.get(text[len(_DERIVED) :])
    family, dot, output = text.partition(".")
    if not dot or not family or not output or "." in output:
        return None
    return UpstreamOutput(family, output)
