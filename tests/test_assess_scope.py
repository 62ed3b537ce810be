"""The assessment's scope (``_assess/_scope.py``) is sound: the facts it holds out never change
a decision on the permits it holds them out for, on any date a table changes."""

from __future__ import annotations

import itertools

import pytest

from betanketid_rules import Case, evaluate
from betanketid_rules._assess._scope import NEIGHBOUR_FACTS, NEIGHBOUR_PERMITS, SECTION_15_FACTS
from betanketid_rules._tables import default_table_set
from betanketid_rules._tables._columns import CASE_DOMAINS

DAYS = [period.first_day.isoformat() for period in default_table_set().periods()]
APPLICANTS = CASE_DOMAINS["applicant"]


def _case(day: str, applicant: str, permit: str, on: tuple[str, ...]) -> Case:
    person = {"in_sweden": "person.in_sweden" in on}
    facts = {path.split(".")[1]: True for path in on if path.startswith("facts.")}
    return Case.model_validate(
        {"decision_date": day, "applicant": applicant, "permit": permit, "person": person,
         "facts": facts}
    )  # fmt: skip


def _verdict(case: Case) -> tuple[object, ...]:
    decision = evaluate(case)
    return decision.outcome, decision.permit, decision.rules_fired, decision.effects


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("permit", CASE_DOMAINS["permit"])
def test_the_facts_held_out_never_change_a_decision(day: str, permit: str) -> None:
    """For every applicant and every combination of the facts an assessment keeps (all shown,
    or all not shown but one), turning any held-out fact on changes nothing."""
    neighbour = permit in NEIGHBOUR_PERMITS
    kept = NEIGHBOUR_FACTS if neighbour else SECTION_15_FACTS
    held = SECTION_15_FACTS if neighbour else NEIGHBOUR_FACTS
    shown_sets = [kept, *(tuple(p for p in kept if p != left) for left in kept)]
    for applicant, shown in itertools.product(APPLICANTS, shown_sets):
        base = _verdict(_case(day, applicant, permit, shown))
        for path in held:
            assert _verdict(_case(day, applicant, permit, (*shown, path))) == base, (
                f"{path} changed a decision on {permit} by {applicant} on {day}"
            )
