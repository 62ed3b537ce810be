"""Assessing a partial case: the chain walked over every completion as one diagram, then
summed up over sets of points (:mod:`._space`)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from .._batch import BatchError, batch_error
from .._contract import Permit, TraceStep
from .._engine import decide_with, get_engine
from .._engine._chain import chain_diagram, result_of
from .._errors import InvalidArgumentError
from .._partial import PartialCase
from .._tables import Table, TableSet, default_table_set
from .._tables._columns import APPLICATION_DOMAINS, CASE_DOMAINS, CaseField
from .._types import CellScalar, Outcome, Status
from .._verify.regions import Column, cover
from .._verify.space import case_paths
from ._completions import Completion, UnknownField, full_case
from ._model import Assessment, PossibleResult
from ._questions import plan, project
from ._scope import permits_covered, scope
from ._space import Radix, Summary, completion_weights, mass, points_of, relevant, summarise

Result = tuple[Outcome, Permit | None]

#: Statuses from the firmest.
_FIRMNESS = ("confirmed", "secondary", "inferred")


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
    return assess_in(default_table_set(), partial, engine)


def assess_in(
    table_set: TableSet, partial: PartialCase | Mapping[str, Any], engine: str = "native"
) -> Assessment:
    """:func:`assess` against ``table_set`` (a copy of the tables, as the web service may be
    given one) instead of the package's own.

    >>> from betanketid_rules._tables import default_table_set
    >>> assess_in(default_table_set(), {"decision_date": "2024-02-01",
    ...     "applicant": "other"}).decided
    True
    """
    hit = get_engine(engine).hit
    given = partial if isinstance(partial, PartialCase) else PartialCase.model_validate(partial)
    day = given.decision_date or dt.date.today()
    if given.application_date is not None and given.application_date > day:
        raise InvalidArgumentError(
            f"application_date: must not be after the decision date {day.isoformat()}",
            "after_decision_date",
            {"date": day.isoformat()},
        )
    chain = _chain_on(table_set, day)
    known = given.known()
    narrowed, held = scope(known)  # what the assessment covers (see ._scope)
    fields = [
        UnknownField(field.path, narrowed.get(field.path, field.domain))
        for field in _read_by(chain)
        if field.path not in known and field.path not in held
    ]
    completion = Completion({**known, **held}, day, given.application_date)
    diagram = chain_diagram(
        table_set, chain, completion.case, [(f.path, f.domain) for f in fields], hit
    )
    radix = Radix.of([fields[i] for level in diagram.new_at for i in level])
    decisive = [table.family for table in chain].index(table_set.outcome_family)
    results: dict[int, Result] = {}  # by the outcome step's id

    def result_of_step(step: TraceStep) -> Result:
        if id(step) not in results:
            results[id(step)] = result_of(table_set, [step])  # type: ignore[assignment]
        return results[id(step)]

    summary = summarise(diagram, radix, decisive, result_of_step)
    weights = completion_weights(radix, known)
    covered = permits_covered(known, narrowed)
    return _assessment(
        table_set, chain, given, known, day, radix, weights, summary, engine, covered
    )


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

    >>> ok = {"decision_date": "2024-02-01", "applicant": "other"}
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


@functools.lru_cache(maxsize=256)
def _chain_on(table_set: TableSet, day: dt.date) -> tuple[Table, ...]:
    """The tables in force on ``day`` (kept per day: most partial cases share a few days)."""
    return table_set.chain_on(day)


@functools.lru_cache(maxsize=64)
def _read_by(chain: tuple[Table, ...]) -> tuple[UnknownField, ...]:
    """The case fields ``chain`` reads, each with its domain, in the contract's order."""
    return tuple(UnknownField(field.path, CASE_DOMAINS[field.path]) for field in case_paths(chain))


def _copy_region(region: dict[str, Any]) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, list) else value for key, value in region.items()}


@dataclass(frozen=True)
class _Layout:
    """What follows from where each result lies among the completions alone."""

    #: The fields that can change the result, in the radix's order.
    kept: tuple[str, ...]
    #: Each result's regions over them, in words and as data.
    regions: dict[Result, tuple[tuple[str, ...], tuple[dict[str, Any], ...]]]
    #: The kept fields, the best next question first, and the expected number of questions.
    questions: tuple[str, ...]
    expected_questions: float


@functools.lru_cache(maxsize=4096)
def _layout_of(
    radix: Radix,
    deciding: tuple[int, ...],
    results: tuple[tuple[Result, int], ...],
    weights: tuple[tuple[int, int], ...],
) -> _Layout:
    """The fields that matter, the question order and the regions of a layout of results (a
    pure function of the points of each result and their weights, which many partial cases
    share: kept, bounded; callers never change it)."""
    by_result = dict(results)
    valid_weights = dict(weights)
    valid = 0
    for bits in valid_weights.values():
        valid |= bits
    kept = relevant(radix, valid, list(by_result.values()), deciding)
    projection = project(radix, valid_weights, by_result, kept)
    order, expected = plan(projection)
    paths = tuple(field.path for field in projection.radix.fields)
    return _Layout(
        kept=paths,
        regions={
            result: _regions(projection.radix, projection.results[result]) for result in by_result
        },
        questions=tuple(paths[i] for i in order),
        expected_questions=round(expected, 6),
    )


@functools.lru_cache(maxsize=4096)
def _regions(
    radix: Radix, points: int
) -> tuple[tuple[str, ...], tuple[dict[str, CellScalar | list[CellScalar]], ...]]:
    """``points`` of ``radix`` as few regions, in words and as data (a pure function of the
    two, kept bounded; the data is copied by the model that receives it)."""
    columns = [Column(field.path, field.domain) for field in radix.fields]
    regions = cover(columns, [radix.digits(index) for index in points_of(points)])
    return tuple(map(str, regions)), tuple(region.to_json() for region in regions)


@functools.lru_cache(maxsize=4096)
def _rows_layout(
    chain: tuple[Table, ...],
    results: tuple[tuple[Result, int], ...],
    fired: tuple[tuple[tuple[int, str], int], ...],
    valid: int,
) -> tuple[dict[Result, tuple[tuple[str, ...], tuple[Status, ...]]], tuple[str, ...]]:
    """Per result, the open questions and statuses of the rows fired where it lies (rows in
    the order of the chain's tables and of each table's rows), and the rules fired in some
    completions only: a pure function of where each result and each row fired lie (kept,
    bounded)."""
    ranked = sorted(fired, key=lambda item: (item[0][0], chain[item[0][0]].row_index[item[0][1]]))
    spec = [
        (bits, chain[level].spec.rows[chain[level].row_index[row_id]])
        for (level, row_id), bits in ranked
    ]
    resting = {}
    for result, points in results:
        rows = [row for bits, row in spec if bits & points]
        resting[result] = (
            tuple(dict.fromkeys(q for row in rows for q in row.open_questions)),
            tuple(sorted({row.status for row in rows}, key=_FIRMNESS.index)),
        )
    varying = tuple(
        sorted(
            f"{chain[level].family}/{row_id}" for (level, row_id), bits in fired if bits != valid
        )
    )
    return resting, varying


def _assessment(
    table_set: TableSet,
    chain: tuple[Table, ...],
    given: PartialCase,
    known: dict[str, Any],
    day: dt.date,
    radix: Radix,
    weights: dict[int, int],
    summary: Summary,
    engine: str,
    covered: tuple[str, ...],
) -> Assessment:
    valid = 0
    for bits in weights.values():
        valid |= bits
    by_result = {key: bits & valid for key, bits in summary.by_result.items() if bits & valid}
    # Only the tables the outcome table reads from decide the result: their fields are the
    # only ones that can matter.
    deciding = _deciding_positions(table_set, chain, radix)
    layout = _layout_of(radix, deciding, tuple(by_result.items()), tuple(sorted(weights.items())))
    fired = tuple((key, bits & valid) for key, bits in summary.by_row.items() if bits & valid)
    resting, varying = _rows_layout(chain, tuple(by_result.items()), fired, valid)
    possible = []
    for (outcome, permit), bits in by_result.items():
        texts, where = layout.regions[(outcome, permit)]
        questions, statuses = resting[(outcome, permit)]
        possible.append(  # from checked parts; a test holds it to the validated one
            PossibleResult.model_construct(
                outcome=outcome,
                permit=permit,
                completions=mass(weights, bits),
                regions=texts,
                where=tuple(_copy_region(region) for region in where),  # not the kept ones
                open_questions=questions,
                statuses=statuses,
            )
        )
    possible.sort(key=lambda r: -r.completions)
    unknown = tuple(path for path in APPLICATION_DOMAINS if path not in known)
    decision = None
    if valid.bit_count() == 1:  # one point: one decision, rows fired included
        digits = radix.digits(valid.bit_length() - 1)
        point = [f.domain[d] for f, d in zip(radix.fields, digits, strict=True)]
        decision = decide_with(table_set, full_case(given, radix.fields, point, day), engine)
        varying = ()
    kept_paths = layout.kept
    return Assessment(
        reference=given.reference,
        decision_date=day,
        decision_date_assumed=given.decision_date is None,
        unknown=unknown,
        completions=mass(weights, valid),
        results=tuple(possible),
        decided=len(by_result) == 1,
        decision=decision,
        questions=layout.questions,
        irrelevant=tuple(p for p in unknown if p not in kept_paths),
        rules_that_vary=varying,
        permits_covered=covered,
        expected_questions=layout.expected_questions,
    )


@functools.lru_cache(maxsize=1024)
def _deciding_positions(
    table_set: TableSet, chain: tuple[Table, ...], radix: Radix
) -> tuple[int, ...]:
    """The positions in ``radix`` of the fields :func:`_deciding_paths` names."""
    paths = _deciding_paths(table_set, chain)
    return tuple(i for i, field in enumerate(radix.fields) if field.path in paths)


@functools.lru_cache(maxsize=64)
def _deciding_paths(table_set: TableSet, chain: tuple[Table, ...]) -> frozenset[str]:
    """The case fields read by the outcome table and the tables it reads from."""
    by_family = {table.family: table for table in chain}
    wanted, seen = [table_set.outcome_family], set()
    while wanted:
        family = wanted.pop()
        if family not in seen:
            seen.add(family)
            wanted.extend(by_family[family].upstream_families)
    return frozenset(
        column.source.path
        for family in seen
        for column in by_family[family].columns
        if isinstance(column.source, CaseField)
    )
