"""Revocation as the law says it, restated from the statute text, for the tests and the mutation
runner: never read from the tables.

Read in ``../shared/legal/statutes.md``: 7 kap. 7 b § (wording of SFS 2022:1015: a 5 kap. 15 §
permit may, beyond the general grounds, be revoked if its conditions are no longer met, not
before whoever applied for it has had the chance to comment), 7 kap. 7 c § (SFS 2014:655: a
15 b § permit only if its conditions no longer exist and only on the Police Authority's
application; a 16 a § permit not before the Police Authority has had the chance to comment),
14 kap. 4 § (SFS 2022:1015: a revocation of a 15 § permit is appealed only by the
förundersökningsledare or, where the board applied, only by the board) and 4 a § (SFS 2014:655:
a decision on revoking a 15 b § permit, appealed only by the Police Authority); the register
(7 kap. 7 b § new by SFS 2007:322 from 2007-07-01; 7 kap. 7 c § and 14 kap. 4 a § new by
SFS 2010:533 from 2010-07-01) and SFS 2007:322's transitional point 2 (7 kap. 7 b § does not
apply to permits granted before 2007-07-01). 5 kap. 15 § andra stycket: a reflection period
rests on the first paragraph's points 1 and 4 only.

Where the text was not read, the expectation names the open question the decision must name:
the 2007 wording of 7 kap. 7 b § (Q5), the 2010 wording of 7 kap. 7 c § second paragraph and
14 kap. 4 a § (Q18), the 2007 wording of 14 kap. 4 § (Q6), and whether the transitional point
still holds for the 2022 wording (Q20).

Plain Python: :func:`check_revocation_by_law` consults only ``decide``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from betanketid_rules import Case, Citation, Decision
from betanketid_rules._types import CeasedCondition, PermitRequested

SFS_2007_322 = dt.date(2007, 7, 1)
SFS_2010_533 = dt.date(2010, 7, 1)
SFS_2014_655 = dt.date(2015, 1, 1)
SFS_2022_1015 = dt.date(2022, 8, 1)

REFLECTION = frozenset({"reflection_period", "reflection_period_extension"})
EVIDENCE = frozenset({"evidence_person", "evidence_person_extension"})
#: The conditions of each 15 § permit, by the case's names (5 kap. 15 § första stycket 1-4; a
#: reflection period: points 1 and 4, andra stycket).
CONDITIONS = {
    **dict.fromkeys(REFLECTION, frozenset({"needed_for_investigation", "public_order"})),
    **dict.fromkeys(
        EVIDENCE,
        frozenset(
            {"needed_for_investigation", "willing_to_cooperate", "ties_broken", "public_order"}
        ),
    ),
}

#: A provision as (chapter, section, paragraph or None for any).
Provision = tuple[int, str, int | None]
#: A citation as (act, chapter, section, paragraph, point, sentence, wording, read in, role,
#: status): which provision, in which wording, read where, and how firm.
Cited = tuple[str, int | None, str | None, int | None, int | None, int | None, str, str, str, str]

UTLL = "2005:716"
#: Where each wording was read (statutes.md: the consolidated text UTLL-CONS holds the
#: wordings of SFS 2014:655 and 2022:1015 and the transitional provisions; the print of
#: SFS 2007:322 (SRC-02) and the brief's reading of SFS 2010:533 (SRC-15) the older ones).
TODAY_7B = ("SFS 2022:1015", "UTLL-CONS")
OLD_7B = ("SFS 2007:322", "SRC-02")
TODAY_7C = ("SFS 2014:655", "UTLL-CONS")
OLD_7C = ("SFS 2010:533", "SRC-15")
SFS_2013_646 = dt.date(2013, 8, 1)


def cited(
    section: str,
    paragraph: int | None,
    wording: tuple[str, str],
    role: str = "basis",
    status: str = "confirmed",
    *,
    chapter: int = 7,
    sentence: int | None = None,
) -> Cited:
    """A citation of utlänningslagen."""
    return (UTLL, chapter, section, paragraph, None, sentence, *wording, role, status)


def _7b(day: dt.date, paragraph: int | None) -> set[Cited]:
    """7 kap. 7 b §: today's wording from 2022-08-01; before, the 2007 wording (not read:
    inferred) beside today's as context."""
    if day >= SFS_2022_1015:
        return {cited("7 b", paragraph, TODAY_7B)}
    return {
        cited("7 b", paragraph, OLD_7B, status="inferred"),
        cited("7 b", paragraph, TODAY_7B, role="context"),
    }


def _5_15(day: dt.date, paragraph: int) -> set[Cited]:
    wording = TODAY_7B if day >= SFS_2022_1015 else OLD_7B  # 5 kap. 15 § by the same acts
    return {cited("15", paragraph, wording, chapter=5)}


def _7c(day: dt.date, paragraph: int) -> set[Cited]:
    """7 kap. 7 c §: SFS 2014:655 from 2015-01-01; before, SFS 2010:533 as the brief reads
    it (its second paragraph not given there: inferred, beside today's as context)."""
    if day >= SFS_2014_655:
        return {cited("7 c", paragraph, TODAY_7C)}
    if paragraph == 1:
        return {cited("7 c", 1, OLD_7C)}
    return {
        cited("7 c", 2, OLD_7C, status="inferred"),
        cited("7 c", 2, TODAY_7C, role="context"),
    }


#: SFS 2007:322's transitional point 2, read in the consolidated text.
TRANSITIONAL: Cited = ("2007:322", None, None, None, 2, None, "SFS 2007:322", "UTLL-CONS",
                       "basis", "confirmed")  # fmt: skip


def _appeal_14_4(day: dt.date) -> set[Cited]:
    if day >= SFS_2022_1015:
        return {cited("4", None, TODAY_7B, chapter=14, sentence=n) for n in (1, 2)}
    return {
        cited("4", None, OLD_7B, status="inferred", chapter=14),
        cited("4", None, TODAY_7B, role="context", chapter=14),
    }


def _appeal_14_4_a(day: dt.date) -> set[Cited]:
    if day >= SFS_2014_655:
        return {cited("4 a", None, TODAY_7C, chapter=14, sentence=n) for n in (1, 2)}
    return {
        cited("4 a", None, OLD_7C, status="inferred", chapter=14),
        cited("4 a", None, TODAY_7C, role="context", chapter=14),
    }


@dataclass(frozen=True)
class Expected:
    """What a revocation decision must say."""

    outcome: str
    #: The decision's open questions, exactly.
    questions: frozenset[str]
    #: Provisions of utlänningslagen the legal basis must cite.
    provisions: tuple[Provision, ...]
    #: (chapter 7 section, the wording its basis citations must name), or None.
    wording: tuple[str, str] | None
    #: The appeal effects, exactly, each with the open questions it must name.
    appeals: frozenset[tuple[str, frozenset[str]]]
    #: Every citation of the legal basis, exactly (see :func:`citation_key`).
    citations: frozenset[Cited] = frozenset()
    #: Every citation of the appeal effects, exactly.
    appeal_citations: frozenset[Cited] = frozenset()
    #: What the rule giving the outcome cites, exactly, where it is not all of ``citations``
    #: (the transitional rule, when it applies, cites point 2 of its own).
    outcome_citations: frozenset[Cited] | None = None


def _wording_7b(day: dt.date) -> str:
    return "SFS 2022:1015" if day >= SFS_2022_1015 else "SFS 2007:322"


def _wording_7c(day: dt.date) -> str:
    return "SFS 2014:655" if day >= SFS_2014_655 else "SFS 2010:533"


def _section_15(case: Case, day: dt.date) -> Expected:
    assert case.revocation is not None
    q5 = frozenset({"Q5"}) if day < SFS_2022_1015 else frozenset()
    paragraph = 2 if case.permit in REFLECTION else 1  # of 5 kap. 15 §
    if case.revocation.granted_on < SFS_2007_322:
        context = cited("7 b", None, TODAY_7B, role="context")
        if day >= SFS_2022_1015:  # the 2022 wording: the exclusion is inferred (Q20)
            own = {TRANSITIONAL, cited("7 b", None, TODAY_7B, status="inferred")}
            return Expected(
                "not_applicable",
                frozenset({"Q20"}),
                (),
                None,
                frozenset(),
                frozenset(own | {context}),
                outcome_citations=frozenset(own),
            )
        return Expected(
            "not_applicable", frozenset(), (), None, frozenset(), frozenset({TRANSITIONAL, context})
        )
    ceased = case.revocation.condition_no_longer_met
    wording = ("7 b", _wording_7b(day))
    if ceased == "none":
        citations = _7b(day, 1)
        return Expected(
            "no_ground", q5, ((7, "7 b", 1),), wording, frozenset(), frozenset(citations)
        )
    if ceased not in CONDITIONS[case.permit]:
        citations = _7b(day, 1) | _5_15(day, paragraph)
        return Expected(
            "no_ground", q5, ((7, "7 b", 1),), wording, frozenset(), frozenset(citations)
        )
    if not case.revocation.applicant_heard:
        citations = _7b(day, 2) | _5_15(day, paragraph)
        return Expected(
            "hear_first", q5, ((7, "7 b", 2),), wording, frozenset(), frozenset(citations)
        )
    appeals: set[tuple[str, frozenset[str]]] = set()
    q6 = frozenset({"Q6"}) if day < SFS_2022_1015 else frozenset()
    appeal_citations: set[Cited] = set()
    if case.applicant == "preliminary_investigation_leader":
        appeals.add(("appeal_by_investigation_leader_only", q6))
        appeal_citations = _appeal_14_4(day)
    elif case.applicant == "social_welfare_board" and day >= SFS_2022_1015:
        appeals.add(("appeal_by_board_only", frozenset()))
        appeal_citations = _appeal_14_4(day)
    return Expected(
        "may_revoke",
        q5,
        ((7, "7 b", 1), (7, "7 b", 2)),
        wording,
        frozenset(appeals),
        frozenset(_7b(day, 1) | _7b(day, 2) | _5_15(day, paragraph)),
        frozenset(appeal_citations),
    )


def _section_15_b(case: Case, day: dt.date) -> Expected:
    assert case.revocation is not None
    ceased = case.revocation.condition_no_longer_met == "special_personal_security"
    police = case.revocation.police_applied
    if ceased and police:
        outcome = "may_revoke"
    elif ceased:
        outcome = "police_must_apply"
    else:
        outcome = "no_ground"
    appeals: frozenset[tuple[str, frozenset[str]]] = frozenset()
    appeal_citations: frozenset[Cited] = frozenset()
    if police and outcome != "police_must_apply":
        q18 = frozenset({"Q18"}) if day < SFS_2014_655 else frozenset()
        appeals = frozenset({("appeal_by_police_only", q18)})
        appeal_citations = frozenset(_appeal_14_4_a(day))
    return Expected(
        outcome,
        frozenset(),
        ((7, "7 c", 1),),
        ("7 c", _wording_7c(day)),
        appeals,
        frozenset(_7c(day, 1)),
        appeal_citations,
    )


#: The sections that came after 7 kap. 7 b §: for each neighbouring permit, the day its section
#: came, the section that would decide its revocation (7 kap. 7 c § for 15 b and 16 a §§, none
#: for 15 d §: the permit's own section stands for it) and the permit sections the act added.
_SFS_2010_533_SECTIONS = (
    cited("15 b", None, ("SFS 2010:533", "SRC-15"), role="context", chapter=5),
    cited("16 a", None, ("SFS 2010:533", "SRC-15"), role="context", chapter=5),
)
LATER_SECTIONS: dict[str, tuple[dt.date, tuple[int, str], tuple[Cited, ...]]] = {
    "protected_person": (SFS_2010_533, (7, "7 c"), _SFS_2010_533_SECTIONS),
    "protected_person_permanent": (SFS_2010_533, (7, "7 c"), _SFS_2010_533_SECTIONS),
    "pay_claim": (SFS_2013_646, (5, "15 d"), (
        cited("15 d", None, ("SFS 2013:646", "UTLL-CONS"), role="context", chapter=5),
    )),
}  # fmt: skip


def _not_yet(permit: str, day: dt.date) -> Expected | None:
    """A permit whose section did not exist yet on ``day`` cannot be revoked: the register
    (SRC-01) says when the section came, whatever the unread 2007 wording of 7 kap. 7 b § said,
    so the decision rests on no open question."""
    if permit not in LATER_SECTIONS:
        return None
    came, (chapter, section), later = LATER_SECTIONS[permit]
    if day >= came:
        return None
    register: Cited = (UTLL, chapter, section, None, None, None, "SFS 2005:716", "SRC-01",
                       "basis", "secondary")  # fmt: skip
    return Expected(
        "not_applicable", frozenset(), (), None, frozenset(), frozenset({register, *later})
    )


def revocation_by_law(case: Case) -> Expected:
    """What the law says of the revocation ``case`` (decided on its decision date)."""
    assert case.matter == "revocation" and case.revocation is not None
    day = case.decision_date
    if day < SFS_2007_322:  # no 7 kap. 7 b § yet: the register (SRC-01) says so
        register: Cited = (UTLL, 7, "7 b", None, None, None, "SFS 2005:716", "SRC-01", "basis",
                           "secondary")  # fmt: skip
        return Expected(
            "not_applicable", frozenset(), ((7, "7 b", None),), None, frozenset(),
            frozenset({register}),
        )  # fmt: skip
    if case.permit in CONDITIONS:
        return _section_15(case, day)
    q5 = frozenset({"Q5"}) if day < SFS_2022_1015 else frozenset()
    not_yet = _not_yet(case.permit, day)
    if not_yet is not None:
        return not_yet
    if case.permit == "pay_claim":  # neither 7 b § (15 §) nor 7 c § (15 b, 16 a §§)
        citations = _7b(day, 1) | _7c(day, 1)
        citations.add(("2005:716", 5, "15 d", None, None, None, "SFS 2013:646", "UTLL-CONS",
                       "basis", "confirmed"))  # fmt: skip
        return Expected(
            "not_applicable", q5, ((7, "7 b", 1),), None, frozenset(), frozenset(citations)
        )
    if case.permit == "protected_person":
        return _section_15_b(case, day)
    # 16 a §: 7 c § second paragraph; no ground of its own.
    outcome = "no_ground" if case.revocation.applicant_heard else "hear_first"
    q18 = frozenset({"Q18"}) if day < SFS_2014_655 else frozenset()
    return Expected(
        outcome, q18, ((7, "7 c", 2),), ("7 c", _wording_7c(day)), frozenset(),
        frozenset(_7c(day, 2)),
    )  # fmt: skip


def _cites(decision: Decision, provision: Provision) -> bool:
    chapter, section, paragraph = provision
    return any(
        c.act == "2005:716"
        and c.chapter == chapter
        and c.section == section
        and (paragraph is None or c.paragraph == paragraph)
        for c in decision.legal_basis
    )


def check_revocation_by_law(decide: Callable[[Case], Decision], case: Case) -> str | None:  # noqa: PLR0911, PLR0912
    """The decision of a revocation ``case`` says what the law says (None), or how not."""
    if case.matter != "revocation":
        return None
    expected = revocation_by_law(case)
    decision = decide(case)
    where = f"{case.model_dump_json()}"
    if decision.outcome != expected.outcome:
        return f"outcome {decision.outcome}, the law: {expected.outcome}, for {where}"
    if decision.permit is not None:
        return f"a revocation gives a permit ({decision.permit}), for {where}"
    if frozenset(decision.open_questions) != expected.questions:
        return (
            f"open questions {sorted(decision.open_questions)}, the law: "
            f"{sorted(expected.questions)}, for {where}"
        )
    for provision in expected.provisions:
        if not _cites(decision, provision):
            return f"7 kap. {provision[1]} § ({provision[2]}) not cited, for {where}"
    if expected.wording is not None:
        section, wording = expected.wording
        found = {
            c.wording
            for c in decision.legal_basis
            if c.chapter == 7 and c.section == section and c.role == "basis"
        }
        if found != {wording}:
            return f"7 kap. {section} § cited as worded by {sorted(found)}, not {wording}: {where}"
    appeals = frozenset(
        (effect.effect, frozenset(effect.open_questions)) for effect in decision.effects
    )
    if appeals != expected.appeals:
        return f"appeal {sorted(appeals)}, the law: {sorted(expected.appeals)}, for {where}"
    found = frozenset(map(citation_key, decision.legal_basis))
    if found != expected.citations:
        missing, extra = sorted(expected.citations - found), sorted(found - expected.citations)
        return f"legal basis lacks {missing}, has besides {extra}, for {where}"
    effect_citations = frozenset(
        citation_key(c) for effect in decision.effects for c in effect.citations
    )
    if effect_citations != expected.appeal_citations:
        return (
            f"the appeal cites {sorted(effect_citations)}, the law: "
            f"{sorted(expected.appeal_citations)}, for {where}"
        )
    for step in decision.trace:
        if len(step.fired) > 1:  # each question of a revocation has one answer, one rule
            return f"{step.table} fired {len(step.fired)} rows, for {where}"
    # The rule that gives the outcome rests on the provisions that decide it.
    wanted_own = expected.outcome_citations or expected.citations
    for step in decision.trace:
        if "outcome" in step.outputs:
            own = frozenset(citation_key(c) for row in step.fired for c in row.citations)
            if own != wanted_own:
                law = sorted(wanted_own)
                return f"the outcome's rule cites {sorted(own)}, the law: {law}: {where}"
    # From 2007-07-01 the trace lists who can appeal (a list, perhaps empty) as the effects do.
    lists = [v for step in decision.trace for v in step.outputs.values() if isinstance(v, tuple)]
    wanted = [tuple(effect.effect for effect in decision.effects)]
    if lists != (wanted if case.decision_date >= SFS_2007_322 else []):
        return f"the trace lists the appeals as {lists}, the effects say {wanted}, for {where}"
    return None


def citation_key(citation: Citation) -> Cited:
    """A decision's citation as :data:`Cited`."""
    return (
        citation.act or "",
        citation.chapter,
        citation.section,
        citation.paragraph,
        citation.point,
        citation.sentence,
        citation.wording,
        citation.source,
        citation.role,
        citation.status,
    )


#: The applicants a revocation sample varies: who applied for the permit decides the appeal.
SAMPLE_APPLICANTS = ("preliminary_investigation_leader", "social_welfare_board", "police_authority")


def revocation_sample(
    days: list[dt.date],
    applicants: tuple[str, ...] = SAMPLE_APPLICANTS,
    granted_on: tuple[dt.date, ...] = (SFS_2007_322 - dt.timedelta(days=1), SFS_2007_322),
) -> Iterator[Case]:
    """Every revocation case a table can tell apart, decided on each of ``days``: each permit,
    condition, hearing and police application, for ``applicants`` (by default those that
    matter), the permit granted on each of ``granted_on`` not after the decision date (by
    default the day before 2007-07-01 and that day; the decision date itself where none is)."""
    for day in days:
        grants = [g for g in granted_on if g <= day]
        if not grants:
            grants = [day]
        for applicant, permit, ceased, heard, police, granted in itertools.product(
            applicants,
            typing.get_args(PermitRequested),
            typing.get_args(CeasedCondition),
            (False, True),
            (False, True),
            grants,
        ):
            yield Case(
                decision_date=day,
                applicant=applicant,
                permit=permit,
                matter="revocation",
                revocation={
                    "granted_on": granted,
                    "condition_no_longer_met": ceased,
                    "applicant_heard": heard,
                    "police_applied": police,
                },
            )
