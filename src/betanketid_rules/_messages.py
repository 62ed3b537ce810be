"""What is wrong with an input, in Swedish and English: one catalogue, keyed by a stable code.

The library's own checks raise errors with a code of this catalogue (the English text is what
``str(error)`` says); pydantic's own checks keep pydantic's codes (``missing``,
``bool_type``, ...), and the common ones have their words here too. The command line shows a
problem in the language of ``--lang``; JSON output keeps the English message and the code.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from ._types import Lang

MESSAGES: dict[str, dict[Lang, str]] = {
    # The contract's own checks.
    "date_format": {
        "en": "expected an ISO date string YYYY-MM-DD",
        "sv": "ska vara ett datum skrivet ÅÅÅÅ-MM-DD",
    },
    "date_and_time": {
        "en": "expected a date (YYYY-MM-DD), not a date and time",
        "sv": "ska vara ett datum (ÅÅÅÅ-MM-DD), inte datum och klockslag",
    },
    "calendar_date": {
        "en": "not a valid calendar date: {value}",
        "sv": "är inget giltigt datum: {value}",
    },
    "control_characters": {
        "en": "must not contain control characters (such as a line break)",
        "sv": "får inte innehålla styrtecken (till exempel en radbrytning)",
    },
    "null_field": {
        "en": "leave the field out instead of null",
        "sv": "utelämna fältet i stället för null",
    },
    "null_unknown": {
        "en": "leave the field out (unknown) instead of null",
        "sv": "utelämna fältet (okänt) i stället för null",
    },
    "decided_before_the_act": {
        "en": "must not be before {date}, when utlänningslagen (2005:716) entered into force",
        "sv": "får inte vara före {date}, då utlänningslagen (2005:716) trädde i kraft",
    },
    "lodged_before_the_act": {
        "en": "must not be before {date}: no application under utlänningslagen (2005:716) can "
        "have been lodged before it entered into force",
        "sv": "får inte vara före {date}: ingen ansökan enligt utlänningslagen (2005:716) kan "
        "ha gjorts innan den trädde i kraft",
    },
    "lodged_after_decision": {
        "en": "application_date must not be after decision_date",
        "sv": "application_date (ansökningsdagen) får inte vara efter decision_date (beslutsdagen)",
    },
    "after_decision_date": {
        "en": "must not be after the decision date {date}",
        "sv": "får inte vara efter beslutsdagen {date}",
    },
    "diff_two_families": {
        "en": "{old} and {new} are tables of different families: a table is compared with a "
        "version of its own family",
        "sv": "{old} och {new} hör till olika tabellfamiljer: en tabell jämförs med en version "
        "av sin egen familj",
    },
    "granted_before_the_act": {
        "en": "must not be before {date}: no permit under utlänningslagen (2005:716) can have "
        "been granted before it entered into force",
        "sv": "får inte vara före {date}: inget tillstånd enligt utlänningslagen (2005:716) kan "
        "ha beviljats innan den trädde i kraft",
    },
    "granted_after_decision": {
        "en": "revocation.granted_on must not be after decision_date",
        "sv": "revocation.granted_on (dagen tillståndet beviljades) får inte vara efter "
        "decision_date (beslutsdagen)",
    },
    "revocation_required": {
        "en": "matter 'revocation' requires the field revocation (when the permit held was "
        "granted and what has changed)",
        "sv": "matter 'revocation' (återkallelse) kräver fältet revocation (när tillståndet "
        "beviljades och vad som har ändrats)",
    },
    "revocation_on_application": {
        "en": "the field revocation is only for matter 'revocation'; leave it out of an "
        "application",
        "sv": "fältet revocation hör bara till matter 'revocation' (återkallelse); utelämna det "
        "i en ansökan",
    },
    "application_field_on_revocation": {
        "en": "the field {field} belongs to an application, not to matter 'revocation'; "
        "leave it out",
        "sv": "fältet {field} hör till en ansökan, inte till matter 'revocation' "
        "(återkallelse); utelämna det",
    },
    "child_relation": {
        "en": "relation 'accompanying_child' requires is_child to be true",
        "sv": "relation 'accompanying_child' (medföljande barn) kräver att is_child är true",
    },
    # Reading JSON.
    "duplicate_key": {"en": "{path}: duplicate key", "sv": "{path}: nyckeln finns två gånger"},
    "too_deep": {
        "en": "invalid JSON: nested deeper than {depth} levels",
        "sv": "ogiltig JSON: mer än {depth} nivåer djup",
    },
    "too_long": {
        "en": "{what} is longer than {limit} bytes, the most allowed",
        "sv": "{what} är längre än {limit} byte, det högsta som tas emot",
    },
    "not_utf8": {
        "en": "not UTF-8: byte {position} cannot be decoded",
        "sv": "inte UTF-8: byte {position} kan inte avkodas",
    },
    "json_syntax": {
        "en": "invalid JSON at line {line} column {column}: {reason}",
        "sv": "ogiltig JSON på rad {line} kolumn {column}: {reason}",
    },
    "json_invalid": {"en": "invalid JSON: {reason}", "sv": "ogiltig JSON: {reason}"},
    "not_a_json_number": {
        "en": "invalid JSON: {value} is not a JSON number",
        "sv": "ogiltig JSON: {value} är inget tal i JSON",
    },
    "empty_line": {"en": "the line is empty", "sv": "raden är tom"},
    # pydantic's own checks, the ones a case or a partial case can fail.
    "missing": {"en": "Field required", "sv": "saknas (uppgiften krävs)"},
    "extra_forbidden": {
        "en": "Extra inputs are not permitted",
        "sv": "okänt fält (det finns inte i ett ärende)",
    },
    "bool_type": {"en": "Input should be a valid boolean", "sv": "ska vara true eller false"},
    "literal_error": {"en": "Input should be {expected}", "sv": "ska vara {expected}"},
    "string_type": {"en": "Input should be a valid string", "sv": "ska vara en text"},
    "string_too_short": {
        "en": "String should have at least {min_length} character",
        "sv": "ska ha minst {min_length} tecken",
    },
    "string_too_long": {
        "en": "String should have at most {max_length} characters",
        "sv": "får ha högst {max_length} tecken",
    },
    "model_type": {
        "en": "Input should be a valid dictionary or instance",
        "sv": "ska vara ett JSON-objekt",
    },
    "dict_type": {"en": "Input should be a valid dictionary", "sv": "ska vara ett JSON-objekt"},
    "model_attributes_type": {
        "en": "Input should be a valid dictionary or object",
        "sv": "ska vara ett JSON-objekt",
    },
}


def custom_error(code: str, **params: Any) -> PydanticCustomError:
    """A validation error of the catalogue's ``code`` (its English text, with ``params``).

    >>> str(custom_error("calendar_date", value="2023-02-30"))
    'not a valid calendar date: 2023-02-30'
    """
    return PydanticCustomError(code, MESSAGES[code]["en"], params)


def message(code: str, lang: Lang, params: dict[str, Any], fallback: str) -> str:
    """The catalogue's text for ``code`` in ``lang``, or ``fallback`` if it has none.

    >>> message("literal_error", "sv", {"expected": "'a' or 'b'"}, "")
    "ska vara 'a' eller 'b'"
    """
    texts = MESSAGES.get(code)
    if texts is None:
        return fallback
    shown = {key: _words(value, lang) for key, value in params.items()}
    try:
        return texts[lang].format(**shown)
    except (KeyError, IndexError):
        return fallback


def _words(value: Any, lang: Lang) -> Any:
    if lang == "sv" and isinstance(value, str):
        return value.replace(" or ", " eller ")
    return value


def problems_in(error: ValidationError, lang: Lang) -> list[tuple[str, str]]:
    """Each problem of ``error`` as (field path, what is wrong) in ``lang``."""
    found = []
    for detail in error.errors(include_url=False, include_input=False):
        path = ".".join(str(part) for part in detail["loc"])
        fallback = str(detail["msg"]).removeprefix("Value error, ")
        found.append((path, message(detail["type"], lang, dict(detail.get("ctx") or {}), fallback)))
    return found
