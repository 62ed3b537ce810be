"""Hypothesis strategies for :class:`~betanketid_rules.Case`: property-test your code against ours.

An integrating system (a case-management system, a form, a batch job) can use these strategies
to generate valid cases under 5 kap. 15 § utlänningslagen and check its own handling of them,
for example that it stores, shows or forwards every :class:`~betanketid_rules.Decision` the
library gives. The library's own test suite uses the same strategies.

This module needs `hypothesis <https://hypothesis.readthedocs.io>`_, which is in the ``test``
extra: ``pip install 'betanketid-rules[test]'``. Importing it without hypothesis raises an
``ImportError`` that says so; the rest of the package never imports it.

What the strategies generate
----------------------------
:func:`cases` generates every valid :class:`~betanketid_rules.Case`:

* ``decision_date`` from 2006-03-31 (utlänningslagen in force) to :func:`horizon`, a future
  bound twenty years after the latest change of wording in the table set. Dates on and around
  the days a wording enters into force or ends are drawn often, because that is where a
  wrongly dated rule shows.
* ``application_date`` absent, or on or before ``decision_date`` (at most five years before
  it, never before 2006-03-31), often just before or on a day a wording entered into force:
  the transitional cases.
* ``reference`` absent or a string of printable characters (it never changes a decision).
* every applicant, permit, person and fact of the contract; ``relation`` is
  ``accompanying_child`` only for a child (``is_child``), as the contract requires.

Every generated case validates (it is built through the pydantic models) and every one can be
evaluated with either engine.

Restricting the cases
---------------------
Every restriction is a keyword argument of :func:`cases`, and they combine:

* ``version="2022-08-01"``: decided while that wording of the table set is in force. A version
  is a period in which the same table of every family applies; it is named by its first day.
  :func:`versions` lists them, derived from the loaded tables (no legal date is written in this
  module), and :func:`version_on` gives the version in force on a date.
* ``decided_between=(start, end)``: decision dates in a closed interval (dates or ISO strings;
  days before 2006-03-31 are left out, and the end may lie beyond :func:`horizon`).
* ``applicant="social_welfare_board"`` or several: ``applicant=("police_authority", "other")``.
  The same for ``permit``.
* ``person=persons(is_child=True)`` and ``facts=facts(needed_for_investigation=True)``: fix some
  fields of the person or the facts and draw the others. A field may also be given a strategy
  of its own, e.g. ``facts(presumed_offence=st.sampled_from(["trafficking", "exploitation"]))``.
* ``with_application_date=True`` (always one) or ``False`` (never).
* ``tables=path``: derive the versions from another table directory (your own tables).

A misspelt value (``applicant="socialnamnd"``) or an empty restriction (a range with no date in
it) raises :class:`~betanketid_rules.InvalidArgumentError` (a ``ValueError``) when the strategy
is built, never a strategy that silently generates nothing.

Examples
--------
A property that must hold for every case (run here with a small, derandomized budget; in your
own tests use your hypothesis profile):

>>> from hypothesis import given, settings
>>> from betanketid_rules import evaluate
>>> from betanketid_rules.testing import cases, facts, versions
>>> quick = settings(max_examples=25, derandomize=True, deadline=None, database=None)
>>> section_15 = ("reflection_period", "evidence_person", "reflection_period_extension",
...               "evidence_person_extension")
>>> @quick
... @given(cases(applicant=("the_person", "police_authority", "other"), permit=section_15))
... def test_only_the_leader_or_the_board_apply_under_section_15(case):
...     assert evaluate(case).outcome == "no_standing"
>>> test_only_the_leader_or_the_board_apply_under_section_15()

Cases from one wording only, with some facts fixed:

>>> [version.name for version in versions()]  # doctest: +NORMALIZE_WHITESPACE
['2006-03-31', '2007-07-01', '2010-07-01', '2013-07-01', '2013-08-01', '2015-01-01',
 '2022-08-01']
>>> board_2022 = cases(
...     version="2022-08-01", applicant="social_welfare_board", permit="reflection_period",
...     facts=facts(presumed_offence="trafficking", needed_for_investigation=True,
...                 public_order_objection=False, wants_reflection_period=True),
...     with_application_date=False)
>>> @quick
... @given(board_2022)
... def test_board_grants_thirty_days(case):
...     decision = evaluate(case)
...     assert decision.outcome in ("grant", "refuse")  # refused only if not in Sweden
...     assert decision.outcome == "refuse" or decision.permit.days == 30
>>> test_board_grants_thirty_days()

The version in force on a date, and its interval:

>>> from betanketid_rules.testing import version_on
>>> version = version_on("2010-06-01")
>>> version.name, version.first_day.isoformat(), version.last_day.isoformat()
('2007-07-01', '2007-07-01', '2010-06-30')
>>> version_on("2030-01-01").last_day is None
True

Restrictions that cannot be met are refused at once:

>>> cases(applicant="socialnamnd")
Traceback (most recent call last):
...
betanketid_rules.InvalidArgumentError: applicant: unknown value 'socialnamnd' (allowed: \
preliminary_investigation_leader, social_welfare_board, police_authority, the_person, other)
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import typing
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - exercised only without the test extra
    raise ImportError(
        "betanketid_rules.testing needs hypothesis; install the test extra: "
        "pip install 'betanketid-rules[test]'"
    ) from error

from ._contract import (
    EARLIEST_APPLICATION_DATE,
    EARLIEST_DECISION_DATE,
    MAX_REFERENCE,
    Case,
    Facts,
    Person,
)
from ._errors import InvalidArgumentError
from ._row_targets import RowTarget, row_targets
from ._tables import TableSet, default_table_set, load_table_set
from ._types import Applicant, PermitRequested, PresumedOffence, Relation

__all__ = [
    "APPLICATION_LOOKBACK_DAYS",
    "FUTURE_YEARS",
    "Version",
    "cases",
    "decision_dates",
    "facts",
    "horizon",
    "persons",
    "version_on",
    "versions",
]

#: How far after the latest change of wording decision dates are drawn (see :func:`horizon`).
FUTURE_YEARS = 20
#: An application date is drawn at most this many days before its decision date.
APPLICATION_LOOKBACK_DAYS = 5 * 365

T = TypeVar("T")
DateLike = dt.date | str
TablesArg = str | os.PathLike[str] | None

APPLICANTS: tuple[Applicant, ...] = typing.get_args(Applicant)
PERMITS: tuple[PermitRequested, ...] = typing.get_args(PermitRequested)
RELATIONS: tuple[Relation, ...] = typing.get_args(Relation)
OFFENCES: tuple[PresumedOffence, ...] = typing.get_args(PresumedOffence)


@dataclass(frozen=True)
class Version:
    """A period in which the same table of every family is in force, named by its first day.

    >>> version = version_on("2022-08-01")
    >>> version.name, dt.date(2022, 7, 31) in version, dt.date(2040, 1, 1) in version
    ('2022-08-01', False, True)
    >>> version.tables[0]
    'utl-5-15-standing@2022-08-01'
    """

    name: str
    first_day: dt.date
    #: The last day (inclusive), or ``None`` while this version is still in force.
    last_day: dt.date | None
    #: The tables in force, as ``family@version``, in evaluation order.
    tables: tuple[str, ...]

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date):
            return False
        return self.first_day <= day and (self.last_day is None or day <= self.last_day)


@functools.cache
def _table_set(tables: Path | None) -> TableSet:
    return default_table_set() if tables is None else load_table_set(tables)


def _resolve(tables: TablesArg) -> TableSet:
    return _table_set(None if tables is None else Path(tables).resolve())


@functools.cache
def _versions(table_set: TableSet) -> tuple[Version, ...]:
    return tuple(
        Version(
            period.first_day.isoformat(),
            period.first_day,
            period.last_day,
            tuple(table.key for table in period.tables),
        )
        for period in table_set.periods()
    )


def versions(tables: TablesArg = None) -> tuple[Version, ...]:
    """Every version of the table set, oldest first, derived from the tables' in-force dates.

    ``tables`` is a table directory; by default the tables shipped with the package.

    >>> [(v.name, v.last_day.isoformat() if v.last_day else None) for v in versions()][-2:]
    [('2015-01-01', '2022-07-31'), ('2022-08-01', None)]
    """
    return _versions(_resolve(tables))


def _date(value: DateLike, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InvalidArgumentError(f"{what}: expected a date, not a date and time")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise InvalidArgumentError(f"{what}: not an ISO date (YYYY-MM-DD): {value!r}") from error


def version_on(day: DateLike, tables: TablesArg = None) -> Version:
    """The version in force on ``day`` (an ISO string or a date).

    >>> version_on("2007-06-30").name
    '2006-03-31'
    """
    when = _date(day, "day")
    for version in versions(tables):
        if when in version:
            return version
    raise InvalidArgumentError(f"no version of the table set is in force on {when.isoformat()}")


def horizon(tables: TablesArg = None) -> dt.date:
    """The latest decision date the strategies draw: :data:`FUTURE_YEARS` after the last change.

    >>> horizon() > versions()[-1].first_day
    True
    """
    last = versions(tables)[-1].first_day
    try:
        return last.replace(year=last.year + FUTURE_YEARS)
    except ValueError:  # 29 February
        return last.replace(year=last.year + FUTURE_YEARS, day=28)


def _version_named(name: str | Version, tables: TablesArg) -> Version:
    wanted = name.name if isinstance(name, Version) else name
    known = versions(tables)
    for version in known:
        if version.name == wanted:
            return version
    raise InvalidArgumentError(
        f"version: unknown version {wanted!r} (known: {', '.join(v.name for v in known)})"
    )


def _date_range(
    version: str | Version | None,
    decided_between: tuple[DateLike, DateLike] | None,
    tables: TablesArg,
) -> tuple[dt.date, dt.date]:
    low, high = EARLIEST_DECISION_DATE, horizon(tables)
    if version is not None:
        chosen = _version_named(version, tables)
        low = chosen.first_day
        high = chosen.last_day if chosen.last_day is not None else high
    if decided_between is not None:
        start = _date(decided_between[0], "decided_between[0]")
        end = _date(decided_between[1], "decided_between[1]")
        if start > end:
            raise InvalidArgumentError("decided_between: the start is after the end")
        # Days before 2006-03-31 are dropped (no case is decided then); without a version, the
        # caller's range may reach past the horizon on purpose.
        low = max(low, start)
        high = min(high, end) if version is not None else end
    if low > high:
        raise InvalidArgumentError(
            f"no decision date satisfies the restrictions (version {version}, "
            f"decided_between {decided_between})"
        )
    return low, high


def _edges(tables: TablesArg) -> tuple[dt.date, ...]:
    """The first and last day of every version: where wrongly dated rules show."""
    days: set[dt.date] = set()
    for version in versions(tables):
        days.add(version.first_day)
        if version.last_day is not None:
            days.add(version.last_day)
    return tuple(sorted(days))


def decision_dates(
    *,
    version: str | Version | None = None,
    decided_between: tuple[DateLike, DateLike] | None = None,
    tables: TablesArg = None,
) -> st.SearchStrategy[dt.date]:
    """Decision dates, restricted like :func:`cases`; the edges of each version drawn often.

    >>> from hypothesis import find
    >>> find(decision_dates(version="2007-07-01"), lambda day: True).isoformat()
    '2007-07-01'
    """
    low, high = _date_range(version, decided_between, tables)
    edges = [day for day in _edges(tables) if low <= day <= high]
    anywhere = st.dates(min_value=low, max_value=high)
    return st.one_of(st.sampled_from(edges), anywhere) if edges else anywhere


_REFERENCES = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
    min_size=1,
    max_size=MAX_REFERENCE,
)


def _application_dates(decided: dt.date, tables: TablesArg) -> st.SearchStrategy[dt.date]:
    earliest = max(
        EARLIEST_APPLICATION_DATE, decided - dt.timedelta(days=APPLICATION_LOOKBACK_DAYS)
    )
    near = {decided}
    for version in versions(tables):
        for day in (version.first_day - dt.timedelta(days=1), version.first_day):
            if earliest <= day <= decided:
                near.add(day)
    return st.one_of(st.sampled_from(sorted(near)), st.dates(min_value=earliest, max_value=decided))


def _pick(name: str, value: Any, allowed: Collection[T]) -> st.SearchStrategy[T]:
    """A strategy for one field: drawn from ``allowed``, or fixed / narrowed by ``value``."""
    if value is None:
        return st.sampled_from(tuple(allowed))
    if isinstance(value, st.SearchStrategy):
        return typing.cast(st.SearchStrategy[T], value)
    chosen = (value,) if isinstance(value, str | bool) else tuple(value)
    if not chosen:
        raise InvalidArgumentError(f"{name}: an empty restriction matches nothing")
    for item in chosen:
        if item not in allowed or isinstance(item, bool) != isinstance(next(iter(allowed)), bool):
            names = ", ".join(str(option) for option in allowed)
            raise InvalidArgumentError(f"{name}: unknown value {item!r} (allowed: {names})")
    return st.sampled_from(chosen)


_BOOLS = (False, True)


def persons(
    *,
    in_sweden: bool | st.SearchStrategy[bool] | None = None,
    is_child: bool | st.SearchStrategy[bool] | None = None,
    eu_citizen: bool | st.SearchStrategy[bool] | None = None,
    relation: Relation | Collection[Relation] | st.SearchStrategy[Relation] | None = None,
) -> st.SearchStrategy[Person]:
    """Valid :class:`~betanketid_rules.Person` values; a given field is fixed (or drawn from it).

    An ``accompanying_child`` is always a child, as the contract requires: drawing that
    relation makes the person a child, and with ``is_child=False`` it is never drawn (asking
    for it alone is an :class:`~betanketid_rules.InvalidArgumentError`).

    >>> from hypothesis import find
    >>> find(persons(relation="accompanying_child"), lambda person: True).is_child
    True
    """
    children = _pick("is_child", is_child, _BOOLS)
    abroad = _pick("in_sweden", in_sweden, _BOOLS)
    eu = _pick("eu_citizen", eu_citizen, _BOOLS)
    adult_relations = tuple(r for r in RELATIONS if r != "accompanying_child")
    relations: st.SearchStrategy[Relation] | None = None
    if relation is not None:
        if isinstance(relation, st.SearchStrategy):
            relations = relation
            if is_child is False:
                relations = relations.filter(lambda r: r != "accompanying_child")
        else:
            chosen = (relation,) if isinstance(relation, str) else tuple(relation)
            if is_child is False:
                chosen = tuple(r for r in chosen if r != "accompanying_child")
                if not chosen:
                    raise InvalidArgumentError(
                        "relation: 'accompanying_child' requires is_child=True"
                    )
            relations = _pick("relation", chosen, RELATIONS)

    @st.composite
    def build(draw: st.DrawFn) -> Person:
        child = draw(children)
        if relations is None:
            related = draw(st.sampled_from(RELATIONS if child else adult_relations))
        else:
            related = draw(relations)
            child = child or related == "accompanying_child"
        return Person(in_sweden=draw(abroad), is_child=child, eu_citizen=draw(eu), relation=related)

    return build()


def facts(
    *,
    presumed_offence: PresumedOffence
    | Collection[PresumedOffence]
    | st.SearchStrategy[PresumedOffence]
    | None = None,
    needed_for_investigation: bool | st.SearchStrategy[bool] | None = None,
    willing_to_cooperate: bool | st.SearchStrategy[bool] | None = None,
    ties_broken: bool | st.SearchStrategy[bool] | None = None,
    public_order_objection: bool | st.SearchStrategy[bool] | None = None,
    wants_reflection_period: bool | st.SearchStrategy[bool] | None = None,
    special_reasons_longer_reflection: bool | st.SearchStrategy[bool] | None = None,
    special_personal_security: bool | st.SearchStrategy[bool] | None = None,
    holds_protected_person_permit: bool | st.SearchStrategy[bool] | None = None,
    holds_15_permit: bool | st.SearchStrategy[bool] | None = None,
    cooperated_employer_investigation: bool | st.SearchStrategy[bool] | None = None,
    pay_claim_brought: bool | st.SearchStrategy[bool] | None = None,
) -> st.SearchStrategy[Facts]:
    """Valid :class:`~betanketid_rules.Facts`; a given field is fixed (or drawn from it).

    >>> from hypothesis import find
    >>> shown = find(facts(ties_broken=True), lambda f: True)
    >>> shown.ties_broken, shown.willing_to_cooperate
    (True, False)
    """
    fields: dict[str, st.SearchStrategy[Any]] = {
        "presumed_offence": _pick("presumed_offence", presumed_offence, OFFENCES)
    }
    booleans: Mapping[str, bool | st.SearchStrategy[bool] | None] = {
        "needed_for_investigation": needed_for_investigation,
        "willing_to_cooperate": willing_to_cooperate,
        "ties_broken": ties_broken,
        "public_order_objection": public_order_objection,
        "wants_reflection_period": wants_reflection_period,
        "special_reasons_longer_reflection": special_reasons_longer_reflection,
        "special_personal_security": special_personal_security,
        "holds_protected_person_permit": holds_protected_person_permit,
        "holds_15_permit": holds_15_permit,
        "cooperated_employer_investigation": cooperated_employer_investigation,
        "pay_claim_brought": pay_claim_brought,
    }
    for name, value in booleans.items():
        fields[name] = _pick(name, value, _BOOLS)
    return st.builds(Facts, **fields)


def _any_facts() -> st.SearchStrategy[Facts]:
    return facts()


def _values(target: RowTarget, prefix: str) -> dict[str, Any]:
    """The target's constraints on the fields below ``prefix`` (``person.``), by field name,
    each as a strategy drawing the values allowed."""
    return {
        path[len(prefix) :]: st.sampled_from(tuple(sorted(values, key=str)))
        for path, values in target.fields.items()
        if path.startswith(prefix)
    }


@dataclass(frozen=True)
class _Aim:
    """Strategies aimed at one row of one table (a region the table tells apart), within the
    caller's restrictions: only the fields the caller left free are aimed."""

    dates: st.SearchStrategy[dt.date]
    applicants: st.SearchStrategy[Any] | None
    permits: st.SearchStrategy[Any] | None
    people: st.SearchStrategy[Person] | None
    facts: st.SearchStrategy[Facts] | None
    lodged_before: tuple[dt.date, bool] | None

    @classmethod
    def of(
        cls,
        target: RowTarget,
        low: dt.date,
        high: dt.date,
        free: Mapping[str, bool],
        with_application_date: bool | None,
    ) -> _Aim | None:
        period = target.period
        first = max(low, period.first_day)
        last = min(high, period.last_day) if period.last_day is not None else high
        lodged = target.lodged_before
        if lodged is not None and lodged[1]:
            if with_application_date is False:
                return None
            # An application lodged before the day must lie within the look-back.
            lookback = dt.timedelta(days=APPLICATION_LOOKBACK_DAYS)
            last = min(last, lodged[0] + lookback - dt.timedelta(days=1))
        if first > last:
            return None
        try:
            person_values, fact_values = _values(target, "person."), _values(target, "facts.")
            people = persons(**person_values) if free["person"] and person_values else None
            found = facts(**fact_values) if free["facts"] and fact_values else None
        except InvalidArgumentError:
            return None
        fixed = {k: v for k, v in target.fields.items() if "." not in k}
        return cls(
            st.one_of(st.just(first), st.dates(min_value=first, max_value=last)),
            st.sampled_from(sorted(fixed["applicant"], key=str))
            if free["applicant"] and "applicant" in fixed
            else None,
            st.sampled_from(sorted(fixed["permit"], key=str))
            if free["permit"] and "permit" in fixed
            else None,
            people,
            found,
            lodged,
        )

    def application_date(
        self, decided: dt.date, lodged: st.SearchStrategy[bool], tables: TablesArg
    ) -> st.SearchStrategy[dt.date | None]:
        """An application date for ``decided`` that puts the case in the aimed region."""
        earliest = max(
            EARLIEST_APPLICATION_DATE, decided - dt.timedelta(days=APPLICATION_LOOKBACK_DAYS)
        )
        if self.lodged_before is None:
            return lodged.flatmap(
                lambda yes: _application_dates(decided, tables) if yes else st.none()
            )
        day, before = self.lodged_before
        if before:
            latest = min(decided, day - dt.timedelta(days=1))
            if earliest > latest:
                return st.none()
            return st.one_of(st.just(latest), st.dates(min_value=earliest, max_value=latest))
        start = max(earliest, day)
        if start > decided:
            return st.none()
        later = st.dates(min_value=start, max_value=decided)
        return lodged.flatmap(lambda yes: later if yes else st.none())


def cases(
    *,
    version: str | Version | None = None,
    decided_between: tuple[DateLike, DateLike] | None = None,
    applicant: Applicant | Collection[Applicant] | None = None,
    permit: PermitRequested | Collection[PermitRequested] | None = None,
    person: st.SearchStrategy[Person] | None = None,
    facts: st.SearchStrategy[Facts] | None = None,
    with_application_date: bool | None = None,
    tables: TablesArg = None,
) -> st.SearchStrategy[Case]:
    """Valid :class:`~betanketid_rules.Case` values, optionally restricted (see the module).

    ``version`` is a version name (see :func:`versions`) or a :class:`Version`;
    ``decided_between`` a closed interval of decision dates; both may be combined.
    ``applicant`` and ``permit`` take one value or several; ``person`` and ``facts`` take
    strategies such as :func:`persons` and :func:`facts`; ``with_application_date`` is
    ``True`` (always), ``False`` (never) or ``None`` (either).

    >>> from hypothesis import find
    >>> case = find(cases(version="2022-08-01", applicant="social_welfare_board"), lambda c: True)
    >>> case.decision_date.isoformat(), case.applicant
    ('2022-08-01', 'social_welfare_board')
    """
    dates = decision_dates(version=version, decided_between=decided_between, tables=tables)
    applicants = _pick("applicant", applicant, APPLICANTS)
    permits = _pick("permit", permit, PERMITS)
    people = person if person is not None else persons()
    shown = facts if facts is not None else _any_facts()
    lodged: st.SearchStrategy[bool] = (
        st.booleans() if with_application_date is None else st.just(with_application_date)
    )
    low, high = _date_range(version, decided_between, tables)
    free = {
        "applicant": applicant is None,
        "permit": permit is None,
        "person": person is None,
        "facts": facts is None,
    }
    aims = tuple(
        aim
        for target in row_targets(_resolve(tables))
        if (aim := _Aim.of(target, low, high, free, with_application_date)) is not None
    )

    @st.composite
    def build(draw: st.DrawFn) -> Case:
        aim = draw(st.sampled_from(aims)) if aims and draw(st.integers(0, 3)) > 0 else None
        if aim is not None:
            decided = draw(aim.dates)
            fields: dict[str, Any] = {
                "decision_date": decided,
                "applicant": draw(applicants if aim.applicants is None else aim.applicants),
                "permit": draw(permits if aim.permits is None else aim.permits),
                "person": draw(people if aim.people is None else aim.people),
                "facts": draw(shown if aim.facts is None else aim.facts),
            }
            application = draw(aim.application_date(decided, lodged, tables))
        else:
            decided = draw(dates)
            fields = {
                "decision_date": decided,
                "applicant": draw(applicants),
                "permit": draw(permits),
                "person": draw(people),
                "facts": draw(shown),
            }
            application = draw(_application_dates(decided, tables)) if draw(lodged) else None
        if application is not None:
            fields["application_date"] = application
        if draw(st.booleans()):
            fields["reference"] = draw(_REFERENCES)
        return Case(**fields)

    return build()
