"""What still decides a case: every completion of a partial case's unknowns, exactly.

The input domains are finite, so an assessment enumerates every completion of the unknown
fields the chain in force reads (with the contract's constraints, and counting the
completions of the unknown fields it does not read), decides each with the engine, and says:
which results (outcome and permit) remain, how many completions lead to each and where (as the
regions ``diff`` prints), whether the case is decided, which unknown fields can still change
the result (best next question first) and which cannot. Nothing here knows a rule: the
results come from the tables.

>>> assessment = assess({"decision_date": "2024-02-01", "applicant": "social_welfare_board",
...     "permit": "reflection_period", "person": {"relation": "accompanying_child"},
...     "facts": {"presumed_offence": "none"}})
>>> assessment.decided, assessment.results[0].outcome, assessment.questions
(True, 'no_standing', ())
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from ._batch import BatchError, batch_error
from ._contract import Case, Decision, Facts, Permit, Person
from ._engine import decide_with, get_engine
from ._engine._chain import result_of, run_chain_space
from ._errors import InvalidArgumentError
from ._partial import PartialCase
from ._tables import Table, TableSet, default_table_set
from ._tables._columns import CASE_DOMAINS, CaseField
from ._tables._tableset import tuple_getter
from ._types import CellScalar, Outcome, Status
from ._verify.regions import Column, cover
from ._verify.space import case_paths

#: Above this many relevant unknown fields the next question is chosen greedily (by the
#: expected number of results left) instead of by an exact search of every order.
EXACT_SEARCH_FIELDS = 6


class PossibleResult(BaseModel):
    """One result an assessment leaves possible, and where it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    outcome: Outcome
    permit: Permit | None
    completions: int = Field(description="How many completions of the unknowns give it.")
    regions: tuple[str, ...] = Field(description="Where, as regions of the unknown fields.")
    open_questions: tuple[str, ...] = Field(description="Open legal questions it rests on.")
    statuses: tuple[Status, ...] = Field(description="Statuses of the rows it rests on.")


class Assessment(BaseModel):
    """What a partial case can still come to, and what still decides it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    decision_date: dt.date
    decision_date_assumed: bool = Field(description="True when the date was left out (today).")
    unknown: tuple[str, ...] = Field(description="The unknown fields, by dotted path.")
    completions: int = Field(description="How many completions of the unknowns there are.")
    results: tuple[PossibleResult, ...]
    decided: bool = Field(description="Every completion gives the same result.")
    decision: Decision | None = Field(
        description="The decision, when every completion gives the same one (rows included)."
    )
    questions: tuple[str, ...] = Field(
        description="Unknown fields that can change the result, the best one to ask first."
    )
    irrelevant: tuple[str, ...] = Field(
        description="Unknown fields that cannot change the result: no form needs to ask them."
    )
    rules_that_vary: tuple[str, ...] = Field(
        (),
        description="Without one decision: the rules (family/row) fired in some completions "
        "and not in others, i.e. what varies with the unknowns.",
    )
    expected_questions: float = Field(
        description="How many questions, on average over the completions, asking the best "
        "next question each time takes to decide."
    )


# --- completions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
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


def _completions(
    known: Mapping[str, Any], read: Sequence[str]
) -> tuple[list[_Field], list[tuple[tuple[CellScalar, ...], int]]]:
    """The unknown fields the chain reads, and every valid combination of them with weight."""
    asked = [path for path in read if path not in known]
    parts: list[dict[tuple[CellScalar, ...], int]] = []
    groups: list[list[str]] = []
    for path in ("applicant", "permit"):
        if path in asked:
            parts.append({(value,): 1 for value in CASE_DOMAINS[path]})
            groups.append([path])
        elif path not in known:
            parts.append({(): len(CASE_DOMAINS[path])})
            groups.append([])
    for prefix, model in (("person.", Person), ("facts.", Facts)):
        group = [path for path in asked if path.startswith(prefix)]
        parts.append(_sub_completions(model, prefix, known, group))
        groups.append(group)
    order = [path for group in groups for path in group]
    fields = [_Field(path, CASE_DOMAINS[path]) for path in asked]
    reorder = tuple_getter(operator.itemgetter, [order.index(path) for path in asked])
    keys = [list(part) for part in parts]
    weights = [list(part.values()) for part in parts]
    combined: list[tuple[tuple[CellScalar, ...], int]] = []
    for choice in itertools.product(*(range(len(part)) for part in parts)):
        flat = sum((keys[n][c] for n, c in enumerate(choice)), ())
        weight = math.prod(weights[n][c] for n, c in enumerate(choice))
        combined.append((reorder(flat), weight))
    return fields, combined


class _Completion:
    """One object the tables read as the case: the known fields set, the unknown ones set in
    place by :func:`~._engine._chain.run_chain_space` as it walks the completions.

    The chain reads a case only through its field paths, so one namespace stands for every
    completion without building one per point.
    """

    def __init__(
        self, known: Mapping[str, Any], day: dt.date, application_date: dt.date | None
    ) -> None:
        self.case = SimpleNamespace(
            person=SimpleNamespace(),
            facts=SimpleNamespace(),
            decision_date=day,
            application_date=application_date,
        )
        for path, value in known.items():
            self._set(path, value)

    def _set(self, path: str, value: Any) -> None:
        head, _, tail = path.partition(".")
        setattr(getattr(self.case, head) if tail else self.case, tail or head, value)


# --- questions -----------------------------------------------------------------------------


Outcomes = dict[tuple[CellScalar, ...], tuple[Any, int]]


def _relevant(fields: Sequence[_Field], outcomes: Outcomes) -> list[int]:
    """Indices of the fields whose value changes the result for some completion."""
    found = []
    for index in range(len(fields)):
        seen: dict[tuple[CellScalar, ...], Any] = {}
        for point, (result, _) in outcomes.items():
            rest = point[:index] + point[index + 1 :]
            if seen.setdefault(rest, result) != result:
                found.append(index)
                break
    return found


def _split(points: frozenset[tuple[CellScalar, ...]], index: int) -> list[frozenset[Any]]:
    groups: dict[CellScalar, set[tuple[CellScalar, ...]]] = {}
    for point in points:
        groups.setdefault(point[index], set()).add(point)
    return [frozenset(group) for group in groups.values()]


def _plan(
    fields: Sequence[_Field], outcomes: Outcomes, relevant: list[int]
) -> tuple[list[int], float]:
    """The relevant fields, best next question first, and the expected number of questions."""
    weight = {point: count for point, (_, count) in outcomes.items()}

    def mass(points: frozenset[Any]) -> int:
        return sum(weight[p] for p in points)

    @functools.cache
    def settled(points: frozenset[Any]) -> bool:
        results = iter(points)
        first = outcomes[next(results)][0]
        return all(outcomes[p][0] == first for p in results)

    @functools.cache
    def cost(points: frozenset[Any], left: frozenset[int]) -> float:
        if settled(points):
            return 0.0
        total = mass(points)
        return min(
            1 + sum(mass(g) / total * cost(g, left - {i}) for g in _split(points, i)) for i in left
        )

    def score(points: frozenset[Any], index: int, left: frozenset[int]) -> float:
        groups = _split(points, index)
        total = mass(points)
        if len(relevant) <= EXACT_SEARCH_FIELDS:
            return 1 + sum(mass(g) / total * cost(g, left - {index}) for g in groups)
        return sum(mass(g) / total * len({outcomes[p][0] for p in g}) for g in groups)

    everything = frozenset(outcomes)
    left = frozenset(relevant)
    ranked = sorted(relevant, key=lambda i: (score(everything, i, left), i))
    if len(relevant) <= EXACT_SEARCH_FIELDS:
        return ranked, cost(everything, left)
    return ranked, _greedy_cost(everything, left, mass, settled, score)


def _greedy_cost(
    points: frozenset[Any],
    left: frozenset[int],
    mass: Callable[[frozenset[Any]], int],
    settled: Callable[[frozenset[Any]], bool],
    score: Callable[[frozenset[Any], int, frozenset[int]], float],
) -> float:
    if settled(points) or not left:
        return 0.0
    best = min(left, key=lambda i: (score(points, i, left), i))
    total = mass(points)
    return 1 + sum(
        mass(g) / total * _greedy_cost(g, left - {best}, mass, settled, score)
        for g in _split(points, best)
    )


# --- the assessment ------------------------------------------------------------------------


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
    fields, combos = _completions(known, read)
    completion = _Completion(known, day, given.application_date)
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
    fields: list[_Field],
    outcomes: Outcomes,
    steps_of: dict[tuple[CellScalar, ...], tuple[Any, ...]],
    engine: str,
) -> Assessment:
    # Only the tables the outcome table reads from decide the result: their fields are the
    # only ones that can matter, and the result is a function of them.
    deciding_paths = _deciding_paths(table_set, chain)
    deciding = [i for i, field in enumerate(fields) if field.path in deciding_paths]
    decisive = _project(outcomes, deciding)
    relevant = [deciding[i] for i in _relevant([fields[i] for i in deciding], decisive)]
    kept = [fields[i] for i in relevant]
    columns = [Column(field.path, field.domain) for field in kept]
    projected = _project(outcomes, relevant)
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
        results.append(
            PossibleResult(
                outcome=outcome,
                permit=permit,
                completions=sum(outcomes[p][1] for p in points),
                regions=tuple(str(region) for region in cover(columns, set(map(indices, at)))),
                open_questions=tuple(dict.fromkeys(q for r in rows for q in r.open_questions)),
                statuses=tuple(
                    sorted(
                        {r.status for r in rows}, key=("confirmed", "secondary", "inferred").index
                    )
                ),
            )
        )
    results.sort(key=lambda r: -r.completions)
    order, expected = _plan(kept, projected, list(range(len(kept))))
    unknown = _unknown_paths(given)
    decision = None
    point, first = next(iter(steps_of.items()))
    varying: tuple[str, ...] = ()
    if all(map(first.__eq__, steps_of.values())):  # one decision, rows fired included
        decision = decide_with(table_set, _full_case(given, fields, point, day), engine)
    else:
        varying = _varying_rules(steps_of.values())
    return Assessment(
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


def _project(outcomes: Outcomes, positions: Sequence[int]) -> Outcomes:
    """``outcomes`` over the fields at ``positions`` only, the completions summed."""
    get = tuple_getter(operator.itemgetter, positions)
    projected: Outcomes = {}
    for point, (result, count) in outcomes.items():
        key = get(point)
        before = projected.get(key)
        projected[key] = (result, count if before is None else before[1] + count)
    return projected


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


def _unknown_paths(given: PartialCase) -> tuple[str, ...]:
    known = given.known()
    return tuple(path for path in CASE_DOMAINS if path not in known)


def _full_case(
    given: PartialCase, fields: Sequence[_Field], point: Sequence[Any], day: dt.date
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
    free = [path for path in CASE_DOMAINS if path not in values]
    for choice in itertools.product(*(CASE_DOMAINS[path] for path in free)):
        flat = {**values, **dict(zip(free, choice, strict=True))}
        nested: dict[str, Any] = {"person": {}, "facts": {}}
        for path, value in flat.items():
            head, _, tail = path.partition(".")
            if tail:
                nested[head][tail] = value
            else:
                nested[head] = value
        yield nested
