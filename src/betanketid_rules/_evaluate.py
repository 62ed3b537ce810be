"""The library's entry points: :func:`evaluate`, :func:`evaluate_many`, and the records of
:func:`evaluate_record` and :func:`iter_records`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal, overload

from pydantic import TypeAdapter, ValidationError

from ._batch import BatchError, batch_error
from ._contract import Case, Decision
from ._engine import decide_with, get_engine
from ._record import DecisionRecord, record_of
from ._tables import default_table_set

CaseInput = Case | Mapping[str, Any]

_CASES = TypeAdapter(list[Case])


def _as_case(case: CaseInput) -> Case:
    return case if isinstance(case, Case) else Case.model_validate(case)


def evaluate(case: CaseInput, engine: str = "native") -> Decision:
    """Decide one case under 5 kap. 15 § utlänningslagen as in force on its decision date.

    ``case`` is a :class:`Case` or a mapping validated into one (pydantic's
    ``ValidationError`` names the field on bad input). ``engine`` is ``"native"`` (the
    default and the reference) or ``"durable"`` (durable_rules, Python < 3.13).

    >>> decision = evaluate({"decision_date": "2023-03-15", "applicant": "social_welfare_board",
    ...     "permit": "reflection_period", "person": {"in_sweden": True},
    ...     "facts": {"presumed_offence": "trafficking", "needed_for_investigation": True,
    ...               "wants_reflection_period": True}})
    >>> decision.outcome, decision.permit.days
    ('grant', 30)
    >>> decision.rules_fired[0]
    'utl-5-15-standing/5-15-2st-sn'
    """
    get_engine(engine)
    return decide_with(default_table_set(), _as_case(case), engine)


@overload
def evaluate_many(
    cases: Iterable[CaseInput], engine: str = ..., *, on_error: Literal["raise"] = ...
) -> list[Decision]: ...


@overload
def evaluate_many(
    cases: Iterable[CaseInput], engine: str = ..., *, on_error: Literal["collect"]
) -> list[Decision | ValidationError]: ...


@overload
def evaluate_many(
    cases: Iterable[CaseInput], engine: str = ..., *, on_error: Literal["record"]
) -> list[Decision | BatchError]: ...


def evaluate_many(
    cases: Iterable[CaseInput],
    engine: str = "native",
    *,
    on_error: Literal["raise", "collect", "record"] = "raise",
) -> list[Decision] | list[Decision | ValidationError] | list[Decision | BatchError]:
    """Decide many cases, in order.

    With ``on_error="raise"`` (the default) every case is validated first and one
    ``ValidationError`` names every bad case by its index (``0.facts.ties_broken``), so no
    problem goes unreported. With ``on_error="collect"`` a bad case leaves its
    ``ValidationError`` in its place and the other cases are still decided; with
    ``on_error="record"`` the place holds a :class:`~betanketid_rules.BatchError` instead (its
    index and each field at fault, the record the command line and JSON Lines use). A single
    mapping or string is not a batch (``TypeError``).

    >>> ok = {"decision_date": "2015-01-01", "applicant": "the_person",
    ...       "permit": "reflection_period"}
    >>> [d.outcome for d in evaluate_many([ok, ok])]
    ['no_standing', 'no_standing']
    >>> results = evaluate_many([ok, {"applicant": "other"}], on_error="collect")
    >>> type(results[1]).__name__
    'ValidationError'
    >>> evaluate_many([ok, {"applicant": "other"}], on_error="record")[1].errors[0].path
    'decision_date'
    """
    if isinstance(cases, str | bytes | Mapping):
        raise TypeError(f"cases: expected an iterable of cases, not a {type(cases).__name__}")
    get_engine(engine)
    table_set = default_table_set()
    items = list(cases)
    if on_error == "raise":
        if all(isinstance(item, Case) for item in items):
            validated = [item for item in items if isinstance(item, Case)]
        else:
            validated = _CASES.validate_python(
                [item.model_dump() if isinstance(item, Case) else item for item in items]
            )
        return [decide_with(table_set, case, engine) for case in validated]
    results: list[Decision | ValidationError | BatchError] = []
    for index, item in enumerate(items):
        try:
            case = _as_case(item)
        except ValidationError as error:
            results.append(
                error if on_error == "collect" else batch_error(index, None, error, item)
            )
            continue
        results.append(decide_with(table_set, case, engine))
    return results  # type: ignore[return-value]  # one kind of error per on_error


def evaluate_record(case: CaseInput, engine: str = "native") -> DecisionRecord:
    """Decide one case and keep what an auditor needs: a :class:`DecisionRecord`.

    The record holds the case's ``reference``, the decision date applied, the package version,
    the table-set hash and the (shared, immutable) :class:`Decision`.

    >>> record = evaluate_record({"reference": "K-2023-17", "decision_date": "2022-05-10",
    ...     "applicant": "social_welfare_board", "permit": "reflection_period"})
    >>> record.reference, record.decision.outcome, len(record.tables_sha256)
    ('K-2023-17', 'no_standing', 64)
    """
    get_engine(engine)
    table_set = default_table_set()
    valid = _as_case(case)
    return record_of(valid, decide_with(table_set, valid, engine), table_set.content_hash)


def iter_records(
    cases: Iterable[CaseInput],
    engine: str = "native",
    *,
    on_error: Literal["raise", "record"] = "record",
) -> Iterator[DecisionRecord | BatchError]:
    """Decide cases one at a time as they come, yielding one record per case, in order.

    For streams: nothing is held but the case at hand, so memory stays flat however many
    cases pass. A case that is not valid yields a :class:`BatchError` in its place (its index,
    its reference if it could be read, each field at fault); with ``on_error="raise"`` its
    ``ValidationError`` is raised there instead, after the records before it were yielded.

    >>> ok = {"reference": "a", "decision_date": "2015-01-01", "applicant": "the_person",
    ...       "permit": "reflection_period"}
    >>> [type(r).__name__ for r in iter_records([ok, {**ok, "reference": "b", "permit": 1}])]
    ['DecisionRecord', 'BatchError']
    >>> list(iter_records([{**ok, "permit": 1}]))[0].reference
    'a'
    """
    if isinstance(cases, str | bytes | Mapping):
        raise TypeError(f"cases: expected an iterable of cases, not a {type(cases).__name__}")
    get_engine(engine)  # a bad argument fails here, not at the first case
    return _records(cases, engine, on_error)


def _records(
    cases: Iterable[CaseInput], engine: str, on_error: Literal["raise", "record"]
) -> Iterator[DecisionRecord | BatchError]:
    table_set = default_table_set()
    for index, item in enumerate(cases):
        try:
            case = _as_case(item)
        except ValidationError as error:
            if on_error == "raise":
                raise
            yield batch_error(index, None, error, item)
            continue
        yield record_of(case, decide_with(table_set, case, engine), table_set.content_hash)
