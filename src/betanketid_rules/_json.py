"""Reading one JSON document of input strictly: every JSON entry point of the project uses it.

Python's ``json`` module resolves a duplicate key silently (the last one wins), so a case
whose ``applicant`` is written twice would be decided on whichever came last. Here a
duplicate key at any depth is an error naming its path; so are ``NaN`` and ``Infinity``
(which Python reads and JSON does not have), bytes that are not UTF-8, a
document larger than :data:`MAX_DOCUMENT_BYTES`, nesting deeper than :data:`MAX_DEPTH` (or
than the parser can read) and a number too long to convert. Each becomes an
:class:`InvalidJsonError`, never a traceback.

>>> parse_json('{"facts": {"ties_broken": true, "ties_broken": false}}')
Traceback (most recent call last):
...
betanketid_rules._errors.InvalidJsonError: facts.ties_broken: duplicate key
>>> parse_json(b'{"applicant": "the_person"}')
{'applicant': 'the_person'}
"""

from __future__ import annotations

import json
import threading
from typing import Any

from ._errors import InvalidJsonError
from ._messages import MESSAGES

#: The largest input document read, in bytes (UTF-8): a case is a few hundred bytes.
MAX_DOCUMENT_BYTES = 64 * 1024
#: The deepest nesting read (a case nests three levels).
MAX_DEPTH = 32


class _Duplicated(dict[str, Any]):
    """An object in which ``key`` was written more than once."""

    key: str


#: Per thread: whether the document being read has repeated a key.
_READING = threading.local()


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    _READING.duplicated = True
    seen: set[str] = set()
    for key, _ in pairs:  # a key written twice: name the first one repeated
        if key in seen:
            marked = _Duplicated(pairs)
            marked.key = key
            return marked
        seen.add(key)
    raise AssertionError("unreachable: fewer keys than pairs means a repeated key")


class _NotJsonNumberError(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity``: Python's parser reads them, JSON has no such
    number (RFC 8259, section 6)."""


def _no_constant(name: str) -> Any:
    raise _NotJsonNumberError(name)


#: One decoder for every document (``json.loads`` with a hook builds a new one per call).
_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_no_constant)


def _check_shape(value: Any) -> None:
    """Refuse a duplicate key (named by its path) or nesting deeper than MAX_DEPTH; iterative,
    so a deep document cannot exhaust the interpreter's stack."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(value, ())]
    while stack:
        node, path = stack.pop()
        if len(path) > MAX_DEPTH:
            raise json_error("too_deep", depth=MAX_DEPTH)
        if isinstance(node, _Duplicated):
            raise json_error("duplicate_key", path=".".join((*path, node.key)))
        if isinstance(node, dict):
            stack.extend((item, (*path, key)) for key, item in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((item, (*path, str(i))) for i, item in reversed(list(enumerate(node))))


def json_error(code: str, **params: object) -> InvalidJsonError:
    """An :class:`InvalidJsonError` of the message catalogue's ``code``.

    >>> str(json_error("duplicate_key", path="facts.ties_broken"))
    'facts.ties_broken: duplicate key'
    """
    return InvalidJsonError(MESSAGES[code]["en"].format(**params), code, params)


def oversized(what: str = "the document") -> InvalidJsonError:
    """The error for ``what`` being larger than a document may be."""
    return json_error("too_long", what=what, limit=MAX_DOCUMENT_BYTES)


def _text(document: str | bytes) -> str:
    size = len(document) if isinstance(document, bytes) else len(document.encode("utf-8"))
    if size > MAX_DOCUMENT_BYTES:
        raise oversized()
    if isinstance(document, str):
        return document
    try:
        return document.decode("utf-8")
    except UnicodeDecodeError as error:
        raise json_error("not_utf8", position=error.start + 1) from None


def parse_json(document: str | bytes) -> Any:
    """The value of one JSON document, read strictly (see the module's description).

    Raises :class:`~betanketid_rules._errors.InvalidJsonError` saying where and why.

    >>> parse_json('{"a": [1, {"b": 2, "b": 3}]}')
    Traceback (most recent call last):
    ...
    betanketid_rules._errors.InvalidJsonError: a.1.b: duplicate key
    """
    text = _text(document)
    _READING.duplicated = False
    try:
        if text.startswith("\ufeff"):  # as json.loads refuses it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        value = _DECODER.decode(text)
    except json.JSONDecodeError as error:
        raise json_error(
            "json_syntax", line=error.lineno, column=error.colno, reason=error.msg
        ) from None
    except RecursionError:
        raise json_error("json_invalid", reason="nested too deeply") from None
    except _NotJsonNumberError as error:
        raise json_error("not_a_json_number", value=str(error)) from None
    except ValueError as error:  # an integer beyond sys.get_int_max_str_digits()
        raise json_error("json_invalid", reason=str(error).split(";")[0]) from None
    # The walk finds a duplicate's path and measures the depth; a document with no object
    # marked as duplicated and no more brackets than MAX_DEPTH cannot fail it (a case has 3).
    if _READING.duplicated or text.count("{") + text.count("[") > MAX_DEPTH:
        _check_shape(value)
    return value
