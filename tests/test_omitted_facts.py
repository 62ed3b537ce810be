"""A fact the applicant must show for a grant, left out, never leads to a grant.

The contract's rule (issue 15; the docs' "The contract: Case"): a field of ``person`` or
``facts`` that a grant needs shown defaults to its least favourable value, so a case system
that forgets to send it gets a refusal, never a permit by accident. The rule covers exactly
:data:`MUST_BE_SHOWN`; every other field is a stated exception, with its reason, in
:data:`EXCEPTIONS` (and in the docs).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, get_args

from hypothesis import given
from hypothesis import strategies as st
from support import BOARD_REFLECTION

from betanketid_rules import Facts, Person, evaluate
from betanketid_rules._types import Applicant, PermitRequested, PresumedOffence
from betanketid_rules.testing import cases, versions

#: Facts the applicant must show for a grant.
MUST_BE_SHOWN = (
    "person.in_sweden",
    "facts.wants_reflection_period",
    "facts.needed_for_investigation",
    "facts.willing_to_cooperate",
    "facts.ties_broken",
    "facts.special_reasons_longer_reflection",
    "facts.presumed_offence",
)
#: What the applicant must show for a neighbouring permit (5 kap. 15 b, 16 a, 15 d §§).
MUST_BE_SHOWN_BESIDE = (
    "facts.special_personal_security",
    "facts.holds_protected_person_permit",
    "facts.holds_15_permit",
    "facts.cooperated_employer_investigation",
    "facts.pay_claim_brought",
)
NEIGHBOUR_PERMITS = ("protected_person", "protected_person_permanent", "pay_claim")
#: The fields the rule does not cover, each with why its default is what it is.
EXCEPTIONS = {
    "facts.public_order_objection": "point 4 is a ground Migrationsverket raises, not a fact "
    "the applicant shows: no objection is the default",
    "person.relation": "describes the person: the application is for the person itself",
    "person.is_child": "describes the person",
    "person.eu_citizen": "describes the person; it never changes the outcome",
}
GRANTS = {"grant", "may_grant"}
DOMAINS: dict[str, tuple[Any, ...]] = {"facts.presumed_offence": get_args(PresumedOffence)}


def _without(data: dict[str, Any], path: str) -> dict[str, Any]:
    group, name = path.split(".")
    return {**data, group: {k: v for k, v in data[group].items() if k != name}}


def _with(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    group, name = path.split(".")
    return {**data, group: {**data[group], name: value}}


def test_every_field_of_person_and_facts_is_covered_or_a_stated_exception() -> None:
    fields = {f"person.{name}" for name in Person.model_fields} | {
        f"facts.{name}" for name in Facts.model_fields
    }
    assert set(MUST_BE_SHOWN).isdisjoint(EXCEPTIONS)
    assert set(MUST_BE_SHOWN_BESIDE).isdisjoint(set(EXCEPTIONS) | set(MUST_BE_SHOWN))
    assert fields == set(MUST_BE_SHOWN) | set(MUST_BE_SHOWN_BESIDE) | set(EXCEPTIONS)


def test_the_documented_defaults_are_the_least_favourable_values() -> None:
    person, facts = Person(), Facts()
    assert (person.in_sweden, facts.wants_reflection_period) == (False, False)
    assert facts.presumed_offence == "none"


def _never_grants_by_omission(data: dict[str, Any], path: str) -> None:
    """Left out, ``path`` may still give a grant only where no value of it could refuse."""
    omitted = _without(data, path)
    if evaluate(omitted).outcome not in GRANTS:
        return
    for value in DOMAINS.get(path, (True, False)):
        assert evaluate(_with(omitted, path, value)).outcome in GRANTS, (path, value, omitted)


def _each_omission_never_grants(permits: Sequence[str], paths: Sequence[str]) -> int:
    """For every wording, applicant, one of ``permits`` and combination of ``paths``' values,
    each of ``paths`` left out in turn never grants by its omission; how many were checked."""
    domains = [DOMAINS.get(path, (True, False)) for path in paths]
    checked = 0
    for version, applicant, permit in itertools.product(versions(), get_args(Applicant), permits):
        for values in itertools.product(*domains):
            data: dict[str, Any] = {
                "decision_date": version.name,
                "applicant": applicant,
                "permit": permit,
                "person": {},
                "facts": {},
            }
            for path, value in zip(paths, values, strict=True):
                data = _with(data, path, value)
            for path in paths:
                _never_grants_by_omission(data, path)
                checked += 1
    return checked


def test_an_omitted_fact_is_never_what_grants_on_every_combination() -> None:
    """Exhaustive: every wording, applicant, permit and combination of the covered facts
    (the exceptions at their defaults), each covered fact left out in turn."""
    permits = [p for p in get_args(PermitRequested) if p not in NEIGHBOUR_PERMITS]
    checked = _each_omission_never_grants(permits, MUST_BE_SHOWN)
    assert checked == len(versions()) * 5 * 4 * 2**6 * 4 * len(MUST_BE_SHOWN)


def test_an_omitted_fact_of_a_neighbouring_permit_is_never_what_grants() -> None:
    """Exhaustive for the neighbouring permits: every wording, applicant and combination of
    their facts, each left out in turn."""
    checked = _each_omission_never_grants(NEIGHBOUR_PERMITS, MUST_BE_SHOWN_BESIDE)
    assert checked == len(versions()) * 5 * 3 * 2**5 * len(MUST_BE_SHOWN_BESIDE)


@given(cases(), st.sampled_from(MUST_BE_SHOWN + MUST_BE_SHOWN_BESIDE))
def test_an_omitted_fact_is_never_what_grants(case: Any, path: str) -> None:
    """Any case (dates, application dates and the exceptions drawn too)."""
    _never_grants_by_omission(case.model_dump(mode="json"), path)


def test_the_rule_bites_where_it_matters() -> None:
    """The board's 30 days: stated, granted; either fact left out, refused."""
    stated = BOARD_REFLECTION
    assert evaluate(stated).outcome == "grant"
    for path in ("person.in_sweden", "facts.wants_reflection_period"):
        assert evaluate(_without(stated, path)).outcome == "refuse", path
