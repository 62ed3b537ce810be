"""Where a table's input values come from: case fields, upstream outputs or derived values.

Domains of case fields are read off the contract's models, so a table can only test values
the contract can carry. Derived inputs are generic facts about the case relative to a table
(no legal rule lives here: tables decide what they mean).
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from .._contract import Case
from ._format import CellScalar

CASE_PREFIX = "case."
DERIVED_PREFIX = "derived."


def _domain_of(annotation: Any) -> tuple[CellScalar, ...] | None:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return tuple(typing.get_args(annotation))
    if origin is typing.Annotated:
        return _domain_of(typing.get_args(annotation)[0])
    if annotation is bool:
        return (False, True)
    return None


def _collect_case_domains(
    model: type[BaseModel], prefix: str, out: dict[str, tuple[CellScalar, ...]]
) -> None:
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            _collect_case_domains(annotation, f"{prefix}{name}.", out)
            continue
        domain = _domain_of(annotation)
        if domain is not None:
            out[f"{prefix}{name}"] = domain


def _case_domains() -> dict[str, tuple[CellScalar, ...]]:
    out: dict[str, tuple[CellScalar, ...]] = {}
    _collect_case_domains(Case, CASE_PREFIX, out)
    return out


#: Every finite-domain case field a table may read, e.g. ``case.facts.ties_broken``.
CASE_DOMAINS: dict[str, tuple[CellScalar, ...]] = _case_domains()


def case_getter(path: str) -> Callable[[Case], CellScalar]:
    """A function reading ``path`` (``case.a.b``) from a case."""
    parts = path[len(CASE_PREFIX) :].split(".")

    def read(case: Case) -> CellScalar:
        value: Any = case
        for part in parts:
            value = getattr(value, part)
        return typing.cast(CellScalar, value)

    return read


DerivedFunction = Callable[[Case, dt.date], CellScalar]


def _lodged_before_in_force(case: Case, in_force_from: dt.date) -> CellScalar:
    """The application was lodged before the consulting table's wording entered into force."""
    return case.application_date is not None and case.application_date < in_force_from


#: Derived inputs: name -> (domain, function of the case and the table's ``in_force_from``).
DERIVED: dict[str, tuple[tuple[CellScalar, ...], DerivedFunction]] = {
    "lodged_before_in_force": ((False, True), _lodged_before_in_force),
}
