"""Assessing a partial case: the chain walked over every completion, then summed up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from .._batch import BatchError, batch_error
from .._contract import Permit
from .._engine import decide_with, get_engine
from .._engine._chain import result_of, run_chain_space
from .._errors import InvalidArgumentError
from .._partial import PartialCase
from .._tables import Table, TableSet, default_table_set
from .._tables._columns import CaseField
from .._types import CellScalar, Outcome
from .._verify.regions import Column, cover
from .._verify.space import case_paths
from ._completions import Completion, UnknownField, completions, full_case, unknown_paths
from ._model import Assessment, PossibleResult
from ._questions import Outcomes, plan, project, relevant_fields


def _result_key(table_set: TableSet, steps: list[Any]) -> tuple[Outcome, Permit | None]:
    outcome, permit = result_of(table_set, steps)
    return outcome, permit  # type: ignore[return-value]


def assess(partial: PartialCase | Mapping[str, Any], engine: str = "native") -> Assessment:
    """Every result a partial case can still come to, and the questions that still decide it.

    ``partial`` is a :class:`PartialCase` or a mapping validated into one (a field left out
    is unknown; ``decision_date`` left out is today). ``engine`` decides every completion.

    >>> board = {"decision_date": "2024-02-01", "applicant": "social_welfare_board",
    ...          "permit": "reflection_period", "facts": {"presumed_offence": "trafficking"}}
    >>> assessment = assess(board)
    >>> sorted(result.outcome for result in assessment.results), assessment.decided
    (['grant', 'refuse'], False)
    >>> assessment.questions[0]
    'person.in_sweden'
    """
    get_engine(engine)
    given = partial if isinstance(partial, PartialCase) else PartialCase.model_validate(partial)
    table_set = default_table_set()
    day = given.decision_date or dt.date.today()
    if given.application_date is not None and given.application_date > day:
        raise InvalidArgumentError(
            f"application_date: must not be after the decision date {day.isoformat()}"
        )
    chain = table_set.chain_on(day)
    known = given.known()
    read = [field.path for field in case_paths(chain)]
    fields, combos = completions(known, read)
    completion = Completion(known, day, given.application_date)
    space = run_chain_space(
        table_set,
        chain,
        completion.case,
        [(field.path, field.domain) for field in fields],
        get_engine(engine).hit,
    )
    decisive = [table.family for table in chain].index(table_set.outcome_family)
    results: dict[int, tuple[Outcome, Permit | None]] = {}  # by the outcome step's id
    outcomes: Outcomes = {}
    steps_of: dict[tuple[CellScalar, ...], tuple[Any, ...]] = {}
    for point, count in combos:
        steps = space[point]
        key = id(steps[decisive])
        result = results.get(key)
        if result is None:
            result = results[key] = _result_key(table_set, list(steps))
        outcomes[point] = (result, count)
        steps_of[point] = steps
    return _assessment(table_set, chain, given, day, fields, outcomes, steps_of, engine)


def assess_many(
    partials: Iterable[PartialCase | Mapping[str, Any]],
    engine: str = "native",
    *,
    on_error: Literal["raise", "record"] = "raise",
) -> list[Assessment] | list[Assessment | BatchError]:
    """Assess many partial cases, in order, with :func:`evaluate_many`'s error contract.

    With ``on_error="raise"`` every item is validated first and one ``ValidationError`` names
    every bad item by its index; with ``on_error="record"`` a bad item leaves a
    :class:`~betanketid_rules.BatchError` in its place and the others are still assessed.

    >>> ok = {"decision_date": "2024-02-01", "applicant": "the_person"}
    >>> [a.decided for a in assess_many([ok, ok])]
    [True, True]
    >>> type(assess_many([ok, {"applicant": "x"}], on_error="record")[1]).__name__
    'BatchError'
    """
    if isinstance(partials, str | bytes | Mapping):
        raise TypeError(f"partials: expected an iterable of cases, not a {type(partials).__name__}")
    get_engine(engine)
    items = list(partials)
    if on_error == "raise":
        validated = _PARTIALS.validate_python(
            [
                item.model_dump(exclude_none=True) if isinstance(item, PartialCase) else item
                for item in items
            ]
        )
        return [assess(item, engine) for item in validated]
    results: list[Assessment | BatchError] = []
    for index, item in enumerate(items):
        try:
            given = item if isinstance(item, PartialCase) else PartialCase.model_validate(item)
        except ValidationError as error:
            results.append(batch_error(index, None, error))
            continue
        results.append(assess(given, engine))
    return results


_PARTIALS = TypeAdapter(list[PartialCase])


def _assessment(
    table_set: TableSet,
    chain: tuple[Table, ...],
    given: PartialCase,
    day: dt.date,
    fields: list[UnknownField],
    outcomes: Outcomes,
    steps_of: dict[tuple[CellScalar, ...], tuple[Any, ...]],
    engine: str,
) -> Assessment:
    # Only the tables the outcome table reads from decide the result: their fields are the
    # only ones that can matter, and the result is a function of them.
    deciding_paths = _deciding_paths(table_set, chain)
    deciding = [i for i, field in enumerate(fields) if field.path in deciding_paths]
    decisive = project(outcomes, deciding)
    relevant = [deciding[i] for i in relevant_fields([fields[i] for i in deciding], decisive)]
    kept = [fields[i] for i in relevant]
    columns = [Column(field.path, field.domain) for field in kept]
    projected = project(outcomes, relevant)
    by_result: dict[Any, list[tuple[CellScalar, ...]]] = {}
    for point, (result, _) in outcomes.items():
        by_result.setdefault(result, []).append(point)

    def indices(point: tuple[CellScalar, ...]) -> tuple[int, ...]:
        return tuple(field.domain.index(value) for field, value in zip(kept, point, strict=True))

    results = []
    for (outcome, permit), points in by_result.items():
        steps = {id(step): step for p in points for step in steps_of[p]}.values()
        rows = [row for step in steps for row in step.fired]
        at = {key for key, (result, _) in projected.items() if result == (outcome, permit)}
        regions = cover(columns, set(map(indices, at)))
        results.append(
            PossibleResult(
                outcome=outcome,
                permit=permit,
                completions=sum(outcomes[p][1] for p in points),
                regions=tuple(str(region) for region in regions),
                where=tuple(region.to_json() for region in regions),
                open_questions=tuple(dict.fromkeys(q for r in rows for q in r.open_questions)),
                statuses=tuple(
                    sorted(
                        {r.status for r in rows}, key=("confirmed", "secondary", "inferred").index
                    )
                ),
            )
        )
    results.sort(key=lambda r: -r.completions)
    order, expected = plan(kept, projected, list(range(len(kept))))
    unknown = unknown_paths(given)
    decision = None
    point, first = next(iter(steps_of.items()))
    varying: tuple[str, ...] = ()
    if all(map(first.__eq__, steps_of.values())):  # one decision, rows fired included
        decision = decide_with(table_set, full_case(given, fields, point, day), engine)
    else:
        varying = _varying_rules(steps_of.values())
    return Assessment(
        reference=given.reference,
        decision_date=day,
        decision_date_assumed=given.decision_date is None,
        unknown=unknown,
        completions=sum(count for _, count in outcomes.values()),
        results=tuple(results),
        decided=len(by_result) == 1,
        decision=decision,
        questions=tuple(kept[i].path for i in order),
        irrelevant=tuple(p for p in unknown if p not in {field.path for field in kept}),
        rules_that_vary=varying,
        expected_questions=round(expected, 6),
    )


def _varying_rules(all_steps: Iterable[tuple[Any, ...]]) -> tuple[str, ...]:
    """The rules fired in some of ``all_steps`` (one tuple of steps per completion) only."""
    distinct = {tuple(map(id, steps)): steps for steps in all_steps}.values()
    fired = [
        {f"{step.table}/{row.id}" for step in steps for row in step.fired} for steps in distinct
    ]
    every = set.intersection(*fired)
    return tuple(sorted(set.union(*fired) - every))


def _deciding_paths(table_set: TableSet, chain: tuple[Table, ...]) -> set[str]:
    """The case fields read by the outcome table and the tables it reads from."""
    by_family = {table.family: table for table in chain}
    wanted, seen = [table_set.outcome_family], set()
    while wanted:
        family = wanted.pop()
        if family not in seen:
            seen.add(family)
            wanted.extend(by_family[family].upstream_families)
    return {
        column.source.path
        for family in seen
        for column in by_family[family].columns
        if isinstance(column.source, CaseField)
    }
