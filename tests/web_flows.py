"""The guided form's flows as people go through them, with what the law says they come to.

Each flow is who is asking, what it is about and the answer to every question the form may
ask; ``expected`` is written from the statute (utlänningslagen 5 kap. 15 § in the wording of
SFS 2022:1015, brief "Settled after this brief was written"), not read off the tables. The
browser tests and the in-process tests drive the same flows; both compare what the page shows
with ``evaluate()`` on the same answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from typing import Any

#: Every flow is decided on this day (the 2022 wording is in force).
DAY = "2024-02-01"

#: Who is asking -> the applicant it makes (None: not known), as the form's texts say.
ASKER_APPLICANT = {
    "board": "social_welfare_board",
    "leader": "preliminary_investigation_leader",
    "other": None,
}


@dataclass(frozen=True)
class Flow:
    name: str
    asker: str
    permit: str  # "" for "vet inte"
    #: The answer to each question the form may ask, the start page's included ("" for "vet
    #: inte"); a question asked that is not here fails the flow.
    answers: dict[str, str]
    #: What the law says: the outcome, the permit's days or months, or "undecided".
    expected: str
    #: Words the result page must show (from the rows' notes, in the page's language).
    shows: tuple[str, ...] = ()
    #: Facts the contract implies that the form need not ask (an accompanying child is a child).
    implied: dict[str, str] = field(default_factory=dict)

    def case(self, given: dict[str, str], day: str = DAY) -> dict[str, Any]:
        """The case the answers ``given`` on the way describe, for ``evaluate()`` (a question
        not asked or answered "vet inte" is left out)."""
        case: dict[str, Any] = {"decision_date": day, "person": {}, "facts": {}}
        applicant = ASKER_APPLICANT[self.asker]
        if applicant is not None:
            case["applicant"] = applicant
        if self.permit:
            case["permit"] = self.permit
        for path, text in {**given, **self.implied}.items():
            if text == "":
                continue
            value: Any = {"true": True, "false": False}.get(text, text)
            head, _, tail = path.partition(".")
            case[head][tail] = value
        return case


#: The board applies for a reflection period for a presumed trafficking victim staying here,
#: needed for the investigation, who wants the time; nothing speaks against it: 30 days
#: (2 st, 4 st second sentence).
BOARD_GRANT = Flow(
    "board-grant",
    "board",
    "reflection_period",
    {
        "person.relation": "self",
        "facts.presumed_offence": "trafficking",
        "person.in_sweden": "true",
        "facts.needed_for_investigation": "true",
        "facts.public_order_objection": "false",
        "facts.wants_reflection_period": "true",
    },
    expected="grant:30d",
    # How the board sends it (Migrationsverket's page), and that a refusal could be appealed
    # only by the board (14 kap. 4 § as worded by SFS 2022:1015).
    shows=(
        "195011",
        "visa.app@migrationsverket.se",
        "Om ansökan avslås",
        "Kan överklagas till migrationsdomstol endast av socialnämnden",
    ),
)

#: The same, but the person is not needed for an investigation or a main hearing: 2 st
#: requires 1 st point 1, so the board's application is refused.
BOARD_REFUSAL = Flow(
    "board-refusal",
    "board",
    "reflection_period",
    {
        "person.relation": "self",
        "facts.presumed_offence": "exploitation",
        "person.in_sweden": "true",
        "facts.needed_for_investigation": "false",
        "facts.public_order_objection": "false",
        "facts.wants_reflection_period": "true",
    },
    expected="refuse",
    shows=("första stycket 1",),
)

#: An accompanying child who is not itself a presumed victim: the board's test concerns the
#: person the application is for (4 st second sentence), so the board has no standing; the
#: investigation leader can apply for the child if it is an evidence person.
CHILD = Flow(
    "accompanying-child",
    "board",
    "reflection_period",
    {"person.relation": "accompanying_child", "facts.presumed_offence": "none"},
    expected="no_standing",
    shows=("förundersökningsledaren kan ansöka för barnet",),
    implied={"person.is_child": "true"},
)

#: The investigation leader applies for an evidence person staying here, needed for the
#: investigation, clearly willing to cooperate, all ties broken, nothing against: a permit of
#: at least six months (1 st, 4 st first sentence).
LEADER_SIX_MONTHS = Flow(
    "leader-six-months",
    "leader",
    "evidence_person",
    {
        "person.relation": "self",
        "person.in_sweden": "true",
        "facts.needed_for_investigation": "true",
        "facts.willing_to_cooperate": "true",
        "facts.ties_broken": "true",
        "facts.public_order_objection": "false",
    },
    expected="grant:6m",
    shows=("194011", "Kan överklagas till migrationsdomstol endast av förundersökningsledaren"),
)

#: The board does not know whether the person is needed for an investigation: the outcome
#: turns on it, so the form ends undecided and names that question.
DONT_KNOW = Flow(
    "dont-know",
    "board",
    "reflection_period",
    {
        "person.relation": "self",
        "facts.presumed_offence": "trafficking",
        "person.in_sweden": "true",
        "facts.needed_for_investigation": "",
        "facts.public_order_objection": "false",
        "facts.wants_reflection_period": "true",
    },
    expected="undecided",
    shows=("Behövs personen i Sverige för att en förundersökning",),
)

SWEDISH_FLOWS = (BOARD_GRANT, BOARD_REFUSAL, CHILD, LEADER_SIX_MONTHS, DONT_KNOW)

#: The board's grant in English.
ENGLISH_GRANT = Flow(
    "board-grant-en",
    "board",
    "reflection_period",
    BOARD_GRANT.answers,
    expected="grant:30d",
    shows=("195011", "shall be granted"),
)


def matches(expected: str, outcome: str, days: str, months: str) -> bool:
    """Whether a page's outcome (and permit) is what the law says."""
    if expected == "grant:30d":
        return (outcome, days) == ("grant", "30")
    if expected == "grant:6m":
        return (outcome, months) == ("grant", "6")
    return outcome == expected


# --- reading the pages without a browser ------------------------------------------------------

_HIDDEN = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')
_RADIO = re.compile(r'<input type="radio" name="([^"]*)"')
_MAIN = re.compile(r"<main ([^>]*)>")
_ATTRIBUTE = re.compile(r'data-([a-z-]+)="([^"]*)"')


def hidden_inputs(html: str) -> list[tuple[str, str]]:
    return [(unescape(name), unescape(value)) for name, value in _HIDDEN.findall(html)]


def radio_names(html: str) -> list[str]:
    return list(dict.fromkeys(unescape(name) for name in _RADIO.findall(html)))


def page_data(html: str) -> dict[str, str]:
    """The ``data-*`` attributes of the page's ``<main>``."""
    found = _MAIN.search(html)
    return dict(_ATTRIBUTE.findall(found.group(1))) if found else {}


def text_of(html: str) -> str:
    """The page's text, tags removed, whitespace joined."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
