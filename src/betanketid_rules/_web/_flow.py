"""The guided form's state, carried by the request alone: the answers given so far.

Answers are the case's enum and yes/no values, by the field's dotted path (``person.in_sweden=
true``), plus who is asking (``asker``), the decision date (``date``) and the fields answered
"vet inte" (the field with an empty value). They travel in the URL of a GET form; nothing is kept on
the server. Which question comes next, and when the case is decided, the assessment says.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from pydantic import ValidationError

from .._assess import Assessment
from .._assess._completions import nested
from .._assess._run import assess_in
from .._contract import Case, Decision, Facts, Person
from .._engine import decide_with
from .._partial import PartialCase
from .._tables import TableSet
from .._tables._columns import APPLICATION_DOMAINS, CASE_DOMAINS
from .._types import CellScalar, Lang
from ._texts import texts

#: The query parameters that are not a case field.
ASKER, DATE = "asker", "date"


class FormError(ValueError):
    """An answer the form cannot read: the field and the reason, in the page's language."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(f"{field_name}: {reason}")
        self.field_name = field_name
        self.reason = reason


@dataclass(frozen=True)
class Answers:
    """What the form knows: who asks, the date, each answer, and the questions not known."""

    asker: str | None
    day: dt.date
    known: dict[str, CellScalar] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()

    def partial(self) -> dict[str, Any]:
        """The answers as a partial case (the input of an assessment)."""
        return {**nested(self.known), "decision_date": self.day.isoformat()}

    def pairs(self) -> list[tuple[str, str]]:
        """The answers as query parameters, in a stable order."""
        found: list[tuple[str, str]] = []
        if self.asker is not None:
            found.append((ASKER, self.asker))
        found.append((DATE, self.day.isoformat()))
        decided_by_asker = self.asker is not None
        found += [
            (path, encode(value))
            for path, value in self.known.items()
            if not (decided_by_asker and path == "applicant")
        ]
        found += [
            (path, "") for path in self.unknown if not (decided_by_asker and path == "applicant")
        ]
        return found

    def query(self) -> str:
        """The answers as a URL query string."""
        return urlencode(self.pairs())

    def with_answer(self, path: str, value: CellScalar | None) -> Answers:
        """These answers and one more (None: "vet inte")."""
        if value is None:
            return Answers(self.asker, self.day, dict(self.known), (*self.unknown, path))
        return Answers(self.asker, self.day, {**self.known, path: value}, self.unknown)


def encode(value: CellScalar) -> str:
    """A value as the form writes it: ``true``/``false`` for a yes/no, else the value.

    >>> encode(True), encode("trafficking")
    ('true', 'trafficking')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def decode(path: str, text: str, lang: Lang) -> CellScalar:
    """The value of ``path`` the form wrote as ``text`` (a :class:`FormError` if none).

    >>> decode("person.in_sweden", "false", "sv"), decode("permit", "evidence_person", "sv")
    (False, 'evidence_person')
    >>> decode("person.in_sweden", "kanske", "en")
    Traceback (most recent call last):
    ...
    betanketid_rules._web._flow.FormError: person.in_sweden: unknown answer: kanske
    """
    for value in CASE_DOMAINS[path]:
        if encode(value) == text:
            return value
    raise FormError(path, texts().word("bad_value", lang, value=text[:40]))


def read_answers(
    pairs: Iterable[tuple[str, str]], lang: Lang, today: dt.date | None = None
) -> Answers:
    """The answers in query parameters ``pairs``; a :class:`FormError` names a bad one.

    >>> answers = read_answers([("asker", "board"), ("date", "2024-02-01"),
    ...     ("person.in_sweden", "true"), ("facts.ties_broken", "")], "en")
    >>> answers.known, answers.unknown
    ({'applicant': 'social_welfare_board', 'person.in_sweden': True}, ('facts.ties_broken',))
    """
    words = texts()
    given: dict[str, str] = {}
    for name, text in pairs:
        if name in given:
            raise FormError(name[:40], words.word("twice", lang))
        given[name] = text
    asker_id, known, unknown = _asker(given.pop(ASKER, None), lang)
    if asker_id is not None:
        given.pop("applicant", None)  # who is asking decides it
    day = _day(given.pop(DATE, None), lang) or today or dt.date.today()
    for name, text in given.items():
        if name not in APPLICATION_DOMAINS:
            raise FormError(name[:40], words.word("unknown_field", lang))
        if text == "":  # "vet inte"
            unknown.append(name)
        else:
            known[name] = decode(name, text, lang)
    answers = Answers(asker_id, day, known, tuple(p for p in unknown if p not in known))
    try:
        PartialCase.model_validate(answers.partial())
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or DATE
        raise FormError(where, words.word("contradiction", lang, reason=first["msg"])) from None
    return answers


def _asker(text: str | None, lang: Lang) -> tuple[str | None, dict[str, CellScalar], list[str]]:
    """Who is asking, and what it says of the applicant (known, or unknown)."""
    if text is None:
        return None, {}, []
    asker = texts().asker(text)
    if asker is None:
        raise FormError(ASKER, texts().word("bad_value", lang, value=text[:40]))
    if asker.applicant is None:
        return asker.id, {}, ["applicant"]
    return asker.id, {"applicant": asker.applicant}, []


def _day(text: str | None, lang: Lang) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FormError(DATE, texts().word("bad_value", lang, value=text[:40])) from None


def assessment_of(table_set: TableSet, answers: Answers) -> Assessment:
    """What the answers leave open, assessed against ``table_set``.

    >>> from betanketid_rules._tables import default_table_set
    >>> answers = read_answers([("asker", "board"), ("date", "2024-02-01"),
    ...     ("permit", "reflection_period")], "sv")
    >>> assessment_of(default_table_set(), answers).decided
    False
    """
    return assess_in(table_set, answers.partial())


def next_question(assessment: Assessment, answers: Answers) -> str | None:
    """The best question still open that was not answered "vet inte", or None when the
    assessment is decided or only unknown answers are left.

    >>> from betanketid_rules._tables import default_table_set
    >>> answers = read_answers([("asker", "board"), ("date", "2024-02-01"),
    ...     ("permit", "reflection_period"), ("facts.presumed_offence", "")], "sv")
    >>> next_question(assessment_of(default_table_set(), answers), answers)
    'person.in_sweden'
    """
    if assessment.decided:
        return None
    return next((path for path in assessment.questions if path not in answers.unknown), None)


def options(table_set: TableSet, answers: Answers, path: str, lang: Lang) -> list[tuple[str, str]]:
    """The answers ``path`` can take next to the others (encoded value, label).

    >>> from betanketid_rules._tables import default_table_set
    >>> answers = read_answers([("date", "2024-02-01"), ("person.is_child", "false")], "en")
    >>> [value for value, _ in options(default_table_set(), answers, "person.relation", "en")]
    ['self', 'family_member']
    """
    vocabulary = table_set.vocabulary
    assert vocabulary is not None
    found = []
    for value in CASE_DOMAINS[path]:
        try:
            PartialCase.model_validate(answers.with_answer(path, value).partial())
        except ValidationError:
            continue  # the contract rules it out with the answers given (a child's relation)
        found.append((encode(value), vocabulary.label(path, value, lang)))
    return found


def complete_case(answers: Answers) -> Case:
    """The case the answers describe: each field not answered takes the contract's default
    ("not shown"); where the contract rules that out with the answers given (an accompanying
    child is a child), the fewest fields change from their default.

    >>> case = complete_case(Answers("board", dt.date(2024, 2, 1), {"applicant":
    ...     "social_welfare_board", "permit": "reflection_period",
    ...     "person.relation": "accompanying_child"}))
    >>> case.person.is_child, case.facts.presumed_offence
    (True, 'none')
    """
    base = {**answers.partial()}
    try:
        return Case.model_validate(base)
    except ValidationError:
        pass
    free = [path for path in APPLICATION_DOMAINS if path not in answers.known]
    defaults = _defaults()
    for count in range(1, len(free) + 1):
        for changed in itertools.combinations(free, count):
            for values in itertools.product(
                *([v for v in APPLICATION_DOMAINS[p] if v != defaults.get(p)] for p in changed)
            ):
                flat = {**answers.known, **dict(zip(changed, values, strict=True))}
                try:
                    return Case.model_validate(
                        {**nested(flat), "decision_date": answers.day.isoformat()}
                    )
                except ValidationError:
                    continue
    raise FormError(DATE, "no valid case")  # pragma: no cover (every partial case completes)


def _defaults() -> dict[str, CellScalar]:
    """The contract's default of each field of the person and the facts."""
    found: dict[str, CellScalar] = {}
    for prefix, model in (("person.", Person), ("facts.", Facts)):
        for name, info in model.model_fields.items():
            found[prefix + name] = info.default
    return found


def decision_of(table_set: TableSet, answers: Answers) -> Decision:
    """The decision on the case the answers describe, by the reference engine.

    >>> from betanketid_rules._tables import default_table_set
    >>> answers = read_answers([("asker", "other"), ("date", "2024-02-01"),
    ...     ("permit", "reflection_period")], "sv")
    >>> decision_of(default_table_set(), answers.with_answer("applicant", "the_person")).outcome
    'no_standing'
    """
    return decide_with(table_set, complete_case(answers), "native")
