"""Assessments of incomplete cases (issue 12): exact over every completion, tested by brute force.

The brute force here shares nothing with the implementation: it fills the unknown fields with
every value the contract allows, keeps the completions ``Case`` accepts and decides each with
:func:`evaluate`.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from support import ENGINES

from betanketid_rules import (
    Assessment,
    BatchError,
    Case,
    PartialCase,
    assess,
    assess_many,
    evaluate,
)
from betanketid_rules.testing import cases

FIELDS: dict[str, tuple[Any, ...]] = {
    "applicant": (
        "preliminary_investigation_leader",
        "social_welfare_board",
        "police_authority",
        "the_person",
        "other",
    ),
    "permit": (
        "reflection_period",
        "evidence_person",
        "reflection_period_extension",
        "evidence_person_extension",
        "protected_person",
        "protected_person_permanent",
        "pay_claim",
    ),
    "person.in_sweden": (False, True),
    "person.is_child": (False, True),
    "person.eu_citizen": (False, True),
    "person.relation": ("self", "accompanying_child", "family_member"),
    "facts.presumed_offence": ("trafficking", "exploitation", "other_crime", "none"),
    "facts.needed_for_investigation": (False, True),
    "facts.willing_to_cooperate": (False, True),
    "facts.ties_broken": (False, True),
    "facts.public_order_objection": (False, True),
    "facts.wants_reflection_period": (False, True),
    "facts.special_reasons_longer_reflection": (False, True),
    "facts.special_personal_security": (False, True),
    "facts.holds_protected_person_permit": (False, True),
    "facts.holds_15_permit": (False, True),
    "facts.cooperated_employer_investigation": (False, True),
    "facts.pay_claim_brought": (False, True),
}


#: With the applicant unknown too, an unknown permit is assessed over the permits under
#: 5 kap. 15 § only (the scope, _assess/_scope).
FIFTEEN_PERMITS = FIELDS["permit"][:4]


def flat(case: Case) -> dict[str, Any]:
    data = case.model_dump(mode="json")
    return {
        path: data[path.split(".")[0]]
        if "." not in path
        else data[path.split(".")[0]][path.split(".")[1]]
        for path in FIELDS
    }


def nested(values: dict[str, Any], day: str, application: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {"decision_date": day, "person": {}, "facts": {}}
    if application is not None:
        data["application_date"] = application
    for path, value in values.items():
        head, _, tail = path.partition(".")
        if tail:
            data[head][tail] = value
        else:
            data[head] = value
    return data


def result(decision: Any) -> tuple[Any, ...]:
    permit = decision.permit
    return (
        decision.outcome,
        None if permit is None else (permit.type, permit.days, permit.min_months),
    )


def brute_force(
    known: dict[str, Any], unknown: list[str], day: str, application: str | None, engine: str
) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Every valid completion (values of ``unknown``) and its result."""
    found = {}
    domains = [FIELDS[path] for path in unknown]
    if "applicant" in unknown and "permit" in unknown:  # the scope (_assess/_scope)
        domains[unknown.index("permit")] = FIFTEEN_PERMITS
    for values in itertools.product(*domains):
        data = nested({**known, **dict(zip(unknown, values, strict=True))}, day, application)
        try:
            case = Case.model_validate(data)
        except ValidationError:
            continue
        decision = evaluate(case, engine=engine)
        found[values] = result(decision)
        # Every rule the trace fired: those that decided and those of the effects (issue 13).
        RULES[values] = frozenset(f"{s.table}/{r.id}" for s in decision.trace for r in s.fired)
    return found


#: The rules fired at each completion of the last brute force (for the varying-rules check).
RULES: dict[tuple[Any, ...], frozenset[str]] = {}


def relevant_by_brute_force(unknown: list[str], outcomes: dict[tuple[Any, ...], Any]) -> set[str]:
    found = set()
    for point, outcome in outcomes.items():
        for index, path in enumerate(unknown):
            for value in FIELDS[path]:
                other = (*point[:index], value, *point[index + 1 :])
                if other in outcomes and outcomes[other] != outcome:
                    found.add(path)
    return found


def optimal_questions(unknown: list[str], outcomes: dict[tuple[Any, ...], Any]) -> float:
    """The fewest questions on average (completions weighted alike) an adaptive questioner
    needs before one result remains."""

    @functools.cache
    def cost(points: frozenset[tuple[Any, ...]], asked: frozenset[int]) -> float:
        if len({outcomes[p] for p in points}) <= 1:
            return 0.0
        best = float("inf")
        for index in range(len(unknown)):
            if index in asked:
                continue
            groups = Counter(p[index] for p in points)
            if len(groups) == 1:
                continue
            total = 1.0 + sum(
                n
                / len(points)
                * cost(frozenset(p for p in points if p[index] == v), asked | {index})
                for v, n in groups.items()
            )
            best = min(best, total)
        return best

    return cost(frozenset(outcomes), frozenset())


@st.composite
def partial_cases(draw: st.DrawFn, most_unknown: int = 5) -> tuple[Case, list[str]]:
    case = draw(cases(with_application_date=False))
    unknown = draw(st.lists(st.sampled_from(sorted(FIELDS)), max_size=most_unknown, unique=True))
    return case, sorted(unknown, key=list(FIELDS).index)


def partial_of(case: Case, unknown: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    known = {path: value for path, value in flat(case).items() if path not in unknown}
    return known, nested(known, case.decision_date.isoformat(), None)


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partial_cases())
def test_an_assessment_is_exactly_the_brute_force_over_every_completion(
    engine: str, drawn: tuple[Case, list[str]]
) -> None:
    case, unknown = drawn
    known, partial = partial_of(case, unknown)
    day = case.decision_date.isoformat()
    RULES.clear()
    outcomes = brute_force(known, unknown, day, None, engine)
    assessment = assess(partial, engine=engine)
    counted = Counter(outcomes.values())
    got = {
        (
            r.outcome,
            None if r.permit is None else (r.permit.type, r.permit.days, r.permit.min_months),
        ): r.completions
        for r in assessment.results
    }
    assert got == dict(counted)
    assert Assessment.model_validate_json(assessment.model_dump_json()) == assessment
    assert assessment.completions == len(outcomes)
    assert assessment.decided == (len(counted) == 1)
    assert set(assessment.unknown) == set(unknown)
    relevant = relevant_by_brute_force(unknown, outcomes)
    assert set(assessment.questions) == relevant
    assert set(assessment.irrelevant) == set(unknown) - relevant
    if assessment.decision is not None:
        assert assessment.decided
        assert result(assessment.decision) in counted
        assert assessment.rules_that_vary == ()
    else:
        fired = [RULES[point] for point in outcomes]
        varying = frozenset.union(*fired) - frozenset.intersection(*fired)
        # Empty when only the inputs in the trace differ (the unknown values themselves).
        assert set(assessment.rules_that_vary) == varying


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partial_cases(most_unknown=4))
def test_the_expected_number_of_questions_is_the_fewest_possible(
    drawn: tuple[Case, list[str]],
) -> None:
    case, unknown = drawn
    known, partial = partial_of(case, unknown)
    outcomes = brute_force(known, unknown, case.decision_date.isoformat(), None, "native")
    assessment = assess(partial)
    assert assessment.expected_questions == pytest.approx(optimal_questions(unknown, outcomes))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partial_cases(most_unknown=7))
def test_answering_the_first_question_each_time_ends_decided_as_the_case_is(
    drawn: tuple[Case, list[str]],
) -> None:
    """Asked and answered from the case, the questions end in the case's own decision.

    With the permit and the applicant both unknown an assessment covers the permits under
    5 kap. 15 § only (the neighbouring permits of 15 b, 16 a and 15 d §§ are considered once
    the partial case names the applicant or the permit: ``_assess/_scope.py``), so a case
    requesting a neighbouring permit is drawn with one of the two known."""
    case, unknown = drawn
    assume(not {"permit", "applicant"} <= set(unknown) or case.permit in FIFTEEN_PERMITS)
    truth = flat(case)
    known, partial = partial_of(case, unknown)
    for _ in range(len(unknown) + 1):
        assessment = assess(partial)
        if assessment.decided:
            break
        question = assessment.questions[0]
        known[question] = truth[question]
        partial = nested(known, case.decision_date.isoformat(), None)
    assert assessment.decided
    assert [r.outcome for r in assessment.results] == [evaluate(case).outcome]


# --- the law, as the issue states it --------------------------------------------------------


BOARD = {
    "decision_date": "2024-02-01",
    "applicant": "social_welfare_board",
    "permit": "reflection_period",
}


def test_the_board_for_a_presumed_victim_hinges_on_the_reflection_period_conditions() -> None:
    """5 kap. 15 § andra stycket with första stycket 1 and 4 (SFS 2022:1015): the board's
    reflection period for a presumed victim of trafficking turns on the wish for a reflection
    period, presence in Sweden, the need for the investigation and public order; never on the
    six-month conditions (cooperation, broken ties)."""
    assessment = assess({**BOARD, "facts": {"presumed_offence": "trafficking"}})
    assert sorted(r.outcome for r in assessment.results) == ["grant", "refuse"]
    assert set(assessment.questions) == {
        "facts.wants_reflection_period",
        "person.in_sweden",
        "facts.needed_for_investigation",
        "facts.public_order_objection",
    }
    assert "facts.willing_to_cooperate" in assessment.irrelevant
    assert "facts.ties_broken" in assessment.irrelevant
    answered = assess(
        {
            **BOARD,
            "person": {"in_sweden": True},
            "facts": {
                "presumed_offence": "trafficking",
                "wants_reflection_period": True,
                "needed_for_investigation": True,
                "public_order_objection": False,
            },
        }
    )
    assert answered.decided and answered.questions == ()
    assert answered.results[0].outcome == "grant"


def test_an_accompanying_child_not_itself_a_victim_is_decided_without_a_question() -> None:
    """5 kap. 15 § fjärde stycket andra meningen: the board applies only for a person who was
    themself subjected to the crime (the 2024 report's footnote 7 on accompanying children)."""
    assessment = assess(
        {
            **BOARD,
            "person": {"relation": "accompanying_child"},
            "facts": {"presumed_offence": "none"},
        }
    )
    assert assessment.decided
    assert [r.outcome for r in assessment.results] == ["no_standing"]
    assert assessment.questions == ()


# --- input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"facts": {"ties_broken": None}}, "facts.ties_broken"),
        ({"facts": {"ties_broken": "yes"}}, "facts.ties_broken"),
        ({"person": {"colour": "blue"}}, "person.colour"),
        ({"applicant": None}, "applicant"),
    ],
)
def test_a_partial_case_is_validated_as_strictly_as_a_case(
    data: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        assess({**BOARD, **data})
    assert [".".join(map(str, e["loc"])) for e in caught.value.errors()] == [field]


def test_an_absent_decision_date_is_today_and_said_so() -> None:
    assessment = assess({"applicant": "the_person"})
    assert assessment.decision_date == dt.date.today()
    assert assessment.decision_date_assumed
    assert PartialCase.model_validate({}).known() == {}


# --- the command line ----------------------------------------------------------------------


def run_assess(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    command = str(Path(sys.executable).with_name("betanketid-rules"))
    return subprocess.run(
        [command, "assess", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_assess_command_prints_the_assessment_as_json_and_in_each_language() -> None:
    document = json.dumps({**BOARD, "facts": {"presumed_offence": "trafficking"}})
    done = run_assess(stdin=document)
    assert done.returncode == 0, done.stderr
    assert Assessment.model_validate_json(done.stdout) == assess(json.loads(document))
    swedish = run_assess("--format", "text", stdin=document).stdout
    english = run_assess("--format", "text", "--lang", "en", stdin=document).stdout
    assert "Möjliga utfall:" in swedish and "Possible outcomes" not in swedish
    assert "Possible outcomes:" in english and "Möjliga utfall" not in english


def test_the_assess_command_refuses_bad_input_in_one_line_with_exit_2() -> None:
    done = run_assess(stdin='{"applicant": "the_person", "applicant": "other"}')
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["betanketid-rules: applicant: duplicate key"]


def test_assess_many_keeps_evaluate_manys_error_contract() -> None:
    good = {**BOARD, "facts": {"presumed_offence": "trafficking"}}
    bad = {**BOARD, "facts": {"ties_broken": "yes"}}
    with pytest.raises(ValidationError) as caught:
        assess_many([good, bad, bad])
    assert [".".join(map(str, e["loc"])) for e in caught.value.errors()] == [
        "1.facts.ties_broken",
        "2.facts.ties_broken",
    ]
    recorded = assess_many([good, bad], on_error="record")
    assert recorded[0] == assess(good)
    assert isinstance(recorded[1], BatchError)
    assert [p.path for p in recorded[1].errors] == ["facts.ties_broken"]
    with pytest.raises(TypeError):
        assess_many(good)
