"""The completions of a partial case: every valid value of its unknown fields, with weights."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from pydantic import BaseModel

from .._contract import Case
from .._partial import PartialCase
from .._tables._columns import APPLICATION_DOMAINS, CASE_DOMAINS
from .._types import CellScalar


@dataclass(frozen=True)
class UnknownField:
    path: str
    domain: tuple[CellScalar, ...]


def _sub_completions(
    model: type[BaseModel], prefix: str, known: Mapping[str, Any], asked: Sequence[str]
) -> dict[tuple[CellScalar, ...], int]:
    """Valid values of ``asked`` (fields of ``model``) given ``known``, each with how many
    completions of the other unknown fields of ``model`` it stands for."""
    given = tuple((p, v) for p, v in known.items() if p.startswith(prefix))
    return _model_completions(model, prefix, given, tuple(asked))


@functools.lru_cache(maxsize=1024)
def _model_completions(
    model: type[BaseModel],
    prefix: str,
    given: tuple[tuple[str, CellScalar], ...],
    asked: tuple[str, ...],
) -> dict[tuple[CellScalar, ...], int]:
    """:func:`_sub_completions` of the fields ``given``; the contract is fixed, so the answer
    is kept (bounded). Callers never mutate it."""
    names = [path for path in CASE_DOMAINS if path.startswith(prefix)]
    free = [path for path in names if path not in dict(given)]
    counts: dict[tuple[CellScalar, ...], int] = {}
    for values in itertools.product(*(CASE_DOMAINS[path] for path in free)):
        data = {**dict(given), **dict(zip(free, values, strict=True))}
        try:
            model.model_validate({path[len(prefix) :]: value for path, value in data.items()})
        except ValueError:
            continue
        key = tuple(data[path] for path in asked)
        counts[key] = counts.get(key, 0) + 1
    return counts


class Completion:
    """One object the tables read as the case: the known fields set, the unknown ones set in
    place by :func:`~.._engine._chain.chain_diagram` as it walks the completions.

    The chain reads a case only through its field paths, so one namespace stands for every
    completion without building one per point.
    """

    def __init__(
        self, known: Mapping[str, Any], day: dt.date, application_date: dt.date | None
    ) -> None:
        parts = nested(known)
        person, facts = parts.pop("person"), parts.pop("facts")
        self.case = SimpleNamespace(
            person=SimpleNamespace(**person),
            facts=SimpleNamespace(**facts),
            decision_date=day,
            application_date=application_date,
            **parts,
        )


def full_case(
    given: PartialCase, fields: Sequence[UnknownField], point: Sequence[Any], day: dt.date
) -> Case:
    """A valid case completing ``given`` at ``point`` (other unknowns: any valid value)."""
    values = {**given.known(), **{f.path: v for f, v in zip(fields, point, strict=True)}}
    for free in _free_completions(values):
        try:
            return Case.model_validate(
                free
                | {"decision_date": day}
                | ({"application_date": given.application_date} if given.application_date else {})
            )
        except ValueError:
            continue
    raise AssertionError("no valid completion")  # pragma: no cover (points are valid)


def _free_completions(values: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    free = [path for path in APPLICATION_DOMAINS if path not in values]
    for choice in itertools.product(*(APPLICATION_DOMAINS[path] for path in free)):
        yield nested({**values, **dict(zip(free, choice, strict=True))})


def nested(flat: Mapping[str, Any]) -> dict[str, Any]:
    """Values by dotted path as a case's nested data (``person`` and ``facts`` always there).

    >>> nested({"applicant": "the_person", "facts.ties_broken": True})
    {'person': {}, 'facts': {'ties_broken': True}, 'applicant': 'the_person'}
    """
    found: dict[str, Any] = {"person": {}, "facts": {}}
    for path, value in flat.items():
        head, _, tail = path.partition(".")
        if tail:
            found[head][tail] = value
        else:
            found[head] = value
    return found
