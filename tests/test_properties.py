"""The law's principles as hypothesis properties, each named after the principle it checks.

Every test draws cases from :mod:`betanketid_rules.testing` and asserts one check of
``tests/legal_properties.py`` (the same checks the table mutation runner uses against mutated
tables). Each docstring names the provision and where the principle comes from: the statute
text (``../shared/legal/statutes.md``: 5 kap. 15 § as worded by SFS 2022:1015) where it has been
read, otherwise the brief section or source; the brief's "Settled after this brief was written"
section wins over the rest of the brief. The hypothesis profile is set in ``conftest.py``:
``ci`` (derandomized, bounded) by default, ``HYPOTHESIS_PROFILE=deep`` for many more examples
locally.
"""

from __future__ import annotations

import datetime as dt
import inspect

import legal_properties as lp
import pytest
from hypothesis import given
from hypothesis import strategies as st

from betanketid_rules import Case
from betanketid_rules._tables import default_table_set
from betanketid_rules.testing import (
    cases,
    decision_dates,
    facts,
    horizon,
    persons,
    version_on,
    versions,
)

SUBJECT = lp.Subject.of(default_table_set())


def nearly(value: bool) -> st.SearchStrategy[bool]:
    """Mostly ``value``: draws cases near the point where every condition of a permit holds."""
    return st.sampled_from([value, value, value, not value])


#: Facts and persons near a grant: each condition holds three times in four, so cases where
#: all hold, and where exactly one fails, are frequent rather than rare.
NEAR_GRANT = {
    "person": persons(in_sweden=nearly(True)),
    "facts": facts(
        needed_for_investigation=nearly(True),
        willing_to_cooperate=nearly(True),
        ties_broken=nearly(True),
        public_order_objection=nearly(False),
        wants_reflection_period=nearly(True),
        special_reasons_longer_reflection=nearly(True),
    ),
}


def interesting(**restrictions: object) -> st.SearchStrategy[Case]:
    """Any valid case under ``restrictions``, half of them drawn near a grant."""
    near: dict[str, object] = {**NEAR_GRANT, **restrictions}
    return st.one_of(cases(**restrictions), cases(**near))  # type: ignore[arg-type]


SINCE_2022 = (lp.AMENDMENT_2022_IN_FORCE, horizon())
BEFORE_2007 = (lp.ACT_IN_FORCE, lp.SFS_2007_322_IN_FORCE - dt.timedelta(days=1))
EXTENSIONS = ("reflection_period_extension", "evidence_person_extension")
NOT_FUL = ("social_welfare_board", "police_authority", "the_person", "other")


def holds(check: lp.Check, case: Case) -> None:
    message = check(SUBJECT, case)
    assert message is None, message


@given(interesting())
def test_every_valid_application_gets_a_decision(case: Case) -> None:
    """Every valid case is decided; no gap or overlap in any table version.

    Contract (issue 2): a Decision for every valid Case; tables are DMN UNIQUE (issue 3).
    """
    holds(lp.check_every_valid_application_gets_a_decision, case)


@given(interesting(decided_between=BEFORE_2007))
def test_every_step_under_the_unread_original_wording_rests_on_q_v1(case: Case) -> None:
    """Under the original wording of 5 kap. 15 § (SFS 2005:716, 2006-03-31 to 2007-06-30),
    which was not read, every step of a decision rests on Q-V1 (brief §2.2), save that no
    reflection period existed before SFS 2007:322 introduced it.
    """
    holds(lp.check_every_step_under_the_unread_original_wording_rests_on_q_v1, case)


@given(st.one_of(interesting(), interesting(applicant="social_welfare_board")))
def test_only_the_investigation_leader_obtains_the_six_month_permit(case: Case) -> None:
    """Only a förundersökningsledare can ever obtain the six-month evidence-person permit.

    5 kap. 15 § första stycket UtlL (SFS 2007:322): brief §3.1 A1 [C, SRC-02]; since SFS
    2022:1015 the fourth paragraph: the förundersökningsledare applies (first sentence), the
    board only for a permit under the second paragraph (second sentence) (statutes.md).
    """
    holds(lp.check_only_the_investigation_leader_obtains_the_six_month_permit, case)


@given(interesting(applicant=NOT_FUL))
def test_no_standing_for_an_applicant_the_law_does_not_list(case: Case) -> None:
    """The person, the police (not as FUL), others, and the board before 2022-08-01: no_standing.

    5 kap. 15 § första och andra stycket UtlL (SFS 2007:322, "på ansökan av
    förundersökningsledaren"): brief §1 item 1 [C, SRC-02]; since SFS 2022:1015 the fourth
    paragraph, first and second sentence, is the closed list of who applies (statutes.md).
    """
    holds(lp.check_no_standing_for_an_applicant_the_law_does_not_list, case)


@given(interesting())
def test_standing_depends_on_who_applies_for_what_never_on_the_merits(case: Case) -> None:
    """Who may apply for what, on which date, decides standing; the facts decide only the merits.

    A förundersökningsledare or (from 2022-08-01) board with standing whose conditions fail is
    refused, never told it lacks standing. 5 kap. 15 § första-tredje stycket UtlL (conditions)
    vs fjärde stycket (who applies, SFS 2022:1015, statutes.md); brief §3.1 A1, B1, E1, E2 vs
    A2-A6, B2-B5 [C, SRC-02]; brief settled section.
    """
    holds(lp.check_standing_depends_on_who_applies_for_what_never_on_the_merits, case)


@given(
    interesting(
        decided_between=SINCE_2022, applicant="social_welfare_board", permit="reflection_period"
    )
)
def test_the_board_may_apply_for_a_presumed_victim_since_2022_08_01(case: Case) -> None:
    """From 2022-08-01 the board may apply for the reflection period of a presumed victim.

    5 kap. 15 § andra stycket and fjärde stycket andra meningen UtlL (SFS 2022:1015,
    statutes.md); BrB 4 kap. 1 a and 1 b §§. An application lodged before 2022-08-01 is open
    question Q4 alone (no transitional rule for 15 §, statutes.md; brief settled section).
    """
    holds(lp.check_the_board_may_apply_for_a_presumed_victim_since_2022_08_01, case)


@given(interesting(applicant="social_welfare_board"))
def test_the_board_acts_only_for_a_presumed_victim_of_trafficking_or_exploitation(
    case: Case,
) -> None:
    """The board never obtains anything for a person not themself a presumed victim of 4:1 a/1 b.

    5 kap. 15 § fjärde stycket andra meningen UtlL (SFS 2022:1015, statutes.md: "att
    utlänningen har utsatts för brott enligt 4 kap. 1 a eller 1 b § brottsbalken"); brief
    settled section (children and relatives settled by the text; REPORT-2024 footnote 7).
    """
    holds(lp.check_the_board_acts_only_for_a_presumed_victim_of_trafficking_or_exploitation, case)


@given(interesting(applicant="social_welfare_board", person=persons(is_child=nearly(True))))
def test_the_board_route_depends_only_on_this_persons_own_situation(case: Case) -> None:
    """Being a relative or accompanying child never changes what the board can obtain.

    5 kap. 15 § fjärde stycket andra meningen UtlL (SFS 2022:1015, statutes.md: the test
    concerns "utlänningen" the application is for); brief settled section, §3.2 F1, F2
    [REPORT-2024]; contract (issue 2, how relation works).
    """
    holds(lp.check_the_board_route_depends_only_on_this_persons_own_situation, case)


@given(interesting(applicant="social_welfare_board", permit=EXTENSIONS))
def test_the_board_never_requests_an_extension(case: Case) -> None:
    """The board never has standing to request an extension, whatever the offence or dates.

    5 kap. 15 § fjärde stycket UtlL (SFS 2022:1015, statutes.md): an extension is applied for
    by the förundersökningsledare (first sentence); the board only for a permit under the
    second paragraph (second sentence). Brief settled section ("not for an extension").
    """
    holds(lp.check_the_board_never_requests_an_extension, case)


@given(interesting(applicant="preliminary_investigation_leader"))
def test_the_offence_never_matters_for_the_investigation_leader(case: Case) -> None:
    """The crime the person is presumed a victim of never changes an investigation leader's case.

    5 kap. 15 § första-tredje stycket UtlL ("brottmål": any crime) and fjärde stycket första
    meningen (SFS 2022:1015, statutes.md); the BrB 4:1 a/1 b test limits only the board: brief
    settled section (Q2; the §2.4 working model is wrong). SFS 2007:322: brief §2.3 [C, SRC-02].
    """
    holds(lp.check_the_offence_never_matters_for_the_investigation_leader, case)


BOARD_MAY_APPLY = {
    "decided_between": SINCE_2022,
    "applicant": "social_welfare_board",
    "permit": "reflection_period",
    "person": persons(in_sweden=nearly(True)),
    "facts": facts(
        presumed_offence=("trafficking", "exploitation"),
        needed_for_investigation=nearly(True),
        public_order_objection=nearly(False),
        wants_reflection_period=nearly(True),
    ),
}


@given(cases(**BOARD_MAY_APPLY))  # type: ignore[arg-type]
def test_the_boards_reflection_period_has_the_investigation_leaders_conditions(
    case: Case,
) -> None:
    """The board's reflection permit is decided exactly as the investigation leader's would be.

    5 kap. 15 § andra stycket UtlL (SFS 2022:1015, statutes.md): no applicant named; 30 days if
    the person wants a reflection period and första stycket 1 and 4 are met. Brief settled
    section (Q2; point 1 applies to the board, Q8 in part).
    """
    holds(lp.check_the_boards_reflection_period_has_the_investigation_leaders_conditions, case)


@given(interesting())
def test_a_refusal_is_never_said_to_be_unappealable(case: Case) -> None:
    """No refusal says it cannot be appealed.

    14 kap. 4 § UtlL (SFS 2022:1015, statutes.md): a refusal under 5 kap. 15 § is appealed to a
    migration court, only by the förundersökningsledare or, where the board applied, only by
    the board. Brief settled section (Q6; the "not appealable" note of §4.5 is wrong).
    """
    holds(lp.check_a_refusal_is_never_said_to_be_unappealable, case)


@given(
    interesting(
        decided_between=BEFORE_2007, permit=("reflection_period", "reflection_period_extension")
    )
)
def test_no_reflection_period_before_sfs_2007_322(case: Case) -> None:
    """Before 2007-07-01 the law provided no reflection period: a request gets no_standing.

    5 kap. 15 § UtlL in the wording of SFS 2005:716: brief §2.2 point 5 (Ds 2005:24 proposed
    introducing one) [C, SRC-06]; SFS 2007:322 in force 2007-07-01 (its transitional point 1,
    statutes.md; Q3 settled).
    """
    holds(lp.check_no_reflection_period_before_sfs_2007_322, case)


@given(interesting(permit="reflection_period"))
def test_a_first_reflection_period_is_thirty_days(case: Case) -> None:
    """A first grant of a reflection period (V2, V3) is always exactly 30 days.

    5 kap. 15 § andra stycket UtlL ("30 dagar"): brief §3.1 B (SFS 2007:322) [C, SRC-02];
    SFS 2022:1015, whoever applies (statutes.md).
    """
    holds(lp.check_a_first_reflection_period_is_thirty_days, case)


@given(interesting(permit="evidence_person"))
def test_a_first_evidence_person_permit_is_at_least_six_months(case: Case) -> None:
    """A first evidence-person permit (V2, V3) is granted for at least six months (min 6).

    5 kap. 15 § första stycket UtlL ("minst sex månader", "skall ges"): brief §3.1 A [C,
    SRC-02]; before 2007 no minimum length: brief §2.2 point 4 [I, SRC-06].
    """
    holds(lp.check_a_first_evidence_person_permit_is_at_least_six_months, case)


@given(interesting(permit=EXTENSIONS))
def test_an_extension_is_discretionary(case: Case) -> None:
    """An extension is never 'grant': only may_grant (får förlängas), with no length, or less.

    5 kap. 15 § tredje stycket första och andra meningen UtlL: brief §3.1 E1, E2 [C, SRC-02].
    """
    holds(lp.check_an_extension_is_discretionary, case)


@given(interesting())
def test_the_permit_given_is_the_permit_applied_for(case: Case) -> None:
    """A permit is given only with a grant, and of the kind applied for (an extension keeps it).

    5 kap. 15 § första-tredje stycket UtlL: brief §3.1 [C, SRC-02]; contract (issue 2,
    Decision.permit: null unless grant/may_grant).
    """
    holds(lp.check_the_permit_given_is_the_permit_applied_for, case)


@given(interesting())
def test_a_public_order_objection_never_turns_a_refusal_into_a_grant(case: Case) -> None:
    """A public-order objection never improves an outcome (monotonic), and bars a permit.

    5 kap. 15 § första stycket 4 UtlL, referred to by andra and tredje stycket: brief §3.1 A6,
    B5, E1, E2 [C, SRC-02].
    """
    holds(lp.check_a_public_order_objection_never_turns_a_refusal_into_a_grant, case)


@given(interesting(permit=("evidence_person", "evidence_person_extension")))
def test_withdrawing_cooperation_never_helps_for_the_six_month_permit(case: Case) -> None:
    """Withdrawing the will to cooperate never helps; without it no evidence-person permit.

    5 kap. 15 § första stycket 2 UtlL (and tredje stycket första meningen): brief §3.1 A4, E1
    [C, SRC-02].
    """
    holds(lp.check_withdrawing_cooperation_never_helps_for_the_six_month_permit, case)


@given(interesting(permit=("evidence_person", "evidence_person_extension")))
def test_renewed_ties_never_help_for_the_six_month_permit(case: Case) -> None:
    """Renewed ties with the suspects never help; without broken ties no evidence-person permit.

    5 kap. 15 § första stycket 3 UtlL (and tredje stycket första meningen): brief §3.1 A5, E1
    [C, SRC-02].
    """
    holds(lp.check_renewed_ties_never_help_for_the_six_month_permit, case)


@given(interesting(permit=("reflection_period", "reflection_period_extension")))
def test_cooperation_and_broken_ties_are_not_conditions_of_a_reflection_period(
    case: Case,
) -> None:
    """The reflection period requires conditions 1 and 4 only, not cooperation or broken ties.

    5 kap. 15 § andra stycket UtlL: brief §2.3 ("Conditions 2 and 3 ... are not required") [C,
    SRC-02].
    """
    holds(lp.check_cooperation_and_broken_ties_are_not_conditions_of_a_reflection_period, case)


@given(interesting())
def test_every_permit_requires_need_for_an_investigation_or_main_hearing(case: Case) -> None:
    """No permit unless needed for a preliminary investigation or main hearing in a criminal case.

    5 kap. 15 § första stycket 1 UtlL, referred to by andra and tredje stycket: brief §3.1 A3,
    B4, E1, E2 [C, SRC-02]; before 2007 brief §2.2 point 3 [S, SRC-07].
    """
    holds(lp.check_every_permit_requires_need_for_an_investigation_or_main_hearing, case)


@given(cases(person=persons(in_sweden=False), facts=NEAR_GRANT["facts"]))  # type: ignore[arg-type]
def test_a_person_abroad_is_never_granted_a_first_permit(case: Case) -> None:
    """A person not staying in Sweden is never granted a first permit.

    5 kap. 15 § första stycket ("en utlänning som vistas här") [C] and andra stycket
    ("utlänningen", read as referring back [I]) UtlL (statutes.md; SFS 2007:322 the same,
    brief §3.1 A2, B2, §4.8 [SRC-02]); for the board's route too (brief settled section).
    """
    holds(lp.check_a_person_abroad_is_never_granted_a_first_permit, case)


@given(interesting())
def test_a_reflection_period_is_only_for_a_person_who_wants_one(case: Case) -> None:
    """Wanting time to recover and decide is a condition of the reflection period only.

    5 kap. 15 § andra stycket UtlL: brief §3.1 B3 [C, SRC-02].
    """
    holds(lp.check_a_reflection_period_is_only_for_a_person_who_wants_one, case)


@given(interesting())
def test_a_longer_reflection_period_needs_special_reasons(case: Case) -> None:
    """Special reasons are a condition of extending a reflection period, and of nothing else.

    5 kap. 15 § tredje stycket andra meningen UtlL ("särskilda skäl"): brief §3.1 E2 [C, SRC-02].
    """
    holds(lp.check_a_longer_reflection_period_needs_special_reasons, case)


@given(cases(**NEAR_GRANT))  # type: ignore[arg-type]
def test_when_every_condition_is_met_the_permit_shall_be_granted(case: Case) -> None:
    """Where the applicant has standing and every condition holds, the law's outcome follows.

    5 kap. 15 § första stycket ("ska ges", at least six months), andra stycket (30 days),
    tredje stycket ("får förlängas") UtlL (statutes.md; SFS 2007:322 brief §3.1 [C, SRC-02]);
    before 2007 brief §2.2 [S/I].
    """
    holds(lp.check_when_every_condition_is_met_the_permit_shall_be_granted, case)


@given(interesting())
def test_needs_review_only_where_an_open_question_decides(case: Case) -> None:
    """needs_review exactly where an open legal question decides the outcome (Q-V1, Q4 only).

    Brief settled section: Q1, Q2, Q3 settled by the statute text (statutes.md) and never named
    by a decision; Q-V1 (the 2006 wording, brief §2.2) and Q4 (a board application lodged
    before 2022-08-01, no transitional rule) still open; issue 3: needs_review is reserved for
    those cases and names exactly the question(s) deciding them.
    """
    holds(lp.check_needs_review_only_where_an_open_question_decides, case)


@given(interesting())
def test_needs_review_names_an_open_question(case: Case) -> None:
    """A needs_review always names at least one registered open question, also in words.

    Brief §0.1 ([NC]: do not encode as settled law) and §10; contract (issue 2, open_questions).
    """
    holds(lp.check_needs_review_names_an_open_question, case)


@given(interesting())
def test_a_refusal_states_each_unmet_condition_with_its_provision(case: Case) -> None:
    """unmet_conditions are exactly the conditions failed, each with its paragraph and point.

    5 kap. 15 § första stycket 1-4, andra stycket, tredje stycket UtlL (statutes.md; SFS
    2007:322: brief §3.1, the condition lists A1-A6, B1-B5, E1-E2 [SRC-02]).
    """
    holds(lp.check_a_refusal_states_each_unmet_condition_with_its_provision, case)


@given(interesting())
def test_a_grant_rests_on_5_kap_15(case: Case) -> None:
    """A grant cites the paragraph of 5 kap. 15 § that gives the permit, since 2022 also 4 st.

    5 kap. 15 § första, andra, tredje stycket UtlL: brief §0.3 (reference form), §3.1 [SRC-02];
    fjärde stycket första (FUL) or andra (board) meningen, SFS 2022:1015 (statutes.md).
    """
    holds(lp.check_a_grant_rests_on_5_kap_15, case)


@given(interesting())
def test_the_wording_applied_is_the_wording_in_force(case: Case) -> None:
    """The tables consulted and the wording cited are those in force on the decision date.

    Brief §2.1 (V1 SFS 2005:716 from 2006-03-31; V2 SFS 2007:322 from 2007-07-01) [SRC-01,
    SRC-02]; V3 SFS 2022:1015 from 2022-08-01 (statutes.md register; Q1 settled).
    """
    holds(lp.check_the_wording_applied_is_the_wording_in_force, case)


@given(interesting())
def test_every_citation_resolves_and_open_questions_follow_the_registry(case: Case) -> None:
    """Every source cited is registered, and every rule fired names the questions it rests on.

    Brief §0.1 (every fact carries its source marker), §9 (sources), §10 (open questions);
    issue 3 (registry; open questions consistent with the rows both ways).
    """
    holds(lp.check_every_citation_resolves_and_open_questions_follow_the_registry, case)


@given(interesting())
def test_eu_citizenship_never_changes_the_outcome(case: Case) -> None:
    """EU citizenship never changes outcome or permit; it is noted, with its sources.

    5 kap. 15 § UtlL covers all foreigners: brief §4.8 [S, SRC-42 (förarbeten quoted), SRC-19].
    """
    holds(lp.check_eu_citizenship_never_changes_the_outcome, case)


@given(interesting())
def test_a_childs_best_interests_are_noted(case: Case) -> None:
    """For a child the decision notes the child's best interests; it never changes the outcome.

    1 kap. 10 § UtlL: brief §4.9 [C, SRC-52].
    """
    holds(lp.check_a_childs_best_interests_are_noted, case)


@given(interesting(), st.data())
def test_the_decision_depends_only_on_the_case_and_the_wording_in_force(
    case: Case, data: st.DataObject
) -> None:
    """Moving decision_date within one version's interval never changes the Decision at all.

    Brief §2.1 (the law is applied as in force on the decision date; versions V1-V3);
    contract (issue 2, decision_date).
    """
    version = version_on(case.decision_date)
    other = data.draw(decision_dates(version=version.name), label="other decision date")
    message = lp.check_the_decision_depends_only_on_the_case_and_the_wording_in_force(
        SUBJECT, case, other_days=[other]
    )
    assert message is None, message
    holds(lp.check_the_decision_depends_only_on_the_case_and_the_wording_in_force, case)


@given(interesting())
def test_decisions_survive_a_json_round_trip(case: Case) -> None:
    """Decision.model_validate_json(d.model_dump_json()) == d for every generated case.

    Contract (issue 2: JSON and Python are the same pydantic models).
    """
    holds(lp.check_decisions_survive_a_json_round_trip, case)


@given(interesting())
def test_the_trace_accounts_for_the_decision(case: Case) -> None:
    """The trace shows the outcome and permit decided and every rule fired, in order.

    Contract (issue 2: rules_fired in evaluation order; trace per table).
    """
    holds(lp.check_the_trace_accounts_for_the_decision, case)


# --- The property suite itself -----------------------------------------------------------------


@given(st.one_of(interesting(), interesting(applicant="social_welfare_board")))
def test_who_may_apply_rests_on_its_own_provisions(case: Case) -> None:
    """The standing step routes as the law does and rests on exactly the paragraphs that say who
    may apply: 5 kap. 15 § 4 st 1-2 men. with the permit's own paragraph (SFS 2022:1015,
    statutes.md); the permit's paragraph, or 1 and 2 st, in SFS 2007:322 (brief §2.3)."""
    holds(lp.check_who_may_apply_rests_on_its_own_provisions, case)


@given(interesting(decided_between=SINCE_2022))
def test_a_refusal_says_who_may_appeal_it(case: Case) -> None:
    """14 kap. 4 § UtlL (SFS 2022:1015, statutes.md): only the förundersökningsledare or, where
    the board applied, only the board may appeal a refusal; brief settled section, Q6."""
    holds(lp.check_a_refusal_says_who_may_appeal_it, case)


@given(interesting(decided_between=SINCE_2022, applicant="social_welfare_board"))
def test_the_boards_guidance_is_shown_where_it_explains_the_text(case: Case) -> None:
    """Migrationsverket's page for boards [SRC-20] beside 5 kap. 15 § 1 st 1 p. and 2 st where
    it explains them (brief settled section: no investigation need have started)."""
    holds(lp.check_the_boards_guidance_is_shown_where_it_explains_the_text, case)


@given(interesting(decided_between=SINCE_2022, applicant="social_welfare_board"))
def test_the_report_on_children_and_relatives_is_shown(case: Case) -> None:
    """The 2024 report, fn. 7 and 8 (5 kap. 15 § 1 and 4 st; prop. 2021/22:224 s. 93, 119),
    beside the statute for a child or relative who is not a presumed victim (brief §3.2 F1)."""
    holds(lp.check_the_report_on_children_and_relatives_is_shown, case)


@given(interesting())
def test_the_sources_behind_a_remark_and_a_missing_permit_are_shown(case: Case) -> None:
    """1 kap. 10 § UtlL as read, with [SRC-52] beside it; before 2007 no reflection period,
    from Ds 2005:24 with SFS 2007:322 beside it (brief §2.2 p. 5, §4.9)."""
    holds(lp.check_the_sources_behind_a_remark_and_a_missing_permit_are_shown, case)


TESTS = {
    name.removeprefix("test_"): function
    for name, function in globals().items()
    if name.startswith("test_") and callable(function)
}


@pytest.mark.parametrize("prop", lp.PROPERTIES, ids=lambda prop: prop.name)
def test_every_principle_has_a_property_test_with_its_citation(prop: lp.LegalProperty) -> None:
    """Each check the mutation runner uses is a test here, whose docstring cites its source."""
    assert prop.name in TESTS, f"no test_{prop.name} in this module"
    doc = inspect.getdoc(TESTS[prop.name]) or ""
    assert any(mark in doc for mark in ("§", "Contract (issue", "contract (issue")), doc
    assert prop.citation.strip()


def test_at_least_fourteen_legal_properties() -> None:
    assert len(lp.PROPERTIES) >= 14


def test_the_laws_dates_are_the_table_versions() -> None:
    """The brief's dates the properties use are exactly where the table set changes wording.

    Brief §2.1: V1 from 2006-03-31 [C, SRC-01]; statutes.md: V2 from 2007-07-01 (SFS 2007:322
    transitional point 1, Q3 settled), V3 from 2022-08-01 (SFS 2022:1015 transitional point 1).
    If a version moves, the properties must move with the law.
    """
    assert [version.first_day for version in versions()] == [
        lp.ACT_IN_FORCE,
        lp.SFS_2007_322_IN_FORCE,
        lp.AMENDMENT_2022_IN_FORCE,
    ]
