"""The law's principles as plain checks, shared by the property tests and the mutation runner.

Each ``check_<principle>(subject, case)`` returns ``None`` when the principle holds for
``case`` (and for the variants of it that the principle compares it with), and otherwise a
message saying how it is broken. ``subject`` bundles the ``decide`` function under test with
the table set whose source registry and open questions the decisions cite, so the same check
runs against the shipped tables (``tests/test_properties.py``, with hypothesis) and against a
mutated copy (``tools/mutation/run.py``, over a fixed sample).

A principle is declared in one place: its check, decorated with :func:`principle`. The
docstring states the principle; the decorator's ``cites`` names the provision and where it is
read (written once, nowhere else), and its ``drawn_from`` describes, as plain :class:`Draw`
data, the cases the property test draws. The decorator adds the principle to
:data:`PROPERTIES`, in declaration order; ``tests/test_properties.py`` builds one hypothesis
test per entry and the mutation runner tries them in that order.

The principles are stated from the law, not from the tables: from the statute text where it
has been read (``../shared/legal/statutes.md``: 5 kap. 15 § in the wording of SFS 2022:1015,
the register of amending acts and the transitional provisions), otherwise from the legal brief
(``../shared/legal/brief.md``), whose section "Settled after this brief was written" wins over
the rest of it (it settles Q1, Q2, Q3 and parts of Q4, Q8, Q15, and replaces the §2.4 working
model). The helpers below (:func:`route_by_law`, :func:`conditions_by_law`,
:func:`outcome_by_law`) restate that law and the contract's rules on ``needs_review`` (issue
3), and every check names its provision and source. Where a point is still NOT CONFIRMED (the
original 2006 wording, Q-V1; a board application lodged before 2022-08-01, Q4), the helpers
follow the reading the contract prescribes (``needs_review`` naming the open question), so a
check never settles an open question; and a settled question never decides a case.

Plain Python, no pytest or hypothesis: a check must be cheap and deterministic, and must
consult only ``subject.decide`` (never the engine or the tables directly) so a mutated table
set is seen.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from betanketid_rules import Case, Citation, Decision
from betanketid_rules._engine import decide_with
from betanketid_rules._tables import TableSet

Decide = Callable[[Case], Decision]
Check = Callable[["Subject", Case], "str | None"]
Wording = Literal["V1", "V2", "V3"]


@dataclass(frozen=True)
class Subject:
    """What the checks run against: a decide function and the table set it evaluates."""

    decide: Decide
    table_set: TableSet

    @classmethod
    def of(cls, table_set: TableSet, engine: str = "native") -> Subject:
        """Decide with ``engine`` over ``table_set``."""
        return cls(lambda case: decide_with(table_set, case, engine), table_set)


# --- The law's dates (brief §2.1; statutes.md, register and transitional provisions) ---------

#: Utlänningslagen (2005:716) in force (brief §2.1 V1 [C], SRC-01).
ACT_IN_FORCE = dt.date(2006, 3, 31)
#: SFS 2007:322 in force: the 6-month / 30-day structure (its transitional point 1, statutes.md;
#: brief settled section, Q3 settled).
SFS_2007_322_IN_FORCE = dt.date(2007, 7, 1)
#: SFS 2022:1015 (prop. 2021/22:224) in force: the fourth paragraph, the board's standing (its
#: transitional point 1, statutes.md; brief settled section, Q1 settled).
AMENDMENT_2022_IN_FORCE = dt.date(2022, 8, 1)
#: The same date under the act's own name.
SFS_2022_1015_IN_FORCE = AMENDMENT_2022_IN_FORCE
#: SFS 2010:533 in force: new 5 kap. 15 b and 16 a §§ and 14 kap. 4 a § (statutes.md, register;
#: brief §4.2: on the application of Rikspolisstyrelsen).
SFS_2010_533_IN_FORCE = dt.date(2010, 7, 1)
#: SFS 2014:655 in force: Polismyndigheten in 5 kap. 15 b, 16 a §§ and 14 kap. 4 a §
#: (statutes.md, register).
SFS_2014_655_IN_FORCE = dt.date(2015, 1, 1)
#: SFS 2013:646 in force (statutes.md, register): 5 kap. 15 d §, which UtlF 8 kap. 10 j § refers
#: to; the same day SFS 2013:647 re-worded lag (2008:344) 4 § (brief §4.6), later amendments of
#: which were not read (Q10).
SFS_2013_646_IN_FORCE = dt.date(2013, 8, 1)
#: The permits beside 5 kap. 15 §: 15 b § (the police, special personal-security work), 16 a §
#: (permanent, after a 15 b § permit) and 15 d § (the person's own application, after a 15 §
#: permit; SFS 2013:646 from 2013-08-01).
POLICE_PERMITS = frozenset({"protected_person", "protected_person_permanent"})
NEIGHBOUR_PERMITS = POLICE_PERMITS | {"pay_claim"}


def wording_on(day: dt.date) -> Wording:
    """The brief's name of the wording of 5 kap. 15 § in force on ``day``."""
    if day >= AMENDMENT_2022_IN_FORCE:
        return "V3"
    if day >= SFS_2007_322_IN_FORCE:
        return "V2"
    return "V1"


# --- Words of the law ------------------------------------------------------------------------

FUL = "preliminary_investigation_leader"
BOARD = "social_welfare_board"
#: Applicants 5 kap. 15 § never lists (brief §1 item 1: "never by the foreigner"; SRC-42).
UNLISTED = frozenset({"police_authority", "the_person", "other"})
#: BrB 4 kap. 1 a § (trafficking) and 1 b § (exploitation): the crimes that give the board
#: standing, 5 kap. 15 § 4 st 2 men. (statutes.md). They limit only the board.
VICTIM_OFFENCES = frozenset({"trafficking", "exploitation"})
#: Questions the statute text settled (brief settled section): none may decide a case.
SETTLED_QUESTIONS = frozenset({"Q1", "Q2", "Q3"})
#: The only open questions that still decide a case: the original 2006 wording (Q-V1) and a
#: board application lodged before 2022-08-01 (Q4).
DECIDING_QUESTIONS = frozenset({"Q-V1", "Q4"})
FIRST_PERMITS = frozenset({"reflection_period", "evidence_person"})
EXTENSIONS = {
    "reflection_period_extension": "reflection_period",
    "evidence_person_extension": "evidence_person",
}
GRANTS = frozenset({"grant", "may_grant"})
#: How good an outcome is for the person: a principle that says "never helps" compares these.
RANK = {"no_standing": 0, "refuse": 0, "needs_review": 1, "may_grant": 2, "grant": 3}


def permit_type_of(requested: str) -> str:
    """The permit type a request concerns: an extension keeps the type it extends."""
    return EXTENSIONS.get(requested, requested)


def lodged_before_amendment(case: Case) -> bool:
    """The application was lodged before SFS 2022:1015 entered into force (Q4)."""
    return case.application_date is not None and case.application_date < AMENDMENT_2022_IN_FORCE


@dataclass(frozen=True)
class Provision:
    """A provision as a decision cites it; ``None`` in ``source``/``sentence`` matches any."""

    act: str | None = "2005:716"
    chapter: int | None = 5
    section: str | None = "15"
    paragraph: int | None = None
    point: int | None = None
    sentence: int | None = None
    source: str | None = None
    pages: str | None = None

    def matches(self, citation: Citation) -> bool:
        return (
            citation.act == self.act
            and citation.chapter == self.chapter
            and citation.section == self.section
            and citation.paragraph == self.paragraph
            and citation.point == self.point
            and (self.sentence is None or citation.sentence == self.sentence)
            and (self.source is None or citation.source == self.source)
            and (self.pages is None or citation.pages == self.pages)
        )

    def __str__(self) -> str:
        text = f"{self.act} {self.chapter}:{self.section}"
        for label, value in (("st", self.paragraph), ("men", self.sentence), ("p", self.point)):
            if value is not None:
                text += f" {label} {value}"
        text += f" [{self.source}]" if self.source else ""
        return text + (f" p. {self.pages}" if self.pages else "")


def utl_5_15(
    paragraph: int | None = None,
    point: int | None = None,
    sentence: int | None = None,
    source: str | None = None,
) -> Provision:
    """5 kap. 15 § utlänningslagen (2005:716), optionally a paragraph, point and sentence."""
    return Provision(paragraph=paragraph, point=point, sentence=sentence, source=source)


def preparatory_work(source: str, pages: str | None = None) -> Provision:
    """A preparatory work cited as such (no act), e.g. prop. 2021/22:224 (SRC-09) p. 119."""
    return Provision(act=None, chapter=None, section=None, source=source, pages=pages)


def brb_4(section: str, source: str | None = None) -> Provision:
    """Brottsbalken (1962:700) 4 kap. ``section`` (``"1 a"``, ``"1 b"``)."""
    return Provision(act="1962:700", chapter=4, section=section, source=source)


def cites(decision: Decision, provision: Provision) -> bool:
    """Whether the decision's legal basis cites ``provision``."""
    return any(provision.matches(citation) for citation in decision.legal_basis)


def _provision_key(provision: Provision) -> tuple[object, ...]:
    return (
        provision.act,
        provision.chapter,
        provision.section,
        provision.paragraph,
        provision.point,
        provision.sentence,
    )


def _provision_of(citation: Citation) -> tuple[object, ...]:
    return (
        citation.act,
        citation.chapter,
        citation.section,
        citation.paragraph,
        citation.point,
        citation.sentence,
    )


# --- The law as the brief states it ------------------------------------------------------------

Route = Literal[
    "evidence_person",
    "evidence_person_extension",
    "reflection_period",
    "reflection_period_extension",
    "board_reflection",
    "protected_person",
    "protected_person_permanent",
    "pay_claim",
    "no_standing",
    "open",
]


def _neighbour_route(case: Case) -> Route:
    """15 b and 16 a §§: on the police's application only, from SFS 2010:533; 15 d §: "efter
    egen ansökan", the person's own application, from SFS 2013:646."""
    if case.permit in POLICE_PERMITS:
        police = case.applicant == "police_authority"
        if police and case.decision_date >= SFS_2010_533_IN_FORCE:
            return (
                "protected_person"
                if case.permit == "protected_person"
                else ("protected_person_permanent")
            )
        return "no_standing"
    own = case.applicant == "the_person" and case.decision_date >= SFS_2013_646_IN_FORCE
    return "pay_claim" if own else "no_standing"


def route_by_law(case: Case) -> tuple[Route, tuple[str, ...]]:
    """Who may apply for what on the decision date, and the open questions that decide it.

    V1 (brief §2.2): only the förundersökningsledare. No reflection period existed before SFS
    2007:322 (§2.2 point 5), so a request for one, or for its extension, has no standing. The
    evidence-person permit may be requested; whether it could be extended is part of the
    unread original wording (Q-V1, brief settled section "Still open"), so that request is open.
    V2 (§2.3, §3.1): the förundersökningsledare, all four requests (1-3 st). V3 (statutes.md,
    SFS 2022:1015): 4 st 1 men., the förundersökningsledare applies for every permit and
    extension, whatever the crime; 4 st 2 men., the board may also apply for the permit under
    2 st, and only that, where there is reason to believe the foreigner the application is for
    was subjected to BrB 4:1 a/1 b. A board's extension request is no_standing whatever the
    offence and the lodging date. Whether the new standing reaches a board application lodged
    before 2022-08-01 is open (Q4: no transitional rule, statutes.md).
    """
    wording = wording_on(case.decision_date)
    if case.permit in NEIGHBOUR_PERMITS:
        return _neighbour_route(case), ()
    if case.applicant == FUL:
        if wording == "V1" and permit_type_of(case.permit) == "reflection_period":
            return "no_standing", ()
        if wording == "V1" and case.permit == "evidence_person_extension":
            return "open", ("Q-V1",)
        return case.permit, ()
    board_may_apply = (
        case.applicant == BOARD
        and wording == "V3"
        and case.permit == "reflection_period"
        and case.facts.presumed_offence in VICTIM_OFFENCES
    )
    if board_may_apply:
        return ("open", ("Q4",)) if lodged_before_amendment(case) else ("board_reflection", ())
    return "no_standing", ()


@dataclass(frozen=True)
class Condition:
    """A condition of a permit: its name, whether the case fails it, and where it is written.

    ``open_questions`` is set where the condition's application is itself an open question;
    failing it then leads to ``needs_review`` instead of a refusal. Since the 2022 text was read
    no condition is open (the victim condition of the §2.4 working model does not exist, Q2;
    point 1 binds the board, Q8 in part): the field stays for a question that reopens one.
    """

    name: str
    failed: bool
    provision: Provision
    open_questions: tuple[str, ...] = ()


def conditions_by_law(case: Case, route: Route) -> tuple[Condition, ...]:  # noqa: PLR0911
    """The conditions the law sets for ``route`` on the decision date.

    Brief §2.2 (V1), §2.3 and §3.1 (V2); statutes.md 5 kap. 15 § 1-3 st (V3, SFS 2022:1015:
    the first three paragraphs unchanged in substance, brief settled section).
    """
    facts, person = case.facts, case.person
    if route in NEIGHBOUR_PERMITS:
        return _neighbour_conditions(case, route)
    wording = wording_on(case.decision_date)
    abroad = not person.in_sweden
    not_needed = not facts.needed_for_investigation
    if wording == "V1":
        if route != "evidence_person":
            return ()
        # §2.2 points 2-3 [S]: in Sweden; stay justified for the investigation or hearing.
        return (
            Condition("in_sweden", abroad, utl_5_15()),
            Condition("needed_for_investigation", not_needed, utl_5_15()),
        )
    p1 = Condition("needed_for_investigation", not_needed, utl_5_15(1, 1))
    p2 = Condition("willing_to_cooperate", not facts.willing_to_cooperate, utl_5_15(1, 2))
    p3 = Condition("ties_broken", not facts.ties_broken, utl_5_15(1, 3))
    p4 = Condition("public_order", facts.public_order_objection, utl_5_15(1, 4))
    wants = Condition("wants_reflection_period", not facts.wants_reflection_period, utl_5_15(2))
    if route == "evidence_person":  # 1 st: in Sweden and points 1-4 (A2-A6)
        return (Condition("in_sweden", abroad, utl_5_15(1)), p1, p2, p3, p4)
    if route == "evidence_person_extension":  # 3 st 1 men: points 1-4 still met (E1)
        return (p1, p2, p3, p4)
    if route in ("reflection_period", "board_reflection"):
        # 2 st, whoever applies (statutes.md; brief settled section): the person wants a
        # reflection period and 1 st points 1 and 4 are met; staying here is read from 1 st
        # ("en utlänning som vistas här") into 2 st's "utlänningen" [I]. No victim condition
        # (the BrB 4:1 a/1 b test is in 4 st 2 men., a matter of the board's standing), and
        # point 1 is a plain condition for the board too (Q8 asks only how the fact is
        # established, not whether it applies).
        return (Condition("in_sweden", abroad, utl_5_15(2)), p1, p4, wants)
    if route == "reflection_period_extension":  # 3 st 2 men: special reasons, 1 and 4 (E2)
        special = Condition(
            "special_reasons", not facts.special_reasons_longer_reflection, utl_5_15(3, None, 2)
        )
        return (p1, p4, special)
    return ()


def _neighbour_conditions(case: Case, route: Route) -> tuple[Condition, ...]:
    """5 kap. 15 b § (special personal-security work under 2 a § polislagen), 16 a § (a 15 b §
    permit running out, still in that work), 15 d § (a 15 § permit held; points 1 and 2)."""
    facts = case.facts
    security = not facts.special_personal_security
    if route == "protected_person":
        return (Condition("special_personal_security", security, Provision(section="15 b")),)
    if route == "protected_person_permanent":
        held = not facts.holds_protected_person_permit
        return (
            Condition("holds_15b_permit", held, Provision(section="16 a")),
            Condition("special_personal_security", security, Provision(section="16 a")),
        )
    return (
        Condition("holds_15_permit", not facts.holds_15_permit, Provision(section="15 d")),
        Condition(
            "cooperated",
            not facts.cooperated_employer_investigation,
            Provision(section="15 d", point=1),
        ),
        Condition("pay_claim", not facts.pay_claim_brought, Provision(section="15 d", point=2)),
    )


@dataclass(frozen=True)
class Expected:
    """What the law requires for a case: outcome, permit and the open questions behind it."""

    outcome: str
    permit: tuple[str, int | None, int | None] | None
    questions: tuple[str, ...]
    route: Route
    failed: tuple[Condition, ...]


def outcome_by_law(case: Case) -> Expected:  # noqa: PLR0911
    """The outcome the law gives, with the contract's ``needs_review`` rule (issue 3)."""
    route, questions = route_by_law(case)
    if route == "no_standing":
        return Expected("no_standing", None, (), route, ())
    if route == "open":
        return Expected("needs_review", None, questions, route, ())
    failed = tuple(c for c in conditions_by_law(case, route) if c.failed)
    definite = [c for c in failed if not c.open_questions]
    if definite:
        return Expected("refuse", None, (), route, failed)
    if failed:
        opened = tuple(dict.fromkeys(q for c in failed for q in c.open_questions))
        return Expected("needs_review", None, opened, route, failed)
    if route == "protected_person":  # 15 b §: "ska ... beviljas", at least one year
        return Expected("grant", ("protected_person", None, 12), (), route, ())
    if route == "protected_person_permanent":  # 16 a §: "ska ... beviljas ett permanent"
        return Expected("grant", ("protected_person_permanent", None, None), (), route, ())
    if route == "pay_claim":  # 15 d §: "får ... beviljas", no length set
        return Expected("may_grant", ("pay_claim", None, None), (), route, ())
    if wording_on(case.decision_date) == "V1":  # §2.2 point 4 [I]: no minimum length
        return Expected("may_grant", ("evidence_person", None, None), (), route, ())
    if route in EXTENSIONS:  # 3 st: "får förlängas", no length set
        return Expected("may_grant", (EXTENSIONS[route], None, None), (), route, ())
    if route == "evidence_person":  # 1 st: "skall ges" at least six months
        return Expected("grant", ("evidence_person", None, 6), (), route, ())
    return Expected("grant", ("reflection_period", 30, None), (), route, ())  # 2 st: 30 days


# --- Small helpers -----------------------------------------------------------------------------


def with_facts(case: Case, **changes: object) -> Case:
    """``case`` with some facts changed."""
    return case.model_copy(update={"facts": case.facts.model_copy(update=changes)})


def with_person(case: Case, **changes: object) -> Case:
    """``case`` with some person fields changed (the caller keeps it valid)."""
    return case.model_copy(update={"person": case.person.model_copy(update=changes)})


def with_date(case: Case, day: dt.date) -> Case:
    """``case`` decided on ``day`` (an application date after ``day`` moves with it)."""
    update: dict[str, object] = {"decision_date": day}
    if case.application_date is not None and case.application_date > day:
        update["decision_date"] = case.application_date
    return case.model_copy(update=update)


def _permit(decision: Decision) -> tuple[str, int | None, int | None] | None:
    permit = decision.permit
    return None if permit is None else (permit.type, permit.days, permit.min_months)


def describe(case: Case) -> str:
    """A one-line description of a case for messages."""
    return case.model_dump_json(exclude_defaults=True)


def _first_violation(messages: Iterable[str | None]) -> str | None:
    return next((message for message in messages if message), None)


def _never_helps(
    subject: Subject, case: Case, fact: str, worse: object, better: object, label: str
) -> str | None:
    bad = subject.decide(with_facts(case, **{fact: worse}))
    good = subject.decide(with_facts(case, **{fact: better}))
    if RANK[bad.outcome] > RANK[good.outcome]:
        return (
            f"{label}: {fact}={worse!r} gives {bad.outcome} but {fact}={better!r} gives "
            f"{good.outcome}, for {describe(case)}"
        )
    return None


# --- How a principle is declared -------------------------------------------------------------


@dataclass(frozen=True)
class Nearly:
    """A boolean field drawn as ``value`` three times in four: near where a condition holds."""

    value: bool


#: A restriction of one field of :func:`betanketid_rules.testing.persons` or
#: :func:`~betanketid_rules.testing.facts`: a value, several values, or :class:`Nearly`.
FieldRestriction = bool | str | tuple[str, ...] | Nearly

#: The person and facts near a grant: each condition of a permit holds three times in four, so
#: cases where all hold, and where exactly one fails, are frequent rather than rare.
NEAR_GRANT_PERSON: Mapping[str, FieldRestriction] = {"in_sweden": Nearly(True)}
NEAR_GRANT_FACTS: Mapping[str, FieldRestriction] = {
    "needed_for_investigation": Nearly(True),
    "willing_to_cooperate": Nearly(True),
    "ties_broken": Nearly(True),
    "public_order_objection": Nearly(False),
    "wants_reflection_period": Nearly(True),
    "special_reasons_longer_reflection": Nearly(True),
    "special_personal_security": Nearly(True),
    "holds_protected_person_permit": Nearly(True),
    "holds_15_permit": Nearly(True),
    "cooperated_employer_investigation": Nearly(True),
    "pay_claim_brought": Nearly(True),
}

NearGrant = Literal["half", "all", "none"]


@dataclass(frozen=True)
class Draw:
    """Cases to draw a principle from: restrictions of :func:`betanketid_rules.testing.cases`.

    A field left ``None`` does not restrict. ``version`` names a version of the table set;
    ``decided_between`` is a closed interval of decision dates, whose end ``None`` means the
    strategies' horizon; ``applicant`` and ``permit`` take one value or several; ``person`` and
    ``facts`` restrict fields of ``persons(...)`` and ``facts(...)`` by name;
    ``with_application_date`` is ``True`` (always one), ``False`` (never) or ``None``.

    ``near_grant`` says how the near-grant person and facts (:data:`NEAR_GRANT_PERSON`,
    :data:`NEAR_GRANT_FACTS`) mix in: ``"half"`` draws half the cases with them, ``"all"`` every
    case, ``"none"`` none. A ``person`` or ``facts`` given here replaces the near-grant one as a
    whole, in the near-grant half too (it is not merged with it field by field).
    """

    version: str | None = None
    decided_between: tuple[dt.date, dt.date | None] | None = None
    applicant: str | tuple[str, ...] | None = None
    permit: str | tuple[str, ...] | None = None
    person: Mapping[str, FieldRestriction] | None = None
    facts: Mapping[str, FieldRestriction] | None = None
    with_application_date: bool | None = None
    near_grant: NearGrant = "half"


@dataclass(frozen=True)
class LegalProperty:
    """A principle: its name (the check's name without ``check_``), check, citation and draws."""

    name: str
    check: Check
    citation: str
    draws: tuple[Draw, ...]


#: Every principle, in declaration order, the order the mutation runner tries them in: filled by
#: :func:`principle`, so a principle is added (or moved) by declaring its check.
PROPERTIES: list[LegalProperty] = []


def principle(
    *, cites: str, drawn_from: Draw | tuple[Draw, ...], covers_neighbours: bool = False
) -> Callable[[Check], Check]:
    """Declare the decorated ``check_<name>`` a principle of the law and register it.

    ``cites`` is the provision the principle rests on and where it is read (statute text, brief
    section, source): the one place the citation is written. ``drawn_from`` is what the property
    test draws: one :class:`Draw`, or several (each case is drawn from one of them). The check is
    returned unchanged.
    """
    draws = (drawn_from,) if isinstance(drawn_from, Draw) else tuple(drawn_from)

    def register(check: Check) -> Check:
        name = check.__name__.removeprefix("check_")
        runs = check
        if not covers_neighbours:  # a principle of 5 kap. 15 §: not about 15 b, 16 a, 15 d §§

            @functools.wraps(check)
            def runs(subject: Subject, case: Case) -> str | None:
                return None if case.permit in NEIGHBOUR_PERMITS else check(subject, case)

        PROPERTIES.append(LegalProperty(name, runs, cites, draws))
        return runs

    return register


#: Any valid case, half of them near a grant.
ANY_CASE = Draw()
#: Decided under the original wording (SFS 2005:716): 2006-03-31 to 2007-06-30.
BEFORE_2007 = (ACT_IN_FORCE, SFS_2007_322_IN_FORCE - dt.timedelta(days=1))
#: Decided under the wording of SFS 2022:1015: from 2022-08-01 on.
SINCE_2022 = (AMENDMENT_2022_IN_FORCE, None)
#: Every applicant but the förundersökningsledare.
NOT_FUL = (BOARD, "police_authority", "the_person", "other")
EXTENSION_REQUESTS = ("reflection_period_extension", "evidence_person_extension")
REFLECTION_REQUESTS = ("reflection_period", "reflection_period_extension")
EVIDENCE_PERSON_REQUESTS = ("evidence_person", "evidence_person_extension")
#: The board's reflection-period application for a presumed victim since 2022-08-01, near where
#: the conditions of 2 st hold (staying here, 1 st p. 1 and 4, wanting a reflection period).
BOARD_MAY_APPLY = Draw(
    decided_between=SINCE_2022,
    applicant=BOARD,
    permit="reflection_period",
    person={"in_sweden": Nearly(True)},
    facts={
        "presumed_offence": ("trafficking", "exploitation"),
        "needed_for_investigation": Nearly(True),
        "public_order_objection": Nearly(False),
        "wants_reflection_period": Nearly(True),
    },
    near_grant="none",
)


# --- The principles ----------------------------------------------------------------------------


@principle(
    cites="contract (issue 2: a Decision for every valid Case); DMN UNIQUE tables (issue 3)",
    drawn_from=ANY_CASE,
    covers_neighbours=True,
)
def check_every_valid_application_gets_a_decision(subject: Subject, case: Case) -> str | None:
    """Every valid case is decided: no table version has a gap or an overlap for it."""
    try:
        subject.decide(case)
    except Exception as error:
        return f"no decision for {describe(case)}: {type(error).__name__}: {error}"
    return None


@principle(
    cites="5 kap. 15 § UtlL (SFS 2005:716, in force 2006-03-31 to 2007-06-30, unread: brief §2.2, "
    "Q-V1); SFS 2007:322",
    drawn_from=Draw(decided_between=BEFORE_2007),
)
def check_every_step_under_the_unread_original_wording_rests_on_q_v1(
    subject: Subject, case: Case
) -> str | None:
    """Under the original wording, which was not read, every step of a decision rests on Q-V1.

    Whatever a decision under that wording says about who may apply, the conditions or the outcome
    rests on the question, at every step. The one thing known without the text is that no reflection
    period existed yet (SFS 2007:322 introduced it), so the investigation leader's reflection-period
    request is left out.
    """
    if case.decision_date >= SFS_2007_322_IN_FORCE:
        return None
    if case.applicant == "preliminary_investigation_leader" and case.permit.startswith(
        "reflection_period"
    ):
        return None
    decision = subject.decide(case)
    for step in decision.trace:
        if any(isinstance(value, tuple) for value in step.outputs.values()):
            continue  # the remarks: other provisions than 5 kap. 15 §
        for row in step.fired:
            if "Q-V1" not in row.open_questions:
                return f"{step.table}/{row.id} does not rest on Q-V1: {describe(case)}"
    return None


@principle(
    cites="5 kap. 15 § 1 st (SFS 2007:322), 4 st 1-2 men. (SFS 2022:1015, statutes.md) UtlL; "
    "brief §3.1 A1 [C, SRC-02]",
    drawn_from=(ANY_CASE, Draw(applicant=BOARD)),
)
def check_only_the_investigation_leader_obtains_the_six_month_permit(
    subject: Subject, case: Case
) -> str | None:
    """Only a förundersökningsledare can obtain the evidence-person permit; never the board.

    The first paragraph gives it on the förundersökningsledare's application. Since 2022-08-01 the
    fourth paragraph says who applies: the förundersökningsledare for every permit and extension
    (first sentence), the board only for a permit under the second paragraph (second sentence), so
    the board's request cites the first paragraph and both sentences.
    """
    decision = subject.decide(case)
    permit = decision.permit
    if permit is not None and permit.type == "evidence_person" and case.applicant != FUL:
        return f"{case.applicant} obtained an evidence-person permit: {describe(case)}"
    board_asks = case.applicant == BOARD and permit_type_of(case.permit) == "evidence_person"
    if board_asks and decision.outcome != "no_standing":
        return f"the board applying for {case.permit} got {decision.outcome}: {describe(case)}"
    if board_asks and wording_on(case.decision_date) == "V3":
        # statutes.md, 5 kap. 15 § 4 st (SFS 2022:1015): the förundersökningsledare applies for
        # every permit and extension (1 men.); the board only for a permit under 2 st (2 men.).
        # The permit asked for is the one of 1 st. (Before the text was read the brief §2.4
        # could only point to Migrationsverket, SRC-20, and Jämställdhetsmyndigheten, SRC-24.)
        required = (utl_5_15(1), utl_5_15(4, sentence=1), utl_5_15(4, sentence=2))
        missing = [str(p) for p in required if not cites(decision, p)]
        if missing:
            return f"the board's evidence-person request does not cite {missing}: {describe(case)}"
    return None


@principle(
    cites="5 kap. 15 § 1, 2 st (SFS 2007:322), 4 st 1-2 men. (SFS 2022:1015, statutes.md) UtlL; "
    "brief §1 item 1 [C, SRC-02, SRC-07]",
    drawn_from=Draw(applicant=NOT_FUL),
)
def check_no_standing_for_an_applicant_the_law_does_not_list(
    subject: Subject, case: Case
) -> str | None:
    """The person, the police (not as FUL), others, and the board before 2022-08-01 cannot apply.

    They get no_standing, citing where the law says who may apply: before 2022-08-01 the permits are
    given "på ansökan av förundersökningsledaren"; since then the fourth paragraph, first and second
    sentence, is the closed list of who applies.
    """
    board_too_early = case.applicant == BOARD and case.decision_date < AMENDMENT_2022_IN_FORCE
    if case.applicant not in UNLISTED and not board_too_early:
        return None
    decision = subject.decide(case)
    if decision.outcome != "no_standing":
        return f"{case.applicant} got {decision.outcome}, not no_standing: {describe(case)}"
    missing = [str(p) for p in _who_may_apply(case) if not cites(decision, p)]
    if missing:
        return f"no_standing does not cite who may apply, {missing}: {describe(case)}"
    return None


def _who_may_apply(case: Case) -> tuple[Provision, ...]:
    """Where the law says who may apply, with the sources the brief reads it in.

    V1: 5 kap. 15 § (SFS 2005:716, as described in prop. 2003/04:35, SRC-07; brief §2.2).
    V2: first and second paragraph (SFS 2007:322, read in full, SRC-02; brief §2.3).
    V3: the fourth paragraph, both sentences (statutes.md, SFS 2022:1015): the closed list of
    who applies, the förundersökningsledare (1 men.) and also the board (2 men.). (Before the
    text was read the brief could only point to SRC-42 and SRC-20.) For the board before
    2022-08-01, V1/V2 as above.
    """
    wording = wording_on(case.decision_date)
    if wording == "V1":
        return (utl_5_15(source="SRC-07"),)
    if wording == "V2":
        return (utl_5_15(1, source="SRC-02"), utl_5_15(2, source="SRC-02"))
    return (utl_5_15(4, sentence=1), utl_5_15(4, sentence=2))


@principle(
    cites="5 kap. 15 § 1-3 st (conditions), 4 st (who applies; SFS 2022:1015, statutes.md) UtlL; "
    "brief §3.1 A1, B1, E1, E2 vs A2-A6, B2-B5 [C, SRC-02]; brief settled section",
    drawn_from=ANY_CASE,
    covers_neighbours=True,
)
def check_standing_depends_on_who_applies_for_what_never_on_the_merits(
    subject: Subject, case: Case
) -> str | None:
    """An applicant with standing is answered on the merits; one without it never is.

    Who may apply for what, on which date, decides standing; the facts decide only the merits. A
    förundersökningsledare, or from 2022-08-01 a board, with standing whose conditions fail is
    refused, never told it lacks standing.
    """
    route, _ = route_by_law(case)
    decision = subject.decide(case)
    if route == "no_standing" and decision.outcome != "no_standing":
        return f"{decision.outcome} where the law gives no standing: {describe(case)}"
    if route != "no_standing" and decision.outcome == "no_standing":
        return f"no_standing where the law lets {case.applicant} apply: {describe(case)}"
    return None


@principle(
    cites="5 kap. 15 § 2 st, 4 st 2 men. UtlL (SFS 2022:1015, statutes.md); BrB 4:1 a, 1 b; brief "
    "settled section (Q4)",
    drawn_from=Draw(decided_between=SINCE_2022, applicant=BOARD, permit="reflection_period"),
)
def check_the_board_may_apply_for_a_presumed_victim_since_2022_08_01(  # noqa: PLR0911
    subject: Subject, case: Case
) -> str | None:
    """From 2022-08-01 the board may apply for the reflection period of a presumed victim.

    The decision rests on the second paragraph, the fourth paragraph's second sentence and the
    crimes it names. An application lodged before 2022-08-01 is open question Q4 alone: SFS
    2022:1015 has no transitional rule for 15 §.
    """
    if not (
        case.applicant == BOARD
        and case.permit == "reflection_period"
        and case.decision_date >= AMENDMENT_2022_IN_FORCE
        and case.facts.presumed_offence in VICTIM_OFFENCES
    ):
        return None
    decision = subject.decide(case)
    if lodged_before_amendment(case):
        # SFS 2022:1015 has no transitional rule for 15 § (statutes.md): only Q4 is open.
        if decision.outcome != "needs_review" or set(decision.open_questions) != {"Q4"}:
            return (
                f"a board application lodged before 2022-08-01 gave {decision.outcome} "
                f"{list(decision.open_questions)}, not needs_review on Q4 alone: {describe(case)}"
            )
        if not cites(decision, utl_5_15(4, sentence=2)):
            return f"the open board standing does not cite 4 st 2 men.: {describe(case)}"
        return None
    if decision.outcome in ("no_standing", "needs_review"):
        return f"the board's presumed-victim application got {decision.outcome}: {describe(case)}"
    required = (utl_5_15(2), utl_5_15(4, sentence=2), brb_4("1 a"), brb_4("1 b"))
    missing = [str(p) for p in required if not cites(decision, p)]
    if missing:
        return f"the board's route does not cite {missing}: {describe(case)}"
    return None


@principle(
    cites="5 kap. 15 § 4 st 2 men. UtlL (SFS 2022:1015, statutes.md); BrB 4:1 a, 1 b; brief "
    "settled section (children and relatives); §3.2 F1, F3 [REPORT-2024 fn. 7-8, SRC-09 pp. "
    "93, 119]",
    drawn_from=Draw(applicant=BOARD),
)
def check_the_board_acts_only_for_a_presumed_victim_of_trafficking_or_exploitation(
    subject: Subject, case: Case
) -> str | None:
    """The board has standing only for a person themself presumed a victim of BrB 4:1 a/1 b.

    The fourth paragraph's second sentence asks whether there is reason to believe "att utlänningen
    har utsatts för brott enligt 4 kap. 1 a eller 1 b § brottsbalken": the foreigner the application
    is for. The text settles children and relatives, as the 2024 report reads it; the board never
    obtains anything for anyone else.
    """
    if case.applicant != BOARD or case.facts.presumed_offence in VICTIM_OFFENCES:
        return None
    decision = subject.decide(case)
    if decision.outcome != "no_standing":
        return f"the board got {decision.outcome} for a non-victim: {describe(case)}"
    if wording_on(case.decision_date) == "V3" and case.permit == "reflection_period":
        # statutes.md 4 st 2 men.: "anledning att anta att utlänningen har utsatts för brott
        # enligt 4 kap. 1 a eller 1 b §" - the foreigner the application is for (settled).
        if case.person.relation == "self":
            required = [utl_5_15(2), utl_5_15(4, sentence=2), brb_4("1 a"), brb_4("1 b")]
        elif case.person.relation == "accompanying_child":
            # brief settled section: matches the 2024 report's footnote 7 (4 st; prop.
            # 2021/22:224 p. 119, cited by the report, the page itself unread: Q15)
            required = [utl_5_15(4, sentence=2), preparatory_work("SRC-09", "119")]
        else:
            # brief §3.2 F1, F3; the report's footnote 8 (1 and 4 st, matching the statute:
            # settled section) and prop. 2021/22:224 p. 93
            required = [
                utl_5_15(4, sentence=2),
                utl_5_15(1),
                preparatory_work("SRC-09", "93"),
            ]
        missing = [str(p) for p in required if not cites(decision, p)]
        if missing:
            return f"the board's lack of standing does not cite {missing}: {describe(case)}"
    return None


@principle(
    cites='5 kap. 15 § 4 st 2 men. UtlL (SFS 2022:1015, statutes.md: "utlänningen"); brief '
    "settled section; §3.2 F1, F2 [REPORT-2024]; contract (issue 2, how relation works)",
    drawn_from=Draw(applicant=BOARD, person={"is_child": Nearly(True)}),
)
def check_the_board_route_depends_only_on_this_persons_own_situation(
    subject: Subject, case: Case
) -> str | None:
    """Being a relative or an accompanying child never changes what the board can obtain.

    The test of the fourth paragraph's second sentence concerns the foreigner the application is
    for, whatever their relation to anyone else.
    """
    if case.applicant != BOARD:
        return None
    decision = subject.decide(case)
    relations = ["self", "family_member"] + (["accompanying_child"] if case.person.is_child else [])
    for relation in relations:
        if relation == case.person.relation:
            continue
        other = subject.decide(with_person(case, relation=relation))
        if (other.outcome, _permit(other)) != (decision.outcome, _permit(decision)):
            return (
                f"relation {relation} gives {other.outcome} but {case.person.relation} gives "
                f"{decision.outcome}: {describe(case)}"
            )
    return None


@principle(
    cites="5 kap. 15 § 4 st 1-2 men. UtlL (SFS 2022:1015, statutes.md); brief settled section "
    '("not for an extension")',
    drawn_from=Draw(applicant=BOARD, permit=EXTENSION_REQUESTS),
)
def check_the_board_never_requests_an_extension(subject: Subject, case: Case) -> str | None:
    """The board never has standing to request an extension, whatever the offence or dates.

    An extension is applied for by the förundersökningsledare (4 st 1 men.); the board only for a
    permit under the second paragraph (4 st 2 men.).
    """
    if case.applicant != BOARD or case.permit not in EXTENSIONS:
        return None
    decision = subject.decide(case)
    if decision.outcome != "no_standing":
        return f"the board's {case.permit} got {decision.outcome}: {describe(case)}"
    if wording_on(case.decision_date) == "V3":
        # statutes.md 4 st: 1 men. "förlängt tillstånd ... görs av förundersökningsledaren";
        # 2 men. the board "även", only "en ansökan om uppehållstillstånd enligt andra stycket".
        required = (utl_5_15(4, sentence=1), utl_5_15(4, sentence=2))
        missing = [str(p) for p in required if not cites(decision, p)]
        if missing:
            return f"the board's extension request does not cite {missing}: {describe(case)}"
    return None


@principle(
    cites='5 kap. 15 § 1-3 st ("brottmål"), 4 st 1 men. UtlL (SFS 2022:1015, statutes.md); brief '
    "settled section (Q2; the §2.4 working model is wrong), §2.3 (SFS 2007:322) [C, SRC-02]",
    drawn_from=Draw(applicant=FUL),
)
def check_the_offence_never_matters_for_the_investigation_leader(
    subject: Subject, case: Case
) -> str | None:
    """What crime the person is presumed a victim of never changes an investigation leader's case.

    1-3 st name no crime but "brottmål" (any criminal case); the BrB 4:1 a/1 b test is in 4 st 2
    men. and limits only the board. SFS 2007:322 too covered any brottmål. The original wording is
    not claimed: it was not read (Q-V1).
    """
    if case.applicant != FUL or wording_on(case.decision_date) == "V1":
        return None
    decision = subject.decide(case)
    for offence in ("trafficking", "exploitation", "other_crime", "none"):
        if offence == case.facts.presumed_offence:
            continue
        other = subject.decide(with_facts(case, presumed_offence=offence))
        if (other.outcome, _permit(other), other.open_questions) != (
            decision.outcome,
            _permit(decision),
            decision.open_questions,
        ):
            return (
                f"presumed_offence {offence} gives {other.outcome} {list(other.open_questions)} "
                f"but {case.facts.presumed_offence} gives {decision.outcome} "
                f"{list(decision.open_questions)}: {describe(case)}"
            )
    return None


@principle(
    cites="5 kap. 15 § 2 st (1 st p. 1 and 4) UtlL (SFS 2022:1015, statutes.md); brief settled "
    "section (Q2, Q8 in part)",
    drawn_from=BOARD_MAY_APPLY,
)
def check_the_boards_reflection_period_has_the_investigation_leaders_conditions(
    subject: Subject, case: Case
) -> str | None:
    """Where the board may apply, its reflection permit is decided as the FUL's would be.

    The second paragraph names no applicant: the permit "ska ... meddelas", for 30 days, if the
    person wants a reflection period and 1 st p. 1 and 4 are met, whoever applied. Point 1 binds the
    board too (Q8 asks only how the fact is established).
    """
    route, _ = route_by_law(case)
    if route != "board_reflection":
        return None
    decision = subject.decide(case)
    ful = subject.decide(case.model_copy(update={"applicant": FUL}))
    unmet = sorted(_provision_of(u.citation) for u in decision.unmet_conditions)
    ful_unmet = sorted(_provision_of(u.citation) for u in ful.unmet_conditions)
    if (decision.outcome, _permit(decision), unmet) != (ful.outcome, _permit(ful), ful_unmet):
        return (
            f"the board gets {decision.outcome} {_permit(decision)} (unmet {unmet}) where the "
            f"investigation leader gets {ful.outcome} {_permit(ful)} (unmet {ful_unmet}): "
            f"{describe(case)}"
        )
    return None


#: Words saying a decision cannot be appealed (English and Swedish, lower case).
_UNAPPEALABLE = (
    "not appealable",
    "cannot be appealed",
    "can not be appealed",
    "may not be appealed",
    "no appeal",
    "no right of appeal",
    "inte överklagbar",
    "ej överklagbar",
    "kan inte överklagas",
    "får inte överklagas",
    "kan ej överklagas",
    "får ej överklagas",
    "inte kan överklagas",
    "inte får överklagas",
    "går inte att överklaga",
    "inte att överklaga",
)


def _texts(decision: Decision) -> tuple[str, ...]:
    """Every text a decision shows: its explanation, the rows' notes and the unmet conditions."""
    found = [decision.explanation.sv, decision.explanation.en]
    for step in decision.trace:
        for row in step.fired:
            found.extend((row.note_sv, row.note_en))
    for unmet in decision.unmet_conditions:
        found.extend((unmet.text_sv, unmet.text_en))
    return tuple(found)


@principle(
    cites='14 kap. 4 § UtlL (SFS 2022:1015, statutes.md); brief settled section (Q6: the "not '
    'appealable" design note of §4.5 is wrong)',
    drawn_from=ANY_CASE,
)
def check_a_refusal_is_never_said_to_be_unappealable(subject: Subject, case: Case) -> str | None:
    """Nothing says a refusal under 5 kap. 15 § cannot be appealed.

    A refusal is appealed to a migration court, only by the förundersökningsledare or, where the
    board applied, only by the board. SFS 2007:322 amended 14 kap. 4 § too and its 2007 wording was
    not read, so no earlier version may say otherwise either.
    """
    decision = subject.decide(case)
    if decision.outcome != "refuse":
        return None
    for text in _texts(decision):
        lowered = text.lower()
        said = [phrase for phrase in _UNAPPEALABLE if phrase in lowered]
        if said:
            return f"a refusal says {said[0]!r} ({text!r}): {describe(case)}"
    return None


@principle(
    cites="5 kap. 15 § UtlL (SFS 2005:716); brief §2.2 point 5 [C, SRC-06 Ds 2005:24]; SFS "
    "2007:322 in force 2007-07-01 (its transitional point 1, statutes.md; Q3 settled)",
    drawn_from=Draw(decided_between=BEFORE_2007, permit=REFLECTION_REQUESTS),
)
def check_no_reflection_period_before_sfs_2007_322(subject: Subject, case: Case) -> str | None:  # noqa: PLR0911
    """Before 2007-07-01 the law provided no reflection period at all.

    A request for one, or for its extension, gets no_standing: Ds 2005:24 proposed introducing it,
    SFS 2007:322 did (in 5 kap. 15 § 2 st), and the investigation leader's request points there.
    That is known whatever the unread original wording said, so finding no standing for it does
    not rest on Q-V1.
    """
    if case.decision_date >= SFS_2007_322_IN_FORCE:
        return None
    if permit_type_of(case.permit) != "reflection_period":
        return None
    decision = subject.decide(case)
    if decision.outcome != "no_standing":
        return f"a reflection period before 2007-07-01 gave {decision.outcome}: {describe(case)}"
    if case.applicant != "preliminary_investigation_leader":
        return None
    introduced = utl_5_15(paragraph=2, source="SRC-02")
    if not cites(decision, introduced):
        return f"the decision does not point to {introduced}, which introduced it: {describe(case)}"
    for step in decision.trace:
        if "route" in step.outputs and any("Q-V1" in row.open_questions for row in step.fired):
            return (
                f"{step.table} rests on Q-V1, though no reflection period existed whatever the "
                f"unread wording said: {describe(case)}"
            )
    return None


@principle(
    cites="5 kap. 15 b, 16 a §§ UtlL (new by SFS 2010:533, in force 2010-07-01), 15 d § (new by "
    "SFS 2013:646, in force 2013-08-01): the register entries read in statutes.md",
    drawn_from=Draw(
        decided_between=(ACT_IN_FORCE, SFS_2013_646_IN_FORCE - dt.timedelta(days=1)),
        permit=tuple(sorted(NEIGHBOUR_PERMITS)),
    ),
    covers_neighbours=True,
)
def check_no_one_has_standing_for_a_permit_before_its_section_existed(
    subject: Subject, case: Case
) -> str | None:
    """Before the act that introduced a neighbouring permit's section, no one can apply for it.

    That follows from the register (the sections are "nya" in SFS 2010:533 and SFS 2013:646),
    whatever the unread original wording of 5 kap. 15 § said: so the step that finds no standing
    rests on no open question. Under that unread wording (before 2007-07-01) the register is all
    the decision rests on, so it points to the section that came later.
    """
    if case.permit not in NEIGHBOUR_PERMITS:
        return None
    introduced_on, section = (
        (SFS_2010_533_IN_FORCE, "15 b" if case.permit == "protected_person" else "16 a")
        if case.permit in POLICE_PERMITS
        else (SFS_2013_646_IN_FORCE, "15 d")
    )
    if case.decision_date >= introduced_on:
        return None
    decision = subject.decide(case)
    if decision.outcome != "no_standing":
        return (
            f"a {section} § permit before {introduced_on} gave {decision.outcome}: {describe(case)}"
        )
    if case.decision_date < SFS_2007_322_IN_FORCE and not cites(
        decision, Provision(section=section)
    ):
        return f"the decision does not point to 5 kap. {section} §: {describe(case)}"
    for step in decision.trace:
        if "route" in step.outputs and any(row.open_questions for row in step.fired):
            return (
                f"{step.table} rests on an open question, though the {section} § permit did not "
                f"exist: {describe(case)}"
            )
    return None


@principle(
    cites='5 kap. 15 § 2 st UtlL ("30 dagar"; SFS 2007:322, and SFS 2022:1015 whoever applies, '
    "statutes.md); brief §3.1 B [C, SRC-02]",
    drawn_from=Draw(permit="reflection_period"),
)
def check_a_first_reflection_period_is_thirty_days(subject: Subject, case: Case) -> str | None:
    """A first reflection-period permit is always granted for exactly 30 days."""
    if case.permit != "reflection_period":
        return None
    decision = subject.decide(case)
    if decision.outcome not in GRANTS:
        return None
    if decision.outcome != "grant" or _permit(decision) != ("reflection_period", 30, None):
        return (
            f"a first reflection period gave {decision.outcome} {_permit(decision)}, "
            f"not a grant of 30 days: {describe(case)}"
        )
    return None


@principle(
    cites='5 kap. 15 § 1 st UtlL ("minst sex månader", "skall ges"); brief §3.1 A [C, SRC-02]; '
    "before 2007 no minimum length, brief §2.2 point 4 [I, SRC-06]",
    drawn_from=Draw(permit="evidence_person"),
)
def check_a_first_evidence_person_permit_is_at_least_six_months(
    subject: Subject, case: Case
) -> str | None:
    """Since 2007 a first evidence-person permit is granted for at least six months.

    It shall be given; under the original wording no minimum length was set, and it may be granted.
    """
    if case.permit != "evidence_person":
        return None
    decision = subject.decide(case)
    if decision.outcome not in GRANTS:
        return None
    if wording_on(case.decision_date) == "V1":
        wanted: tuple[str, tuple[str, int | None, int | None]] = (
            "may_grant",
            ("evidence_person", None, None),
        )
    else:
        wanted = ("grant", ("evidence_person", None, 6))
    if (decision.outcome, _permit(decision)) != wanted:
        return (
            f"a first evidence-person permit gave {decision.outcome} {_permit(decision)}, "
            f"the law gives {wanted}: {describe(case)}"
        )
    return None


@principle(
    cites='5 kap. 15 § 3 st 1-2 men. UtlL ("får förlängas", statutes.md); brief §3.1 E1, E2 [C, '
    "SRC-02]",
    drawn_from=Draw(permit=EXTENSION_REQUESTS),
)
def check_an_extension_is_discretionary(subject: Subject, case: Case) -> str | None:
    """An extension 'may' be granted, for no length set by law, never 'shall'.

    It is never a grant: only may_grant ("får förlängas"), with no length, or less.
    """
    if case.permit not in EXTENSIONS:
        return None
    decision = subject.decide(case)
    if decision.outcome == "grant":
        return f"an extension was granted as of right: {describe(case)}"
    if decision.outcome == "may_grant":
        wanted = (EXTENSIONS[case.permit], None, None)
        if _permit(decision) != wanted:
            return f"an extension gave permit {_permit(decision)}, not {wanted}: {describe(case)}"
    return None


#: The paragraph (and sentence) of 5 kap. 15 § that gives each permit, since SFS 2007:322.
PERMIT_PROVISIONS = {
    "evidence_person": utl_5_15(paragraph=1),
    "reflection_period": utl_5_15(paragraph=2),
    "evidence_person_extension": utl_5_15(paragraph=3, sentence=1),
    "reflection_period_extension": utl_5_15(paragraph=3, sentence=2),
}


@principle(
    cites="5 kap. 15 § 1 st (six months), 2 st (30 days), 3 st 1 and 2 men. (extensions) UtlL "
    "(SFS 2007:322; SFS 2022:1015, statutes.md), 4 st (who applies, SFS 2022:1015); brief §3.1 "
    "[C, SRC-02]",
    drawn_from=(
        Draw(decided_between=(SFS_2007_322_IN_FORCE, None), near_grant="all"),
        Draw(decided_between=SINCE_2022, applicant=NOT_FUL),
    ),
)
def check_the_outcome_rests_on_the_paragraph_that_decides_it(
    subject: Subject, case: Case
) -> str | None:
    """The outcome step cites, as its basis, the paragraph that decides the outcome.

    Since SFS 2007:322 each permit has its own paragraph: the evidence person's permit the first,
    the reflection period the second, and their extensions the third paragraph's first and second
    sentences; since SFS 2022:1015 who may apply is the fourth paragraph, so an application
    without standing, or whose standing an open question decides, rests on it. The decision's
    outcome step (the row that fired there) names that paragraph, so a reader sees where the
    outcome comes from; another paragraph cited there is a wrong basis, even where another step
    of the chain cites the right one.
    """
    if case.decision_date < SFS_2007_322_IN_FORCE:
        return None
    decision = subject.decide(case)
    if decision.outcome in GRANTS:
        wanted = PERMIT_PROVISIONS[case.permit]
    elif case.decision_date >= AMENDMENT_2022_IN_FORCE and decision.outcome in (
        "no_standing",
        "needs_review",
    ):
        wanted = utl_5_15(paragraph=4)  # who applies: the fourth paragraph since SFS 2022:1015
    else:
        return None
    for step in decision.trace:
        if "outcome" not in step.outputs:
            continue
        for row in step.fired:
            basis = [c for c in row.citations if c.role == "basis"]
            if not any(wanted.matches(citation) for citation in basis):
                return (
                    f"{step.table}/{row.id} gives {decision.outcome} without citing {wanted} as "
                    f"its basis: {describe(case)}"
                )
    return None


@principle(
    cites="5 kap. 15 § 1-3 st UtlL; brief §3.1 [C, SRC-02]; contract (issue 2, Decision.permit: "
    "null unless grant/may_grant)",
    drawn_from=ANY_CASE,
)
def check_the_permit_given_is_the_permit_applied_for(subject: Subject, case: Case) -> str | None:
    """A permit is given only with a grant, and it is the kind applied for.

    An extension keeps the type of the permit it extends.
    """
    decision = subject.decide(case)
    if (decision.permit is not None) != (decision.outcome in GRANTS):
        return f"outcome {decision.outcome} with permit {_permit(decision)}: {describe(case)}"
    if decision.permit is not None and decision.permit.type != permit_type_of(case.permit):
        return f"{case.permit} was answered with a {decision.permit.type}: {describe(case)}"
    return None


@principle(
    cites="5 kap. 15 § 1 st 4 (referred to by 2 and 3 st) UtlL; brief §3.1 A6, B5, E1, E2 [C, "
    "SRC-02]",
    drawn_from=ANY_CASE,
)
def check_a_public_order_objection_never_turns_a_refusal_into_a_grant(
    subject: Subject, case: Case
) -> str | None:
    """Public order and security speaking against a permit never helps; since 2007 it bars one.

    The outcome is monotonic in the objection: it never improves with it.
    """
    worse = _never_helps(
        subject, case, "public_order_objection", True, False, "public-order objection"
    )
    if worse:
        return worse
    if case.decision_date >= SFS_2007_322_IN_FORCE and case.facts.public_order_objection:
        decision = subject.decide(case)
        if decision.outcome in GRANTS:
            return f"granted despite a public-order objection: {describe(case)}"
    return None


@principle(
    cites="5 kap. 15 § 1 st 2 (and 3 st 1 men.) UtlL; brief §3.1 A4, E1 [C, SRC-02]",
    drawn_from=Draw(permit=EVIDENCE_PERSON_REQUESTS),
)
def check_withdrawing_cooperation_never_helps_for_the_six_month_permit(
    subject: Subject, case: Case
) -> str | None:
    """Withdrawing the will to cooperate never helps; without it no evidence-person permit.

    Since 2007 a clearly shown will to cooperate is a condition of the permit and of its extension.
    """
    worse = _never_helps(subject, case, "willing_to_cooperate", False, True, "no cooperation")
    if worse:
        return worse
    if (
        case.decision_date >= SFS_2007_322_IN_FORCE
        and permit_type_of(case.permit) == "evidence_person"
        and not case.facts.willing_to_cooperate
    ):
        decision = subject.decide(case)
        if decision.outcome in GRANTS:
            return f"an evidence-person permit without cooperation: {describe(case)}"
    return None


@principle(
    cites="5 kap. 15 § 1 st 3 (and 3 st 1 men.) UtlL; brief §3.1 A5, E1 [C, SRC-02]",
    drawn_from=Draw(permit=EVIDENCE_PERSON_REQUESTS),
)
def check_renewed_ties_never_help_for_the_six_month_permit(
    subject: Subject, case: Case
) -> str | None:
    """Renewed ties with the suspects never help; without broken ties no evidence-person permit.

    Since 2007 having broken all ties with the suspects is a condition of the permit and of its
    extension.
    """
    worse = _never_helps(subject, case, "ties_broken", False, True, "ties not broken")
    if worse:
        return worse
    if (
        case.decision_date >= SFS_2007_322_IN_FORCE
        and permit_type_of(case.permit) == "evidence_person"
        and not case.facts.ties_broken
    ):
        decision = subject.decide(case)
        if decision.outcome in GRANTS:
            return f"an evidence-person permit with ties not broken: {describe(case)}"
    return None


@principle(
    cites='5 kap. 15 § 2 st UtlL; brief §2.3 ("Conditions 2 and 3 ... are not required") [C, '
    "SRC-02]",
    drawn_from=Draw(permit=REFLECTION_REQUESTS),
)
def check_cooperation_and_broken_ties_are_not_conditions_of_a_reflection_period(
    subject: Subject, case: Case
) -> str | None:
    """The reflection period requires neither cooperation nor broken ties.

    The second paragraph refers to the first paragraph's points 1 and 4 only; neither the will to
    cooperate nor broken ties changes a reflection-period decision.
    """
    if permit_type_of(case.permit) != "reflection_period":
        return None
    decision = subject.decide(case)
    facts = case.facts
    for changes in (
        {"willing_to_cooperate": not facts.willing_to_cooperate},
        {"ties_broken": not facts.ties_broken},
    ):
        other = subject.decide(with_facts(case, **changes))
        if (other.outcome, _permit(other)) != (decision.outcome, _permit(decision)):
            return (
                f"{changes} changes a reflection-period decision from {decision.outcome} to "
                f"{other.outcome}: {describe(case)}"
            )
    return None


@principle(
    cites="5 kap. 15 § 1 st 1 (referred to by 2 and 3 st) UtlL; brief §3.1 A3, B4, E1, E2 [C, "
    "SRC-02]; before 2007 brief §2.2 point 3 [S, SRC-07]",
    drawn_from=ANY_CASE,
)
def check_every_permit_requires_need_for_an_investigation_or_main_hearing(
    subject: Subject, case: Case
) -> str | None:
    """No permit is given unless it is needed for a preliminary investigation or main hearing.

    The need concerns a criminal case; every permit and extension requires it.
    """
    if case.facts.needed_for_investigation:
        return None
    decision = subject.decide(case)
    if decision.outcome in GRANTS:
        return f"{decision.outcome} without need for an investigation: {describe(case)}"
    return None


@principle(
    cites='5 kap. 15 § 1 st ("en utlänning som vistas här") [C], 2 st ("utlänningen") [I] UtlL '
    "(statutes.md; SFS 2007:322 the same); brief §3.1 A2, B2, §4.8 [SRC-02]; brief settled "
    "section",
    drawn_from=Draw(person={"in_sweden": False}, near_grant="all"),
)
def check_a_person_abroad_is_never_granted_a_first_permit(
    subject: Subject, case: Case
) -> str | None:
    """A first permit is only for a foreign national staying in Sweden (vistas här).

    The second paragraph's "utlänningen" is read as referring back to the first paragraph's
    foreigner staying here, on the board's route too.
    """
    if case.person.in_sweden or case.permit not in FIRST_PERMITS:
        return None
    decision = subject.decide(case)
    if decision.outcome in GRANTS:
        return f"{decision.outcome} for a person not in Sweden: {describe(case)}"
    return None


@principle(
    cites="5 kap. 15 § 2 st UtlL; brief §3.1 B3 [C, SRC-02]",
    drawn_from=ANY_CASE,
)
def check_a_reflection_period_is_only_for_a_person_who_wants_one(
    subject: Subject, case: Case
) -> str | None:
    """Wanting time to recover and decide is a condition of the reflection period, of no other."""
    decision = subject.decide(case)
    if case.permit == "reflection_period":
        if not case.facts.wants_reflection_period and decision.outcome in GRANTS:
            return f"a reflection period for a person who does not want one: {describe(case)}"
        return None
    other = subject.decide(
        with_facts(case, wants_reflection_period=not case.facts.wants_reflection_period)
    )
    if (other.outcome, _permit(other)) != (decision.outcome, _permit(decision)):
        return f"wanting a reflection period changed a {case.permit} decision: {describe(case)}"
    return None


@principle(
    cites='5 kap. 15 § 3 st 2 men. UtlL ("särskilda skäl"); brief §3.1 E2 [C, SRC-02]',
    drawn_from=ANY_CASE,
)
def check_a_longer_reflection_period_needs_special_reasons(
    subject: Subject, case: Case
) -> str | None:
    """Special reasons are a condition of extending a reflection period, and of nothing else."""
    decision = subject.decide(case)
    if case.permit == "reflection_period_extension":
        if not case.facts.special_reasons_longer_reflection and decision.outcome in GRANTS:
            return f"a reflection period extended without special reasons: {describe(case)}"
        return None
    flipped = not case.facts.special_reasons_longer_reflection
    other = subject.decide(with_facts(case, special_reasons_longer_reflection=flipped))
    if (other.outcome, _permit(other)) != (decision.outcome, _permit(decision)):
        return f"special reasons changed a {case.permit} decision: {describe(case)}"
    return None


@principle(
    cites='5 kap. 15 § 1 st ("ska ges", at least six months), 2 st (30 days), 3 st ("får '
    'förlängas") UtlL (statutes.md); brief §3.1 (SFS 2007:322) [C, SRC-02], §2.2 (before '
    "2007) [S/I]",
    drawn_from=Draw(near_grant="all"),
    covers_neighbours=True,
)
def check_when_every_condition_is_met_the_permit_shall_be_granted(
    subject: Subject, case: Case
) -> str | None:
    """Where the applicant has standing and every condition holds, the law's outcome follows."""
    expected = outcome_by_law(case)
    if expected.route in ("no_standing", "open") or expected.failed:
        return None
    decision = subject.decide(case)
    if (decision.outcome, _permit(decision)) != (expected.outcome, expected.permit):
        return (
            f"every condition is met but the decision is {decision.outcome} "
            f"{_permit(decision)}, the law gives {expected.outcome} {expected.permit}: "
            f"{describe(case)}"
        )
    return None


@principle(
    cites="brief settled section (Q1-Q3 settled by the statute text, statutes.md; Q-V1, Q4 open), "
    "§2.2, §10; issue 3 (needs_review is reserved)",
    drawn_from=ANY_CASE,
    covers_neighbours=True,
)
def check_needs_review_only_where_an_open_question_decides(
    subject: Subject, case: Case
) -> str | None:
    """needs_review exactly where an open legal question decides the outcome, naming it.

    Q1, Q2 and Q3 are settled by the statute text and never named by a decision. Only Q-V1 (the 2006
    wording) and Q4 (a board application lodged before 2022-08-01, no transitional rule) still
    decide a case, and needs_review names exactly the question(s) deciding it.
    """
    expected = outcome_by_law(case)
    decision = subject.decide(case)
    if (decision.outcome == "needs_review") != (expected.outcome == "needs_review"):
        return (
            f"outcome {decision.outcome}, the law gives {expected.outcome} "
            f"(open questions {list(expected.questions)}): {describe(case)}"
        )
    settled = sorted(SETTLED_QUESTIONS.intersection(decision.open_questions))
    if settled:  # brief settled section: Q1, Q2, Q3 are answered by the statute text
        return f"the decision rests on settled questions {settled}: {describe(case)}"
    if decision.outcome == "needs_review":
        # Only Q-V1 (2006) and Q4 (a board application lodged before 2022-08-01) still decide.
        if not DECIDING_QUESTIONS.issuperset(decision.open_questions):
            return (
                f"needs_review rests on {list(decision.open_questions)}, not only on "
                f"{sorted(DECIDING_QUESTIONS)}: {describe(case)}"
            )
        if set(decision.open_questions) != set(expected.questions):
            return (
                f"needs_review names {list(decision.open_questions)}, the law rests on "
                f"{list(expected.questions)}: {describe(case)}"
            )
    return None


@principle(
    cites="brief §0.1 ([NC]: do not encode as settled law), §10; contract (issue 2, "
    "open_questions)",
    drawn_from=ANY_CASE,
    covers_neighbours=True,
)
def check_needs_review_names_an_open_question(subject: Subject, case: Case) -> str | None:
    """A needs_review names at least one registered open question, also in its explanation."""
    decision = subject.decide(case)
    if decision.outcome != "needs_review":
        return None
    if not decision.open_questions:
        return f"needs_review without an open question: {describe(case)}"
    registry = subject.table_set.questions
    for question in decision.open_questions:
        if question not in registry:
            return f"open question {question} is not registered: {describe(case)}"
        for text in (decision.explanation.sv, decision.explanation.en):
            if question not in text:
                return f"the explanation does not name {question}: {describe(case)}"
    return None


@principle(
    cites="5 kap. 15 § 1 st 1-4, 2 st, 3 st UtlL (statutes.md); brief §3.1, the condition lists "
    "A1-A6, B1-B5, E1-E2 (SFS 2007:322) [SRC-02]",
    drawn_from=ANY_CASE,
    covers_neighbours=True,
)
def check_a_refusal_states_each_unmet_condition_with_its_provision(
    subject: Subject, case: Case
) -> str | None:
    """unmet_conditions are exactly the conditions failed, each citing its paragraph and point."""
    expected = outcome_by_law(case)
    decision = subject.decide(case)
    wanted = Counter(_provision_key(c.provision) for c in expected.failed)
    actual = Counter(_provision_of(u.citation) for u in decision.unmet_conditions)
    if wanted != actual:
        names = [c.name for c in expected.failed]
        return (
            f"unmet conditions cite {sorted(map(str, actual.elements()))}, the law's failed "
            f"conditions {names} are {sorted(map(str, wanted.elements()))}: {describe(case)}"
        )
    opened = {q for c in expected.failed for q in c.open_questions}
    stated = {q for u in decision.unmet_conditions for q in u.open_questions}
    if opened - stated:
        return f"an open condition does not name {sorted(opened - stated)}: {describe(case)}"
    return None


def _grant_provisions(case: Case) -> tuple[Provision, ...]:
    if wording_on(case.decision_date) == "V1":
        return (utl_5_15(),)
    permit = {
        "evidence_person": utl_5_15(1),
        "reflection_period": utl_5_15(2),
        "evidence_person_extension": utl_5_15(3, None, 1),
        "reflection_period_extension": utl_5_15(3, None, 2),
    }[case.permit]
    if wording_on(case.decision_date) == "V2":
        return (permit,)
    # statutes.md, SFS 2022:1015: who applied is in 4 st (1 men. FUL, 2 men. the board).
    return (permit, utl_5_15(4, sentence=1 if case.applicant == FUL else 2))


@principle(
    cites="5 kap. 15 § 1, 2, 3 st, 4 st 1 (FUL) or 2 (board) men. (SFS 2022:1015) UtlL "
    "(statutes.md); brief §0.3 (reference form), §3.1 [SRC-02]",
    drawn_from=ANY_CASE,
)
def check_a_grant_rests_on_5_kap_15(subject: Subject, case: Case) -> str | None:
    """A grant cites the paragraph of 5 kap. 15 § that gives the permit (1, 2 or 3 st).

    Since 2022-08-01 it also cites the sentence of the fourth paragraph that lets the applicant
    apply.
    """
    decision = subject.decide(case)
    if decision.outcome not in GRANTS:
        return None
    for provision in _grant_provisions(case):
        if not cites(decision, provision):
            return f"a {decision.outcome} does not cite {provision}: {describe(case)}"
    return None


#: The act whose wording of 5 kap. 15 § is in force: SFS 2022:1015 from 2022-08-01 (statutes.md,
#: register of amending acts; Q1 settled).
_WORDING_NAMES = {"V1": "SFS 2005:716", "V2": "SFS 2007:322", "V3": "SFS 2022:1015"}


@principle(
    cites="brief §2.1 (V1 SFS 2005:716 from 2006-03-31, V2 SFS 2007:322 from 2007-07-01) [SRC-01, "
    "SRC-02]; statutes.md register (V3 SFS 2022:1015 from 2022-08-01; Q1 settled)",
    drawn_from=ANY_CASE,
    covers_neighbours=True,
)
def check_the_wording_applied_is_the_wording_in_force(subject: Subject, case: Case) -> str | None:
    """The tables consulted and the wording cited are those in force on the decision date.

    That is the wording a decision rests on (its basis citations); context may cite a later wording
    as evidence, as the 2006 row on the reflection period cites SFS 2007:322, which introduced it.
    """
    decision = subject.decide(case)
    day = case.decision_date
    families = [table.id for table in decision.tables]
    if len(families) != len(set(families)):
        return f"a family consulted twice: {families}"
    for table in decision.tables:
        if table.in_force_from > day or (table.in_force_to is not None and table.in_force_to < day):
            return f"{table.id}@{table.version} is not in force on {day}: {describe(case)}"
    wording = wording_on(day)
    for citation in (*decision.legal_basis, *(u.citation for u in decision.unmet_conditions)):
        if (citation.act, citation.chapter, citation.section) != ("2005:716", 5, "15"):
            continue
        if citation.role == "context":
            continue
        if citation.paragraph is None and wording != "V1":
            continue  # the section as a whole (the remark on personal scope)
        if citation.wording != _WORDING_NAMES[wording]:
            return f"5 kap. 15 § cited in the wording {citation.wording!r} on {day}"
    return None


@principle(
    cites="brief §0.1 (every fact carries its source marker), §9 (sources), §10 (open questions); "
    "issue 3 (registry; open questions consistent with the rows both ways)",
    drawn_from=ANY_CASE,
    covers_neighbours=True,
)
def check_every_citation_resolves_and_open_questions_follow_the_registry(
    subject: Subject, case: Case
) -> str | None:
    """Every source cited is registered; every rule fired names the open questions it rests on."""
    decision = subject.decide(case)
    table_set = subject.table_set
    for citation in (*decision.legal_basis, *(u.citation for u in decision.unmet_conditions)):
        entry = table_set.sources.get(citation.source)
        if entry is None:
            return f"source {citation.source} is not registered: {describe(case)}"
        if citation.url != entry.url:
            return f"source {citation.source} cited with url {citation.url!r}: {describe(case)}"
    consulted = {ref.id: ref.version for ref in decision.tables}
    expected: dict[str, None] = {}
    for fired in decision.rules_fired:
        family, _, row_id = fired.partition("/")
        if family not in consulted:
            return f"rule {fired} is not in a consulted table: {describe(case)}"
        key = f"{family}@{consulted[family]}/{row_id}"
        for question in table_set.questions.values():
            if key in table_set.rows_resting_on(question.id):
                expected.setdefault(question.id, None)
    for step in decision.trace:
        for row in step.fired:
            key = f"{step.table}@{step.version}/{row.id}"
            registered = {
                q.id for q in table_set.questions.values() if key in table_set.rows_resting_on(q.id)
            }
            if set(row.open_questions) != registered:
                return (
                    f"rule {key} names open questions {list(row.open_questions)}, the registry "
                    f"{sorted(registered)}: {describe(case)}"
                )
    if set(decision.open_questions) != set(expected):
        return (
            f"open_questions {list(decision.open_questions)}, but the rules fired rest on "
            f"{list(expected)} by the registry: {describe(case)}"
        )
    return None


@principle(
    cites="5 kap. 15 § UtlL (all foreigners); brief §4.8 [S, SRC-42 (förarbeten quoted), SRC-19]",
    drawn_from=ANY_CASE,
    covers_neighbours=True,
)
def check_eu_citizenship_never_changes_the_outcome(subject: Subject, case: Case) -> str | None:
    """5 kap. 15 § covers every foreign national: EU citizenship is only noted, never decisive.

    It never changes the outcome, permit, unmet conditions or open questions; an EU citizen's
    decision notes it, with the sources that say so, and only theirs.
    """
    decision = subject.decide(case)
    other = subject.decide(with_person(case, eu_citizen=not case.person.eu_citizen))
    keep = ("outcome", "permit", "unmet_conditions", "open_questions")
    if any(getattr(decision, name) != getattr(other, name) for name in keep):
        return f"EU citizenship changes {decision.outcome} to {other.outcome}: {describe(case)}"
    citizen = decision if case.person.eu_citizen else other
    citizen_sources = {c.source for c in citizen.legal_basis if c.act == "2005:716"}
    if not {"SRC-42", "SRC-19"} <= citizen_sources:
        return f"an EU citizen's decision does not cite SRC-42 and SRC-19: {describe(case)}"
    non_citizen = other if case.person.eu_citizen else decision
    if "SRC-19" in {c.source for c in non_citizen.legal_basis}:
        return f"the EU remark is made for a non-EU citizen: {describe(case)}"
    for label, d, wanted in (("citizen", citizen, True), ("non-citizen", non_citizen, False)):
        if ("eu_citizen_covered" in _remarks(d)) != wanted:
            return f"the trace's remarks {_remarks(d)} are wrong for a {label}: {describe(case)}"
    if "EU" not in citizen.explanation.en or "EU" not in citizen.explanation.sv:
        return f"the explanation does not mention EU citizenship: {describe(case)}"
    return None


def _remarks(decision: Decision) -> tuple[object, ...]:
    """The remarks the trace records (outputs that are collected lists)."""
    found: list[object] = []
    for step in decision.trace:
        for value in step.outputs.values():
            if isinstance(value, tuple):
                found.extend(value)
    return tuple(found)


@principle(
    cites="1 kap. 10 § UtlL; brief §4.9 [C, SRC-52]",
    drawn_from=ANY_CASE,
)
def check_a_childs_best_interests_are_noted(subject: Subject, case: Case) -> str | None:
    """For a child (only), the decision notes the child's best interests.

    Being a child never changes the outcome or the permit.
    """
    decision = subject.decide(case)
    noted = cites(decision, Provision(chapter=1, section="10"))
    remarked = "child_best_interests" in _remarks(decision)
    if noted != case.person.is_child or remarked != case.person.is_child:
        return (
            f"1 kap. 10 § cited={noted}, remarked={remarked} for is_child="
            f"{case.person.is_child}: {describe(case)}"
        )
    if case.person.relation != "accompanying_child":
        other = subject.decide(with_person(case, is_child=not case.person.is_child))
        if (other.outcome, _permit(other)) != (decision.outcome, _permit(decision)):
            return f"being a child changed {decision.outcome} to {other.outcome}: {describe(case)}"
    return None


def _version_interval(decision: Decision) -> tuple[dt.date, dt.date | None]:
    start = max(table.in_force_from for table in decision.tables)
    ends = [table.in_force_to for table in decision.tables if table.in_force_to is not None]
    return start, min(ends) if ends else None


@principle(
    cites="brief §2.1 (the law is applied as in force on the decision date; versions V1-V3); "
    "contract (issue 2, decision_date)",
    drawn_from=ANY_CASE,
    covers_neighbours=True,
)
def check_the_decision_depends_only_on_the_case_and_the_wording_in_force(
    subject: Subject, case: Case
) -> str | None:
    """Moving the decision date within one version's interval never changes the decision.

    Deciding twice gives the same Decision, and so does deciding on another day of the version:
    its first day, its middle and its last day (twenty years on while it is in force), the days
    either side of the case's own day, and the day as far after the first day as the case's day
    is before the last.
    """
    decision = subject.decide(case)
    if subject.decide(case) != decision:
        return f"deciding twice gave two decisions: {describe(case)}"
    start, end = _version_interval(decision)
    for day in _other_days(case.decision_date, start, end):
        if day < start or (end is not None and day > end):
            continue
        moved = with_date(case, day)
        if moved.decision_date < start:
            continue
        if subject.decide(moved) != decision:
            return (
                f"deciding on {moved.decision_date} instead changes the decision: {describe(case)}"
            )
    return None


def _other_days(day: dt.date, start: dt.date, end: dt.date | None) -> tuple[dt.date, ...]:
    """The days of the version ``start``-``end`` a decision on ``day`` is compared with."""
    last = end if end is not None else start + dt.timedelta(days=20 * 365)
    one = dt.timedelta(days=1)
    return (start, start + (last - start) / 2, last, day - one, day + one, start + (last - day))


@principle(
    cites="contract (issue 2: JSON and Python are the same pydantic models)",
    drawn_from=ANY_CASE,
    covers_neighbours=True,
)
def check_decisions_survive_a_json_round_trip(subject: Subject, case: Case) -> str | None:
    """A Decision (and the Case) read back from its JSON is the same object."""
    decision = subject.decide(case)
    if Decision.model_validate_json(decision.model_dump_json()) != decision:
        return f"the decision changes through JSON: {describe(case)}"
    if Case.model_validate_json(case.model_dump_json()) != case:
        return f"the case changes through JSON: {describe(case)}"
    return None


@principle(
    cites="contract (issue 2: rules_fired in evaluation order; trace per table)",
    drawn_from=ANY_CASE,
    covers_neighbours=True,
)
def check_the_trace_accounts_for_the_decision(subject: Subject, case: Case) -> str | None:
    """The trace shows the outcome and permit decided, and every rule fired, in order: the rules
    that decided in ``rules_fired``, the rules of what the decision brings in its ``effects``
    (issue 13: read after the outcome, they never decide it)."""
    decision = subject.decide(case)
    fired = tuple(f"{step.table}/{row.id}" for step in decision.trace for row in step.fired)
    effects = {f"{effect.table}/{effect.rule}" for effect in decision.effects}
    if tuple(rule for rule in fired if rule not in effects) != decision.rules_fired:
        return f"rules_fired {decision.rules_fired} differ from the trace {fired}"
    if len(effects) != len(decision.effects) or not effects <= set(fired):
        return f"the effects {sorted(effects)} are not rows the trace fired {fired}"
    permit = decision.permit
    shown = {
        "outcome": decision.outcome,
        "permit_type": permit.type if permit else None,
        "permit_days": permit.days if permit else None,
        "permit_min_months": permit.min_months if permit else None,
    }
    steps = [step for step in decision.trace if "outcome" in step.outputs]
    if len(steps) != 1 or {k: steps[0].outputs.get(k) for k in shown} != shown:
        outputs = [step.outputs for step in steps]
        return f"the trace's outcome step {outputs} does not show {shown}: {describe(case)}"
    return None


# --- Who may apply, row by row, and the sources shown beside the basis ----------------------

#: The standing table's name for each route of :func:`route_by_law` (its output vocabulary).
ROUTE_NAMES = {
    "evidence_person": "fu_evidence_person",
    "evidence_person_extension": "fu_evidence_person_extension",
    "reflection_period": "fu_reflection",
    "reflection_period_extension": "fu_reflection_extension",
    "board_reflection": "board_reflection",
    "no_standing": "none",
    "open": "open",
}

#: The paragraph (and sentence) of 5 kap. 15 § that gives each permit requested: 1 st the
#: six-month permit, 2 st the reflection period, 3 st 1 and 2 men. their extensions (brief §3.1
#: for SFS 2007:322; statutes.md, unchanged in substance by SFS 2022:1015).
OWN_PARAGRAPH: dict[str, tuple[int, int | None]] = {
    "evidence_person": (1, None),
    "reflection_period": (2, None),
    "evidence_person_extension": (3, 1),
    "reflection_period_extension": (3, 2),
}


def _who_may_apply_by_law(case: Case) -> set[tuple[int, int | None]] | None:  # noqa: PLR0911
    """The paragraphs (and sentences) of 5 kap. 15 § that settle who may apply for what.

    V2 (SFS 2007:322, brief §2.3): each paragraph names the förundersökningsledare, so the
    permit's own paragraph does; an applicant the law does not name is answered by the first and
    second paragraphs. V3 (SFS 2022:1015, statutes.md): the fourth paragraph with the permit's
    own paragraph; 4 st 1 men. names the förundersökningsledare for every permit and extension,
    2 men. the board, for a permit under 2 st only. V1 was not read (Q-V1): None.
    """
    wording = wording_on(case.decision_date)
    own = OWN_PARAGRAPH[case.permit]
    if wording == "V1":
        return None
    if wording == "V2":
        return {own} if case.applicant == FUL else {(1, None), (2, None)}
    if case.applicant == FUL:
        return {own, (4, 1)}
    if case.applicant == BOARD:
        if case.permit == "reflection_period":
            return {own, (4, 2)}
        if case.permit == "reflection_period_extension":
            return {own, (4, 1), (4, 2)}
        return {(1, None), (4, 1), (4, 2)}  # the six-month permit, or its extension
    return {(4, 1), (4, 2)}


@principle(
    cites="5 kap. 15 § 1-4 st UtlL (SFS 2022:1015, statutes.md; SFS 2007:322, brief §2.3); issue "
    "'The law as written' (standing rows cite 4 st with its sentence)",
    drawn_from=(ANY_CASE, Draw(applicant=BOARD)),
)
def check_who_may_apply_rests_on_its_own_provisions(subject: Subject, case: Case) -> str | None:
    """The step deciding who may apply routes as the law does, on the provisions that say so.

    Its basis citations of 5 kap. 15 § are exactly the paragraphs that say who may apply for what:
    since 2022-08-01 the fourth paragraph's sentences with the permit's own paragraph, under SFS
    2007:322 the permit's own paragraph, or the first and second for an applicant the law does not
    name. The board's route for a presumed victim also rests on BrB 4 kap. 1 a and 1 b §, which the
    fourth paragraph's second sentence names.
    """
    decision = subject.decide(case)
    route, _ = route_by_law(case)
    steps = [step for step in decision.trace if "route" in step.outputs]
    if len(steps) != 1 or len(steps[0].fired) != 1:
        return f"no single step decides who may apply: {describe(case)}"
    step, row = steps[0], steps[0].fired[0]
    if step.outputs["route"] != ROUTE_NAMES[route]:
        return f"routed {step.outputs['route']}, the law gives {route}: {describe(case)}"
    expected = _who_may_apply_by_law(case)
    if expected is None:
        return None
    basis = [c for c in row.citations if c.role == "basis"]
    found = {
        (c.paragraph, c.sentence)
        for c in basis
        if (c.act, c.chapter, c.section) == ("2005:716", 5, "15") and c.paragraph is not None
    }
    if found != expected:
        law = sorted(expected, key=str)
        return f"row {row.id} rests on {sorted(found, key=str)}, the law on {law}"
    if route == "board_reflection":
        sections = {c.section for c in basis if (c.act, c.chapter) == ("1962:700", 4)}
        if sections != {"1 a", "1 b"}:
            return f"row {row.id} rests on BrB 4 kap. {sorted(sections)}: {describe(case)}"
    return None


def _context(decision: Decision, source: str) -> set[tuple[object, ...]]:
    return {
        _provision_of(c) for c in decision.legal_basis if c.role == "context" and c.source == source
    }


@principle(
    cites="14 kap. 4 § UtlL (SFS 2022:1015, statutes.md); brief settled section (Q6)",
    drawn_from=Draw(decided_between=SINCE_2022),
)
def check_a_refusal_says_who_may_appeal_it(subject: Subject, case: Case) -> str | None:
    """A refusal under the 2022 wording says who may appeal it, citing 14 kap. 4 § beside its basis.

    A refusal under 5 kap. 15 § is appealed to a migration court, only by the förundersökningsledare
    or, where the board applied, only by the board. The 2007 wording of 14 kap. 4 § was not read, so
    nothing is said there.
    """
    decision = subject.decide(case)
    if decision.outcome != "refuse" or wording_on(case.decision_date) != "V3":
        return None
    appeal = [
        c for c in decision.legal_basis if (c.act, c.chapter, c.section) == ("2005:716", 14, "4")
    ]
    if [c.role for c in appeal] != ["context"] or appeal[0].source != "UTLL-CONS":
        return f"a refusal cites 14 kap. 4 § as {[(c.role, c.source) for c in appeal]}"
    if "appealed" not in decision.explanation.en or "överklagas" not in decision.explanation.sv:
        return f"a refusal does not say who may appeal it: {describe(case)}"
    return None


@principle(
    cites="5 kap. 15 § 1 st 1 p., 2 st UtlL; brief settled section (Q8 in part); issue 'The law "
    "as written' [SRC-20, secondary]",
    drawn_from=Draw(decided_between=SINCE_2022, applicant=BOARD),
)
def check_the_boards_guidance_is_shown_where_it_explains_the_text(
    subject: Subject, case: Case
) -> str | None:
    """Migrationsverket's page for boards stands beside the statute where it explains it.

    On the board's reflection route (the application, blankett 195011); where the need for an
    investigation is not shown (the need looks ahead: no investigation need have started); and
    where the person is not staying here (the guidance's target group supports the inferred
    reading of the second paragraph).
    """
    decision = subject.decide(case)
    if wording_on(case.decision_date) != "V3":
        return None
    route, _ = route_by_law(case)
    shown = _context(decision, "SRC-20")
    expected: set[tuple[object, ...]] = set()
    if route == "board_reflection":
        expected.add(_provision_key(utl_5_15(2)))
    if route in ROUTE_NAMES and route not in ("no_standing", "open"):
        if not case.facts.needed_for_investigation:
            expected.add(_provision_key(utl_5_15(1, 1)))
        if not case.person.in_sweden and case.permit == "reflection_period":
            expected.add(_provision_key(utl_5_15(2)))
    if shown != expected:
        return f"SRC-20 shown for {sorted(shown, key=str)}, expected {sorted(expected, key=str)}"
    return None


@principle(
    cites="5 kap. 15 § 1, 4 st UtlL; 2024 report fn. 7-8 [REPORT-2024, SRC-09 pp. 93, 119]; brief "
    "§3.2 F1",
    drawn_from=Draw(decided_between=SINCE_2022, applicant=BOARD),
)
def check_the_report_on_children_and_relatives_is_shown(  # noqa: PLR0911
    subject: Subject, case: Case
) -> str | None:
    """The 2024 report's reading is shown for a child or relative the board may not apply for.

    Where the board may not apply for a child or relative who is not itself a presumed victim, the
    decision shows footnote 7 (4 st and prop. 2021/22:224 s. 119 for an accompanying child) or
    footnote 8 (1 and 4 st and s. 93, the förundersökningsledare's route for relatives who are
    evidence persons), beside the statute it matches.
    """
    if wording_on(case.decision_date) != "V3" or case.applicant != BOARD:
        return None
    if case.permit != "reflection_period" or case.facts.presumed_offence in VICTIM_OFFENCES:
        return None
    decision = subject.decide(case)
    pages = {"accompanying_child": "119", "family_member": "93"}.get(case.person.relation)
    report = _context(decision, "REPORT-2024")
    works = {(c.source, c.pages) for c in decision.legal_basis if c.act is None}
    if pages is None:
        if report:
            return f"the report is shown for the person themself: {describe(case)}"
        return None
    if report != {_provision_key(utl_5_15(4))} or ("SRC-09", pages) not in works:
        return f"the report's footnote is not shown ({report}, {works}): {describe(case)}"
    if _provision_key(utl_5_15(1)) not in _context(decision, "UTLL-CONS"):
        return f"the förundersökningsledare's route (1 st) is not shown: {describe(case)}"
    return None


@principle(
    cites="1 kap. 10 § UtlL [UTLL-CONS, SRC-52]; brief §2.2 p. 5 [SRC-06, SRC-02], §4.9",
    drawn_from=ANY_CASE,
)
def check_the_sources_behind_a_remark_and_a_missing_permit_are_shown(
    subject: Subject, case: Case
) -> str | None:
    """The sources behind a child's remark and a missing reflection period are shown.

    A child's remark rests on 1 kap. 10 § as read, with the comment on MIÖD's decision beside it; a
    reflection period asked for before 2007-07-01 is answered from Ds 2005:24, with SFS 2007:322,
    which introduced it, beside it.
    """
    decision = subject.decide(case)
    if case.person.is_child:
        child = {
            (c.role, c.source, c.status)
            for c in decision.legal_basis
            if (c.act, c.chapter, c.section) == ("2005:716", 1, "10")
        }
        if child != {("basis", "UTLL-CONS", "confirmed"), ("context", "SRC-52", "secondary")}:
            return f"1 kap. 10 § cited as {sorted(child)}: {describe(case)}"
    if (
        wording_on(case.decision_date) == "V1"
        and case.applicant == FUL
        and permit_type_of(case.permit) == "reflection_period"
    ):
        standing = [step for step in decision.trace if "route" in step.outputs]
        cited = {
            (c.role, c.source, c.wording)
            for step in standing
            for row in step.fired
            for c in row.citations
        }
        if cited != {("basis", "SRC-06", "SFS 2005:716"), ("context", "SRC-02", "SFS 2007:322")}:
            return f"no reflection period before 2007 rests on {sorted(cited)}: {describe(case)}"
    return None


# --- What a decision brings and how it is challenged (issue 13) ---------------------------------

#: SFS 2013:411 in force: lag (2008:344) 4 § första stycket 4 covers a foreigner staying on a
#: 5 kap. 15 § permit (brief §4.6 [C], SRC-31). Before it, the act's coverage was not read.
SFS_2013_411_IN_FORCE = dt.date(2013, 7, 1)


@dataclass(frozen=True)
class EffectByLaw:
    """One thing a decision brings, as the sources give it: how firm, on which open questions,
    and the provisions (or sources) that must be cited for it."""

    status: str
    questions: frozenset[str]
    provisions: tuple[Provision, ...]


def _ufo(chapter: int, section: str, point: int | None = None) -> Provision:
    """Utlänningsförordningen (2006:97) ``chapter`` kap. ``section`` § (any paragraph)."""
    return Provision(act="2006:97", chapter=chapter, section=section, point=point)


def _appeal_by_law(case: Case, expected: Expected) -> dict[str, EffectByLaw]:  # noqa: PLR0911
    """How a refusal or a no-standing decision can be challenged (14 kap. 4 §)."""
    wording = wording_on(case.decision_date)
    section = Provision(chapter=14, section="4")
    if expected.outcome == "no_standing":
        # Closer to a dismissal: whether 14 kap. 4 § reaches it is open (issue 13).
        own = {"Q-V1", "Q6"} if wording == "V1" else {"Q6"}
        return {"appeal_open": EffectByLaw("inferred", frozenset(own), (section,))}
    if expected.outcome != "refuse":
        return {}
    if expected.route in POLICE_PERMITS:
        # 14 kap. 4 a § (SFS 2014:655): to a migration court; "Endast Polismyndigheten får
        # överklaga". Before 2015 the wording of SFS 2010:533 was not read word for word (Q18).
        if case.decision_date >= SFS_2014_655_IN_FORCE:
            both = (
                Provision(chapter=14, section="4 a", sentence=1),
                Provision(chapter=14, section="4 a", sentence=2),
            )
            return {"appeal_by_police_only": EffectByLaw("confirmed", frozenset(), both)}
        own = (
            Provision(chapter=14, section="4 a", source="SRC-15"),
            Provision(chapter=14, section="4 a", source="UTLL-CONS"),  # today's, as context
        )
        return {"appeal_by_police_only": EffectByLaw("inferred", frozenset({"Q18"}), own)}
    if expected.route == "pay_claim":
        # 14 kap. 4 and 4 a §§ do not name 15 d §; 14 kap. 3 § (a refused residence permit is
        # appealed to a migration court) and the person applied: inferred (Q19).
        general = (Provision(chapter=14, section="3"), Provision(section="15 d"))
        return {"appeal_by_the_person": EffectByLaw("inferred", frozenset({"Q19"}), general)}
    if wording == "V1":  # 14 kap. 4 § before SFS 2007:322 not read (brief §4.5; Q-V1)
        return {"appeal_open": EffectByLaw("inferred", frozenset({"Q-V1", "Q6"}), (section,))}
    extension = expected.route in EXTENSIONS
    if wording == "V2":
        # SFS 2007:322 amended 14 kap. 4 § (register); that wording was not read (Q6): the
        # best-supported reading is today's, with the förundersökningsledare the only applicant.
        questions = {"Q6"}
        return {
            "appeal_by_investigation_leader_only": EffectByLaw(
                "inferred",
                frozenset(questions),
                (section, Provision(chapter=14, section="4", source="UTLL-CONS")),
            )
        }
    # SFS 2022:1015 (statutes.md): a refusal is appealed to a migration court (1 men.), only by
    # the förundersökningsledare or, where the board applied, only by the board (2 men.).
    both = (
        Provision(chapter=14, section="4", sentence=1),
        Provision(chapter=14, section="4", sentence=2),
    )
    if expected.route == "board_reflection":
        return {"appeal_by_board_only": EffectByLaw("confirmed", frozenset(), both)}
    if extension:  # "avslag på en ansökan om tidsbegränsat uppehållstillstånd": read to cover it
        return {
            "appeal_by_investigation_leader_only": EffectByLaw("inferred", frozenset({"Q6"}), both)
        }
    return {"appeal_by_investigation_leader_only": EffectByLaw("confirmed", frozenset(), both)}


def effects_by_law(case: Case) -> dict[str, EffectByLaw]:
    """What the decision brings and how it is challenged, by the sources on the decision date.

    statutes.md gives today's wordings of UtlF 2 kap. 1 §, 5 kap. 1 §, 8 kap. 5 § and 10 j §
    and of UtlL 5 kap. 18 §, with the tags of their last amendments but not their entry into
    force (Q10); the brief gives the 2007 wordings of UtlF and LMA (SFS 2007:320, 2007:323,
    their entry into force not read) and lag (2008:344) 4 § from SFS 2013:411 (in force
    2013-07-01) and 2013:647 (2013-08-01). So every effect resting on those is inferred (Q10),
    except the one month in which 2013:411's read wording was certainly in force; the
    reimbursement rests on Migrationsverket's guidance (secondary; Q17 since the new social
    services act). Under the unread original wording (V1) only the preparatory works' statement
    on care and reimbursement is known (prop. 2003/04:35, Q-V1).
    """
    expected = outcome_by_law(case)
    day, wording = case.decision_date, wording_on(case.decision_date)
    out = _appeal_by_law(case, expected)
    q10 = frozenset({"Q10"})
    if wording == "V3" and expected.outcome in ("grant", "may_grant", "refuse"):
        # UtlF 8 kap. 5 §: no fee from a förundersökningsledare or board applying under 15 §
        # (p. 10), the police under 15 b or 16 a § (p. 11), a person under 15 d § (p. 13).
        point = (
            11 if expected.route in POLICE_PERMITS else 13 if expected.route == "pay_claim" else 10
        )
        out["no_application_fee"] = EffectByLaw("inferred", q10, (_ufo(8, "5", point),))
    if expected.outcome not in GRANTS:
        return out
    if expected.route in POLICE_PERMITS:
        return out  # no effect of a 15 b or 16 a § permit read beyond the fee (docs)
    if expected.route == "pay_claim":
        # UtlF 5 kap. 1 § (SFS 2013:641) exempts a 15 d § holder; lag (2008:344) 4 § 1 st 4
        # (SFS 2013:647, from 2013-08-01) covers one: their later wordings' dates unread (Q10).
        out["work_permit_exempt"] = EffectByLaw("inferred", q10, (_ufo(5, "1"),))
        care = Provision(act="2008:344", chapter=None, section="4", paragraph=1, point=4)
        out["health_care_act_covered"] = EffectByLaw("inferred", q10, (care,))
        return out
    evidence = permit_type_of(case.permit) == "evidence_person"
    if wording == "V1":
        reimbursed = Provision(source="SRC-07")
        out["municipal_reimbursement"] = EffectByLaw(
            "secondary", frozenset({"Q-V1"}), (reimbursed,)
        )
        return out
    # UtlF 5 kap. 1 §: only a permit under 15 § 1 st (or 15 d §) is exempt, never 2 st.
    work = "work_permit_exempt" if evidence else "work_permit_required"
    out[work] = EffectByLaw("inferred", q10, (_ufo(5, "1"),))
    out["passport_waived"] = EffectByLaw("inferred", q10, (_ufo(2, "1"),))
    if day >= SFS_2013_646_IN_FORCE:  # the only wording of 5 kap. 18 § read is 2013:646's
        after_entry = Provision(chapter=5, section="18", paragraph=2, point=4)
        out["granted_after_entry"] = EffectByLaw("inferred", q10, (after_entry,))
    out["reception_act_excluded"] = EffectByLaw(
        "inferred", q10, (Provision(act="1994:137", chapter=None, section="1"),)
    )
    if day >= SFS_2013_411_IN_FORCE:
        care = Provision(act="2008:344", chapter=None, section="4", paragraph=1, point=4)
        firm = day < SFS_2013_646_IN_FORCE
        out["health_care_act_covered"] = EffectByLaw(
            "confirmed" if firm else "inferred", frozenset() if firm else q10, (care,)
        )
    if evidence:
        guidance = (
            Provision(paragraph=1, source="SRC-22"),
            Provision(paragraph=1, source="SRC-33"),
        )
        questions = {"Q10", "Q17"} if wording == "V3" else {"Q10"}
        out["municipal_reimbursement"] = EffectByLaw("secondary", frozenset(questions), guidance)
    if day >= SFS_2013_646_IN_FORCE:  # UtlF 8 kap. 10 j § refers to 5 kap. 15 d §
        out["inform_about_15d"] = EffectByLaw("inferred", q10, (_ufo(8, "10 j"),))
    return out


def _loosely(provision: Provision, citation: Citation) -> bool:
    """``provision`` matches ``citation``; for the ordinance, any paragraph."""
    if provision.act == "2006:97":
        return (citation.act, citation.chapter, citation.section, citation.point) == (
            provision.act,
            provision.chapter,
            provision.section,
            provision.point,
        )
    return provision.matches(citation)


@principle(
    cites="UtlF 2 kap. 1 §, 5 kap. 1 §, 8 kap. 5 §, 8 kap. 10 j §, UtlL 5 kap. 18 § 2 st 4 and "
    "14 kap. 4 § (statutes.md); brief §4.5, §4.6 and settled section (Q6, Q10); issue 13",
    drawn_from=ANY_CASE,
    covers_neighbours=True,
)
def check_a_decision_brings_what_the_sources_give(subject: Subject, case: Case) -> str | None:
    """A decision lists exactly what it brings and how it can be challenged, each cited and as
    firm as its sources: a reflection-period permit never exempts from the work-permit
    requirement, a refusal on the board's application is appealed by the board only, and none
    of it changes the decision's legal basis or open questions.
    """
    decision = subject.decide(case)
    wanted = effects_by_law(case)
    given = {effect.effect: effect for effect in decision.effects}
    if set(given) != set(wanted) or len(given) != len(decision.effects):
        return f"effects {sorted(given)}, the sources give {sorted(wanted)}: {describe(case)}"
    for name, law in wanted.items():
        effect = given[name]
        if effect.status != law.status or set(effect.open_questions) != law.questions:
            return (
                f"{name} is {effect.status} on {sorted(effect.open_questions)}, the sources give "
                f"{law.status} on {sorted(law.questions)}: {describe(case)}"
            )
        for provision in law.provisions:
            if not any(_loosely(provision, citation) for citation in effect.citations):
                return f"{name} does not cite {provision}: {describe(case)}"
    return None


def violations(subject: Subject, case: Case) -> Iterable[tuple[str, str]]:
    """``(principle, message)`` for every principle ``case`` violates (exceptions included)."""
    for prop in PROPERTIES:
        try:
            message = prop.check(subject, case)
        except Exception as error:
            message = f"raised {type(error).__name__}: {error}"
        if message:
            yield prop.name, message


# --- The neighbouring permits (5 kap. 15 b, 16 a, 15 d §§; issue 13) ---------------------------

NEIGHBOUR_FACT_NAMES = (
    "special_personal_security",
    "holds_protected_person_permit",
    "holds_15_permit",
    "cooperated_employer_investigation",
    "pay_claim_brought",
)
SECTION_15_FACT_NAMES = (
    "needed_for_investigation",
    "willing_to_cooperate",
    "ties_broken",
    "public_order_objection",
    "wants_reflection_period",
    "special_reasons_longer_reflection",
)
#: The neighbouring permits, mostly since they exist, near where their conditions hold.
NEIGHBOURS_IN_FORCE = (
    Draw(
        decided_between=(SFS_2010_533_IN_FORCE, None),
        applicant=("police_authority", "the_person", FUL),
        permit=tuple(sorted(NEIGHBOUR_PERMITS)),
        near_grant="all",
    ),
    Draw(permit=tuple(sorted(NEIGHBOUR_PERMITS))),
)


@principle(
    cites="5 kap. 15 b, 16 a §§ (SFS 2010:533, 2014:655), 15 d § (SFS 2013:646) UtlL "
    "(statutes.md); 5 kap. 15 § 1-3 st",
    drawn_from=(ANY_CASE, *NEIGHBOURS_IN_FORCE),
    covers_neighbours=True,
)
def check_each_permit_is_decided_by_its_own_conditions(subject: Subject, case: Case) -> str | None:
    """A neighbouring permit is decided by its own section's conditions, never by those of
    5 kap. 15 §, and a 15 § permit never by the neighbouring sections' conditions."""
    decision = subject.decide(case)
    names = SECTION_15_FACT_NAMES if case.permit in NEIGHBOUR_PERMITS else NEIGHBOUR_FACT_NAMES
    moved = [*names] + (["in_sweden"] if case.permit in NEIGHBOUR_PERMITS else [])
    for name in moved:
        if name == "in_sweden":
            other = subject.decide(with_person(case, in_sweden=not case.person.in_sweden))
        else:
            other = subject.decide(with_facts(case, **{name: not getattr(case.facts, name)}))
        if (other.outcome, _permit(other), other.rules_fired) != (
            decision.outcome,
            _permit(decision),
            decision.rules_fired,
        ):
            return f"{name} changed a decision on {case.permit}: {describe(case)}"
    return None


@principle(
    cites='5 kap. 15 b § ("på ansökan av Polismyndigheten", at least one year), 16 a § UtlL '
    "(SFS 2014:655, statutes.md); SFS 2010:533 (brief §4.2, Rikspolisstyrelsen)",
    drawn_from=NEIGHBOURS_IN_FORCE,
    covers_neighbours=True,
)
def check_only_the_police_obtain_the_protected_person_permits(
    subject: Subject, case: Case
) -> str | None:
    """Only the police obtain a 15 b or 16 a § permit, citing the section, and only from
    2010-07-01; a 15 b § grant is for at least one year, a 16 a § grant permanent."""
    if case.permit not in POLICE_PERMITS:
        return None
    decision = subject.decide(case)
    section = "15 b" if case.permit == "protected_person" else "16 a"
    if decision.outcome in GRANTS:
        if case.applicant != "police_authority" or case.decision_date < SFS_2010_533_IN_FORCE:
            return f"{case.applicant} obtained a {section} § permit: {describe(case)}"
        if decision.outcome != "grant":
            return f"a {section} § permit is {decision.outcome}, the law says ska: {describe(case)}"
        want = (
            ("protected_person", None, 12)
            if section == "15 b"
            else (
                "protected_person_permanent",
                None,
                None,
            )
        )
        if _permit(decision) != want:
            return f"{section} § permit {_permit(decision)}, the law gives {want}: {describe(case)}"
    return _cites_the_section(decision, case, section, SFS_2010_533_IN_FORCE)


def _cites_the_section(decision: Decision, case: Case, section: str, since: dt.date) -> str | None:
    """A decision on a neighbouring permit cites its section; before the section existed, a
    no_standing cites where the law then said who may apply (5 kap. 15 §)."""
    wanted = (Provision(section=section),) if case.decision_date >= since else _who_may_apply(case)
    missing = [str(p) for p in wanted if not cites(decision, p)]
    if missing:
        return f"a decision on {case.permit} does not cite {missing}: {describe(case)}"
    # 15 b and 16 a §§ in the wording in force: SFS 2010:533 (read in its print, SRC-15) until
    # 2014-12-31, SFS 2014:655 (read in the consolidated text) from 2015-01-01.
    police = ("15 b", "16 a")
    current = "UTLL-CONS" if case.decision_date >= SFS_2014_655_IN_FORCE else "SRC-15"
    stale = [
        f"{c.section} § read in {c.source}"
        for c in decision.legal_basis
        if c.chapter == 5 and c.section in police and c.role == "basis" and c.source != current
    ]
    if stale:
        return f"a decision on {case.permit} cites another wording: {stale}: {describe(case)}"
    # No open question decides who may apply or the conditions; under the unread original
    # wording every step rests on Q-V1.
    allowed = {"Q-V1"} if wording_on(case.decision_date) == "V1" else set()
    if set(decision.open_questions) != allowed:
        return f"a decision on {case.permit} rests on {decision.open_questions}: {describe(case)}"
    return None


@principle(
    cites='5 kap. 15 d § UtlL (SFS 2013:646, statutes.md: "får, efter egen ansökan")',
    drawn_from=NEIGHBOURS_IN_FORCE,
    covers_neighbours=True,
)
def check_the_15d_permit_is_discretionary_and_on_the_persons_own_application(
    subject: Subject, case: Case
) -> str | None:
    """A 15 d § permit may be granted (never "shall"), only on the person's own application and
    only from 2013-08-01, citing 15 d §."""
    if case.permit != "pay_claim":
        return None
    decision = subject.decide(case)
    if decision.outcome == "grant":
        return f"a 15 d § permit is granted as of right: {describe(case)}"
    if decision.outcome == "may_grant" and (
        case.applicant != "the_person" or case.decision_date < SFS_2013_646_IN_FORCE
    ):
        return f"{case.applicant} obtained a 15 d § permit: {describe(case)}"
    return _cites_the_section(decision, case, "15 d", SFS_2013_646_IN_FORCE)


#: Open questions that ask about one neighbouring permit's own provisions, and the permits
#: they concern (the registry: Q18, 5 kap. 15 b and 16 a §§ and 14 kap. 4 a § as worded by SFS
#: 2010:533; Q19, who appeals a refusal under 5 kap. 15 d §, 14 kap. 3 §).
QUESTIONS_OF_ONE_PERMIT = {"Q18": POLICE_PERMITS, "Q19": frozenset({"pay_claim"})}


@principle(
    cites="5 kap. 15 b, 16 a §§ and 14 kap. 4 a § UtlL (SFS 2010:533) and 5 kap. 15 d §, "
    "14 kap. 3 § UtlL (SFS 2013:646): the open questions Q18 and Q19 of the registry; brief "
    "§4.2, §4.3",
    drawn_from=ANY_CASE,
    covers_neighbours=True,
)
def check_a_question_about_one_permit_is_named_only_for_it(
    subject: Subject, case: Case
) -> str | None:
    """A question about the provisions of 15 b and 16 a §§ (Q18) or of 15 d § (Q19) is named
    only where that permit is applied for: no other application is decided under those
    sections, so neither its decision, its unmet conditions nor what it brings rests on them."""
    decision = subject.decide(case)
    named = {
        *decision.open_questions,
        *(q for unmet in decision.unmet_conditions for q in unmet.open_questions),
        *(q for effect in decision.effects for q in effect.open_questions),
    }
    for question, permits in QUESTIONS_OF_ONE_PERMIT.items():
        if question in named and case.permit not in permits:
            return f"a decision on {case.permit} names {question}: {describe(case)}"
    return None
