"""One line of JSON Lines decided: its record, or the error record that takes its place.

The command line's ``evaluate --jsonl`` and the web service's JSON Lines batch both decide a
stream line by line with :func:`decide_line`, so a line is read (in one pass where that gives
the strict reader's answer, see :mod:`._case_json`), refused and numbered alike in both.

>>> record, error = decide_line(b'{"decision_date": "2023-03-15", '
...     b'"applicant": "the_person", "permit": "reflection_period"}', 0)
>>> record.decision.outcome, error
('no_standing', None)
>>> record, error = decide_line(b"  ", 4)
>>> record.line, record.errors[0].message
(5, 'the line is empty')
"""

from __future__ import annotations

from pydantic import ValidationError

from ._batch import BatchError, batch_error
from ._case_json import case_in_one_pass
from ._contract import Case
from ._errors import InvalidJsonError
from ._evaluate import evaluate_record
from ._json import json_error, oversized, parse_json
from ._record import DecisionRecord

LineError = InvalidJsonError | ValidationError


def decide_line(
    line: bytes | None, index: int, engine: str = "native"
) -> tuple[DecisionRecord | BatchError, LineError | None]:
    """The record of ``line`` (the ``index``-th, from 0; ``None`` for a line longer than a
    document may be), or its error record and the error behind it."""
    data: object = None
    try:
        if line is None:
            raise oversized("the line")
        if not line.strip():
            raise json_error("empty_line")
        case = case_in_one_pass(line)
        if case is None:  # read strictly: its errors are the strict reader's
            data = parse_json(line)
            case = Case.model_validate(data)
        return evaluate_record(case, engine=engine), None
    except (InvalidJsonError, ValidationError) as error:
        return batch_error(index, index + 1, error, data), error
