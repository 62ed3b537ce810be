"""A case read from one JSON document in one pass, where that gives the strict reader's answer.

The strict reader is :func:`~._json.parse_json` and then ``Case.model_validate``: Python's
parser with a hook on every object (to refuse a key written twice), then the validation. The
one pass is ``Case.model_validate_json``: pydantic's parser and the same validation, with the
case's own validators. The two read a document alike except in what the strict reader was
written for: pydantic's parser keeps the last of two equal keys, and a key may be spelled with
escapes (``"appl\\u0069cant"``). So :func:`case_in_one_pass` answers only where neither can
happen, and says ``None`` otherwise:

* the document holds no backslash, so each key is written as it is read, and a string cannot
  hold a quotation mark;
* every colon of the document follows a quotation mark, so every key is written ``"key":``
  (a space before a colon, or a colon inside a string not at its start, is left to the
  strict reader) and the document writes ``":`` at least once per key;
* the document holds neither ``NaN`` nor ``Infinity``, which pydantic's parser reads as
  numbers and the strict reader refuses (JSON has no such number; no field of a case is a
  number today, so this only keeps the two alike if one ever is);
* the case it gives was given exactly as many fields, counting the person's and the facts', as
  the document writes ``":``, so no key was written twice (pydantic's parser would have kept
  one of them) and no string starts with a colon.

A document that fails the one pass is read by the strict reader as well, so every error, and
every error record of a batch, is the strict reader's.

>>> case_in_one_pass(b'{"decision_date": "2023-03-15", "applicant": "social_welfare_board", '
...                  b'"permit": "reflection_period"}').applicant
'social_welfare_board'
>>> case_in_one_pass(b'{"decision_date": "2023-03-15", "applicant": "the_person", '
...                  b'"applicant": "social_welfare_board", "permit": "reflection_period"}')
>>> case_in_one_pass(b'{"decision_date": "2023-03-15"}')
"""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

from ._contract import Case
from ._json import MAX_DOCUMENT_BYTES

Nesting = tuple[tuple[str, "Nesting"], ...]


def _nesting(model: type[BaseModel]) -> Nesting:
    """The fields of ``model`` that hold a model, each with its own (found once, not per
    document)."""
    return tuple(
        (name, _nesting(field.annotation))
        for name, field in model.model_fields.items()
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)
    )


_CASE_NESTING = _nesting(Case)


def _fields_given(model: BaseModel, nesting: Nesting = _CASE_NESTING) -> int:
    """How many fields ``model`` and the models inside it were given."""
    given = model.model_fields_set
    count = len(given)
    for name, inner in nesting:
        if name in given:
            count += _fields_given(getattr(model, name), inner)
    return count


def case_in_one_pass(document: str | bytes) -> Case | None:
    """The case ``document`` holds, read in one pass; ``None`` where the strict reader must
    read it (it may still be a valid case: see the module's description).

    >>> case_in_one_pass(b'{"decision_date": "2023-03-15", "applicant": "the_person", '
    ...                  b'"permit": "reflection_period", "reference": "A\\\\u0031"}')
    """
    text = document.encode() if isinstance(document, str) else document
    if (
        len(text) > MAX_DOCUMENT_BYTES
        or b"\\" in text
        or text.count(b":") != text.count(b'":')
        or b"NaN" in text
        or b"Infinity" in text
    ):
        return None
    try:
        case = Case.model_validate_json(text)
    except ValidationError:
        return None
    return case if _fields_given(case) == text.count(b'":') else None
