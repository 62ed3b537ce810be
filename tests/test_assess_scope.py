"""The assessment's scope (``_assess/_scope.py``) is sound: the facts it holds out never change
a decision on the permits it holds them out for, on any date a table changes."""

from __future__ import annotations

import itertools

import pytest

from betanketid_rules import Case, assess, evaluate
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


# --- The permit unknown ---------------------------------------------------------------------
# Seen: with the permit left out, the police (5 kap. 15 b, 16 a §§: on the police's
# application, statutes.md) were told their case was decided, no standing, and the permit
# did not matter; the person (15 d §, on their own application) likewise. Written from the
# sections: the police can obtain a 15 b § permit, the person a 15 d § permit.


def _results(partial: dict[str, object]) -> set[tuple[str, str | None]]:
    assessment = assess(partial)
    return {
        (result.outcome, result.permit.type if result.permit else None)
        for result in assessment.results
    }


def test_the_police_asking_for_an_unnamed_permit_may_obtain_the_15_b_and_16_a_permits() -> None:
    partial = {"decision_date": "2023-05-02", "applicant": "police_authority"}
    assessment = assess(partial)
    assert not assessment.decided
    assert assessment.questions[0] == "permit"
    assert {("grant", "protected_person"), ("grant", "protected_person_permanent")} <= (
        _results(partial)
    )
    assert "facts.special_personal_security" in assessment.questions
    assert set(assessment.permits_covered) == set(CASE_DOMAINS["permit"])


def test_the_person_asking_for_an_unnamed_permit_may_obtain_the_15_d_permit() -> None:
    partial = {"decision_date": "2023-05-02", "applicant": "the_person"}
    assert ("may_grant", "pay_claim") in _results(partial)
    assert "facts.pay_claim_brought" in assess(partial).questions


def test_before_the_neighbouring_sections_the_police_still_have_no_standing() -> None:
    """Before SFS 2010:533 (in force 2010-07-01) the police could apply for no permit here."""
    assessment = assess({"decision_date": "2009-05-04", "applicant": "police_authority"})
    assert assessment.decided
    assert {result.outcome for result in assessment.results} == {"no_standing"}


@pytest.mark.parametrize("applicant", APPLICANTS)
def test_an_unnamed_permit_is_assessed_as_every_permit_named_in_turn(applicant: str) -> None:
    """With the applicant named, leaving the permit out covers exactly the results of naming
    each permit in turn."""
    day = "2023-05-02"
    together = _results({"decision_date": day, "applicant": applicant})
    one_by_one = set().union(
        *(
            _results({"decision_date": day, "applicant": applicant, "permit": permit})
            for permit in CASE_DOMAINS["permit"]
        )
    )
    assert together == one_by_one


def test_with_neither_permit_nor_applicant_the_assessment_says_it_covers_the_15_permits() -> None:
    assessment = assess({"decision_date": "2023-05-02"})
    assert set(assessment.permits_covered) == set(CASE_DOMAINS["permit"]) - NEIGHBOUR_PERMITS
    assert assess({"decision_date": "2023-05-02", "permit": "pay_claim"}).permits_covered == (
        "pay_claim",
    )
