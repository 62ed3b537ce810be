"""The legal scenarios in tests/scenarios/*.yaml, decided on both engines.

Each scenario was derived from the law (its ``basis`` says where: the statute text in
``../shared/legal/statutes.md`` where it has been read, the brief's settled section, otherwise
the brief); the expected decision is the law's, not the library's. A scenario where the library
disagrees carries an ``xfail_reason`` and runs as a strict xfail.
"""

from __future__ import annotations

import copy
import functools
from collections import Counter
from pathlib import Path

import pytest
from scenarios_lib import (
    SCENARIO_DIR,
    Scenario,
    ScenarioFileError,
    check_decision,
    check_scenario,
    is_subsequence,
    load_scenarios,
)
from support import BOARD_REFLECTION, DURABLE_AVAILABLE

from betanketid_rules import Case, Decision, evaluate
from betanketid_rules._engine import decide_with
from betanketid_rules._tables import default_table_set, load_table_set
from betanketid_rules._types import Applicant, PermitRequested

SCENARIOS = load_scenarios(SCENARIO_DIR)
#: The scenarios of applications (a revocation has no person or facts of an application).
APPLICATIONS = [s for s in SCENARIOS if s.case_model.matter == "application"]
REVOCATIONS = [s for s in SCENARIOS if s.case_model.matter == "revocation"]


def _params() -> list[object]:
    params: list[object] = []
    for scenario in SCENARIOS:
        for engine in ("native", "durable"):
            marks: list[pytest.MarkDecorator] = []
            if scenario.xfail_reason:
                marks.append(pytest.mark.xfail(reason=scenario.xfail_reason, strict=True))
            if engine == "durable" and not DURABLE_AVAILABLE:
                marks.append(pytest.mark.skip(reason="durable_rules is not importable here"))
            params.append(pytest.param(scenario, engine, id=f"{scenario.id}-{engine}", marks=marks))
    return params


@pytest.mark.parametrize(("scenario", "engine"), _params())
def test_scenario(scenario: Scenario, engine: str) -> None:
    failures = check_scenario(scenario, functools.partial(evaluate, engine=engine))
    assert not failures, f"{scenario.id} ({scenario.source}, {engine}):\n  " + "\n  ".join(failures)


# The suite itself: wide enough to matter, and every name in it real.


def test_suite_covers_every_wording_applicant_permit_and_outcome() -> None:
    assert len(APPLICATIONS) >= 40
    by_wording = Counter(s.wording for s in APPLICATIONS)
    assert set(by_wording) == {"V1", "V2", "V3"}, by_wording
    assert {s.case_model.applicant for s in APPLICATIONS} == set(Applicant.__args__)
    assert {s.case_model.permit for s in APPLICATIONS} == set(PermitRequested.__args__)
    assert {s.expect.outcome for s in APPLICATIONS} == {
        "grant",
        "may_grant",
        "refuse",
        "no_standing",
        "needs_review",
    }
    for wording in ("V1", "V2", "V3"):
        applicants = {s.case_model.applicant for s in APPLICATIONS if s.wording == wording}
        assert applicants == set(Applicant.__args__), (wording, applicants)


def test_revocation_scenarios_cover_every_outcome_and_wording() -> None:
    assert {s.expect.outcome for s in REVOCATIONS} == {
        "may_revoke",
        "hear_first",
        "no_ground",
        "police_must_apply",
        "not_applicable",
    }
    assert {s.wording for s in REVOCATIONS} == {"V1", "V2", "V3"}
    granted = {s.case_model.permit for s in REVOCATIONS}
    assert {"reflection_period", "evidence_person", "protected_person"} <= granted
    assert {"protected_person_permanent", "pay_claim"} <= granted


def test_the_issues_example_is_in_the_suite() -> None:
    by_id = {s.id: s for s in SCENARIOS}
    example = by_id["v3-board-trafficking-grant-issue-example"]
    before = by_id["t2022-issue-example-before-reform"]
    # The issue's example, with the two facts a grant needs stated (an omitted one never grants).
    case = copy.deepcopy(BOARD_REFLECTION)
    assert example.case == case
    assert example.expect.outcome == "grant"
    assert example.expect.permit is not None and example.expect.permit.days == 30
    assert before.case == {**case, "decision_date": "2022-05-10"}
    assert before.expect.outcome == "no_standing"


#: Settled by the statute text (brief settled section; statutes.md): no case rests on them.
SETTLED = {"Q1", "Q2", "Q3"}
#: The only open questions that still decide a case (brief settled section): the original 2006
#: wording (Q-V1) and a board application lodged before 2022-08-01 (Q4).
DECIDING = {"Q-V1", "Q4"}


def test_no_scenario_rests_on_a_settled_question() -> None:
    """needs_review only on Q-V1 or Q4, named exactly; Q1-Q3, Q8 and Q15 decide nothing."""
    for scenario in SCENARIOS:
        named = set(scenario.expect.open_questions)
        assert not named & (SETTLED | {"Q8", "Q15"}), (scenario.id, named)
        if scenario.expect.outcome == "needs_review":
            assert named <= DECIDING, (scenario.id, named)
            assert scenario.expect.open_questions_exact, scenario.id
    reviewed = {
        q for s in SCENARIOS if s.expect.outcome == "needs_review" for q in s.expect.open_questions
    }
    assert reviewed == DECIDING


def test_the_newly_settled_points_are_in_the_suite() -> None:
    """Each point the statute text settled has its scenario, with the law's outcome."""
    by_id = {s.id: s for s in SCENARIOS}
    expected = {
        # 2 st and 4 st 1 men.: the förundersökningsledare's reflection period, any crime
        "v3-ful-reflection-witness-2023-grant": "grant",
        "v3-ful-reflection-other-crime-grant": "grant",
        # 4 st: the board never requests an extension
        "v3-board-reflection-extension-no-standing": "no_standing",
        "t2022-board-extension-lodged-before": "no_standing",
        # 2 st: 1 st p. 1 binds the board
        "v3-board-not-needed-refuse": "refuse",
        # Q4 alone
        "t2022-board-lodged-before-decided-after-q4": "needs_review",
        # Q-V1: the 2006 extension
        "v1-ful-evidence-extension-q-v1": "needs_review",
    }
    assert {key: by_id[key].expect.outcome for key in expected} == expected
    assert by_id["t2022-board-lodged-before-decided-after-q4"].expect.open_questions == ("Q4",)
    assert by_id["v1-ful-evidence-extension-q-v1"].expect.open_questions == ("Q-V1",)


def test_every_rule_and_question_named_by_a_scenario_exists() -> None:
    table_set = default_table_set()
    rows = {f"{t.family}/{row.id}" for t in table_set for row in t.spec.rows}
    for scenario in SCENARIOS:
        unknown = [rule for rule in scenario.expect.rules_fired if rule not in rows]
        assert not unknown, f"{scenario.source} {scenario.id}: no such rule {unknown}"
        questions = [q for q in scenario.expect.open_questions if q not in table_set.questions]
        assert not questions, f"{scenario.source} {scenario.id}: no such question {questions}"


# The checker can fail: a wrong expectation is reported, with what was wrong.


def _scenario(scenario_id: str) -> Scenario:
    return next(s for s in SCENARIOS if s.id == scenario_id)


def _with_expect(scenario: Scenario, **changes: object) -> Scenario:
    data = copy.deepcopy(scenario.model_dump())
    data["expect"].update(changes)
    return Scenario.model_validate(data)


def test_checker_reports_each_kind_of_difference() -> None:
    scenario = _scenario("v3-board-trafficking-grant-issue-example")
    decision = evaluate(scenario.case_model)
    assert check_decision(scenario, decision) == []
    wrong = _with_expect(
        scenario,
        permit={"type": "reflection_period", "days": 31, "min_months": None},
        provisions=[{"paragraph": 2, "point": 1}],
        rules_fired=["utl-5-15-outcome/5-15-2st-grant", "utl-5-15-standing/5-15-2st-sn"],
        open_questions=["Q4"],
        unmet_conditions=["5-15-1st-p1"],
    )
    failures = check_decision(wrong, decision)
    assert len(failures) == 5, failures
    assert "days': 31" in failures[0]
    assert "2005:716 5:15 st 2 p 1" in failures[1]
    assert "in that order" in failures[2]
    assert "lacks ['Q4']" in failures[3]
    assert "unmet_conditions are []" in failures[4]
    wrong_sentence = _with_expect(
        scenario, provisions=[{"paragraph": 4, "point": None, "sentence": 1}]
    )
    [failure] = check_decision(wrong_sentence, decision)
    assert "does not cite 2005:716 5:15 st 4 men 1" in failure
    refused = _with_expect(scenario, outcome="refuse", permit=None)
    assert check_decision(refused, decision)[0] == "outcome is grant, the law requires refuse"


def test_exact_open_questions_report_a_question_the_law_does_not_rest_on() -> None:
    # Only the open questions are under test here: expect just the 4 st 2 men. citation.
    scenario = _with_expect(
        _scenario("t2022-board-lodged-before-decided-after-q4"),
        provisions=[{"paragraph": 4, "point": None, "sentence": 2}],
    )
    decision = evaluate(scenario.case_model)
    named = decision.model_copy(update={"open_questions": ("Q4", "Q2")})
    assert check_decision(scenario, named) == [
        "open_questions ['Q4', 'Q2'] name ['Q2'], the law rests only on ['Q4']"
    ]
    loose = _with_expect(scenario, open_questions_exact=False)
    assert check_decision(loose, named) == []
    granted = _scenario("v3-ful-reflection-other-crime-grant")
    reviewed = evaluate(granted.case_model).model_copy(update={"open_questions": ("Q2",)})
    assert check_decision(granted, reviewed) == [
        "open_questions ['Q2'] name ['Q2'], the law rests only on []"
    ]


def test_checker_reports_an_exception_from_decide() -> None:
    def broken(case: object) -> object:
        raise RuntimeError("table set is broken")

    failures = check_scenario(SCENARIOS[0], broken)  # type: ignore[arg-type]
    assert failures == ["decide raised RuntimeError: table set is broken"]


def test_subsequence_keeps_order() -> None:
    assert is_subsequence(["a", "c"], ["a", "b", "c"])
    assert not is_subsequence(["c", "a"], ["a", "b", "c"])
    assert not is_subsequence(["a", "a"], ["a", "b"])


# The format fails loudly, naming file, line and scenario.

GOOD = """\
scenarios:
  - id: good-one
    wording: V3
    description: {en: A board case.}
    basis: statutes.md 4 st 2 men.; brief settled section (Q4)
    case: {decision_date: "2023-03-15", application_date: "2022-07-20",
           applicant: social_welfare_board, permit: reflection_period,
           facts: {presumed_offence: trafficking}}
    expect:
      outcome: needs_review
      permit: null
      provisions: [{paragraph: 4, point: null, sentence: 2}]
      rules_fired: [utl-5-15-standing/5-15-sn-transitional]
      open_questions: [Q4]
      open_questions_exact: true
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_well_formed_file_loads(tmp_path: Path) -> None:
    [scenario] = load_scenarios(_write(tmp_path, GOOD))
    assert scenario.id == "good-one"
    assert scenario.source == "mine.yaml:2"


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("    expect:", "    expct:", "expct: Extra inputs are not permitted"),
        ("facts: {presumed", "person: {in_swedn: false}, facts: {presumed", "in_swedn"),
        ("outcome: needs_review", "outcome: granted", "expect.outcome"),
        ("open_questions: [Q4]", "open_questions: []", "must name the open question"),
        ("open_questions: [Q4]", "open_questions: [X4]", "is not an id like Q8"),
        ("open_questions_exact: true", "open_questions_exact: yes please", "open_questions_exact"),
        ("      permit: null", "      permit: {type: x}", "expect.permit"),
        ("wording: V3", "wording: V2", "wording V2 is not the wording in force on 2023-03-15"),
        (
            "{paragraph: 4, point: null, sentence: 2}",
            "{paragraph: 4}",
            "provisions.0.point: Field required",
        ),
        (
            "[utl-5-15-standing/5-15-sn-transitional]",
            "[5-15-sn-transitional]",
            "is not '<family>/<row id>'",
        ),
        ('"2023-03-15"', '"2023-02-30"', "not a valid calendar date"),
    ],
)
def test_a_typo_names_file_line_and_scenario(
    tmp_path: Path, old: str, new: str, reason: str
) -> None:
    assert GOOD.count(old) == 1, old
    path = _write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(ScenarioFileError) as caught:
        load_scenarios(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:2: scenario good-one: "), message
    assert reason in message


def test_a_duplicate_id_across_files_is_named(tmp_path: Path) -> None:
    _write(tmp_path, GOOD)
    (tmp_path / "other.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(ScenarioFileError) as caught:
        load_scenarios(tmp_path)
    assert str(caught.value) == "other.yaml:2: scenario good-one: id already used at mine.yaml:2"


def test_bad_yaml_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("    wording: V3", "    wording: [V3"))
    with pytest.raises(ScenarioFileError, match=r"mine.yaml"):
        load_scenarios(path)


def test_unquoted_dates_become_the_contracts_iso_strings(tmp_path: Path) -> None:
    [scenario] = load_scenarios(_write(tmp_path, GOOD.replace('"2023-03-15"', "2023-03-15")))
    assert scenario.case["decision_date"] == "2023-03-15"


def test_the_suite_catches_a_legal_mistake_planted_in_the_tables(tables_copy: Path) -> None:
    """Drop the 2007 'ties broken' condition (1 st p. 3): the scenarios built on it fail."""
    path = tables_copy / "utl-5-15-conditions" / "2007-07-01.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: 5-15-1st-p3\n")
    end = text.index("  - id: 5-15-1st-p4\n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    table_set = load_table_set(tables_copy)

    def decide(case: Case) -> Decision:
        return decide_with(table_set, case, "native")

    failing = {s.id for s in SCENARIOS if not s.xfail_reason and check_scenario(s, decide)}
    assert failing == {
        "v2-ful-evidence-person-p3-ties-not-broken",
        "v2-ful-evidence-extension-ties-resumed",
        "v2-family-member-not-evidence-person-refuse",
    }


@pytest.mark.parametrize("scenario", APPLICATIONS, ids=[s.id for s in APPLICATIONS])
def test_eu_citizenship_never_changes_the_decision(scenario: Scenario) -> None:
    """Brief §4.8: 15 § covers all foreigners, EU citizens included; only a remark differs."""
    case = scenario.case_model
    flipped = case.model_copy(
        update={"person": case.person.model_copy(update={"eu_citizen": not case.person.eu_citizen})}
    )
    one, other = evaluate(case), evaluate(flipped)
    assert (other.outcome, other.permit, other.unmet_conditions, other.open_questions) == (
        one.outcome,
        one.permit,
        one.unmet_conditions,
        one.open_questions,
    )
    remark = "utl-5-15-remarks/remark-eu-citizen"
    for decision, citizen in ((one, case.person.eu_citizen), (other, not case.person.eu_citizen)):
        assert (remark in decision.rules_fired) is citizen
        rest = [rule for rule in decision.rules_fired if rule != remark]
        assert rest == [rule for rule in one.rules_fired if rule != remark]
