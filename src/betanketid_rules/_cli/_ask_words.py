"""The words of the questionnaire (``betanketid-rules ask``) and how it reads an answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from .._types import CellScalar, Lang

WORDS: dict[Lang, dict[str, str]] = {
    "sv": {
        "intro": "Frågor om uppehållstillstånd enligt 5 kap. 15 § utlänningslagen. Svara med "
        "numret, ja eller nej; ? visar en förklaring och vet inte lämnar frågan öppen.",
        "prompt": "Svar: ",
        "not_understood": "Svaret förstods inte: skriv numret, ja, nej, ? eller vet inte.",
        "stopped": "Avbrutet.",
        "saved": "Ärendet sparades i {path}.",
    },
    "en": {
        "intro": "Questions about a residence permit under chapter 5, section 15 of the Aliens "
        "Act. Answer with the number, yes or no; ? shows an explanation and don't know leaves "
        "the question open.",
        "prompt": "Answer: ",
        "not_understood": "The answer was not understood: type the number, yes, no, ? or "
        "don't know.",
        "stopped": "Stopped.",
        "saved": "The case was saved to {path}.",
    },
}

_YES = {"ja", "j", "yes", "y"}
_NO = {"nej", "n", "no"}
_UNKNOWN = {"vet inte", "vet ej", "vet ej.", "don't know", "dont know", "do not know"}
_HELP = {"?", "hjälp", "help"}


def parse_answer(
    text: str, options: Sequence[tuple[CellScalar, str]]
) -> Literal["help", "unknown"] | tuple[CellScalar] | None:
    """What ``text`` answers among ``options`` (value, label): a value, "help", "unknown", or
    None when it is not understood. Both languages' words are accepted.

    >>> options = [(False, "nej"), (True, "ja")]
    >>> parse_answer(" J ", options), parse_answer("2", options)
    ((True,), (True,))
    >>> parse_answer("vet inte", options), parse_answer("kanske", options)
    ('unknown', None)
    """
    answer = " ".join(text.strip().lower().split())
    if answer in _HELP:
        return "help"
    if answer in _UNKNOWN:
        return "unknown"
    accepted: dict[str, CellScalar] = {}
    for number, (value, label) in enumerate(options, start=1):
        accepted.update({str(number): value, label.lower(): value, str(value).lower(): value})
    if {value for value, _ in options} == {False, True}:
        accepted.update(dict.fromkeys(_YES, True) | dict.fromkeys(_NO, False))
    return (accepted[answer],) if answer in accepted else None
