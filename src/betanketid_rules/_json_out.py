"""A decision record's JSON, put together from the JSON of its shared parts.

Decisions are immutable and shared: engines build every Decision from a *verdict* (outcome,
permit, legal basis, explanation: the same tuple objects for every case that fires the same
rows) and from trace steps (the same objects for every case at the same point of a table). So
their JSON is too: each verdict's JSON around the trace and each step's JSON are made once and
kept, and a Decision's JSON is the verdict's head, its steps' JSON and the verdict's tail. The
result is byte for byte ``model_dump_json()`` (a test holds it on random cases); a Decision
made another way is simply dumped.

The caches hold the objects they describe (so an id is never reused while its entry lives)
and keep at most :data:`MAX_PARTS` entries each, the oldest going first; a whole Decision's
JSON is not kept (joining the parts is cheap, and a batch of distinct cases would fill memory).
"""

from __future__ import annotations

import functools
import json
import operator
from collections import OrderedDict
from typing import Any

from ._contract import Decision, TraceStep
from ._record import CompactDecision, DecisionRecord

#: Entries kept per cache (verdicts, steps): a few megabytes at most (a step's JSON is about
#: a kilobyte; the shipped tables have about two thousand points and a few hundred verdicts).
MAX_PARTS = 8192

#: The fields of a Decision other than its trace: what its verdict (and engine) gives it.
_VERDICT_FIELDS = tuple(name for name in Decision.model_fields if name != "trace")
#: id(explanation) -> (the Decision's other fields, head, tail)
_VERDICTS: OrderedDict[int, tuple[tuple[Any, ...], bytes, bytes]] = OrderedDict()
#: id(step) -> (step, its JSON)
_STEPS: OrderedDict[int, tuple[TraceStep, bytes]] = OrderedDict()

_TRACE = b',"trace":'


def _keep(cache: OrderedDict[int, Any], key: int, value: Any) -> None:
    if len(cache) >= MAX_PARTS:
        cache.popitem(last=False)
    cache[key] = value


def _step_json(step: TraceStep) -> bytes:
    text = step.model_dump_json().encode()
    _keep(_STEPS, id(step), (step, text))
    return text


#: A Decision's fields but the trace, read by one C-level call.
_verdict_fields = operator.attrgetter(*_VERDICT_FIELDS)


#: id(decision) -> (the Decision, its JSON's pieces): a Decision met again (engines share them
#: between cases with the same inputs) is one lookup. The pieces are the shared bytes above,
#: so an entry is a few hundred bytes besides the Decision it keeps alive.
_PIECES: OrderedDict[int, tuple[Decision, list[bytes]]] = OrderedDict()


def _decision_parts(decision: Decision, parts: list[bytes]) -> None:
    """Append the JSON of ``decision`` to ``parts``, piece by piece (joined once by the caller:
    a Decision's JSON is tens of kilobytes, and each concatenation would copy all of it)."""
    known = _PIECES.get(id(decision))
    if known is not None and known[0] is decision:
        parts.extend(known[1])
        return
    pieces = _pieces(decision)
    if len(pieces) > 1:  # made from shared parts (a single piece is a dump, kept nowhere)
        _keep(_PIECES, id(decision), (decision, pieces))
    parts.extend(pieces)


def _pieces(decision: Decision) -> list[bytes]:
    """The JSON of ``decision`` in pieces: the verdict's head, each step's JSON (with commas)
    and the verdict's tail, or the whole dump where the verdict's parts do not fit."""
    parts: list[bytes] = []
    fields = _verdict_fields(decision)
    verdict = _VERDICTS.get(id(decision.explanation))
    # Equal fields write the same JSON; the verdict's own objects compare by identity first.
    if verdict is None or verdict[0] != fields:
        text = decision.model_dump_json().encode()
        steps = b",".join([_step_json(step) for step in decision.trace])
        cut = text.find(_TRACE) + len(_TRACE)
        if cut < len(_TRACE) or text[cut : cut + len(steps) + 2] != b"[" + steps + b"]":
            return [text]
        verdict = (fields, text[:cut] + b"[", b"]" + text[cut + len(steps) + 2 :])
        _keep(_VERDICTS, id(decision.explanation), verdict)
    parts.append(verdict[1])
    first = True
    for step in decision.trace:
        if not first:
            parts.append(b",")
        first = False
        found = _STEPS.get(id(step))
        parts.append(found[1] if found is not None and found[0] is step else _step_json(step))
    parts.append(verdict[2])
    return parts


def decision_json(decision: Decision) -> bytes:
    """``decision.model_dump_json()`` as UTF-8 bytes, from the JSON of its shared parts.

    >>> from betanketid_rules import evaluate
    >>> decision = evaluate({"decision_date": "2015-01-01", "applicant": "the_person",
    ...                      "permit": "reflection_period"})
    >>> decision_json(decision) == decision.model_dump_json().encode()
    True
    """
    parts: list[bytes] = []
    _decision_parts(decision, parts)
    return b"".join(parts)


#: id(explanation) -> (the fields a compact decision shows, its JSON, the explanation: held so
#: that its id is not reused while the entry lives)
_COMPACT: OrderedDict[int, tuple[tuple[Any, ...], bytes, Any]] = OrderedDict()
_COMPACT_FIELDS = tuple(CompactDecision.model_fields)


def compact_decision_json(decision: Decision) -> bytes:
    """The JSON of ``decision``'s :class:`CompactDecision`: a function of its verdict alone,
    so made once per verdict and kept (a decision changed by hand is dumped anew).

    >>> from betanketid_rules import evaluate
    >>> decision = evaluate({"decision_date": "2015-01-01", "applicant": "the_person",
    ...                      "permit": "reflection_period"})
    >>> compact = CompactDecision(**{f: getattr(decision, f) for f in _COMPACT_FIELDS})
    >>> compact_decision_json(decision) == compact.model_dump_json().encode()
    True
    """
    fields = tuple(getattr(decision, name) for name in _COMPACT_FIELDS)
    found = _COMPACT.get(id(decision.explanation))
    if found is not None and all(a is b for a, b in zip(found[0], fields, strict=True)):
        return found[1]
    compact = CompactDecision(**dict(zip(_COMPACT_FIELDS, fields, strict=True)))
    text = compact.model_dump_json().encode()
    _keep(_COMPACT, id(decision.explanation), (fields, text, decision.explanation))
    return text


@functools.lru_cache(maxsize=16)
def _record_middle(package_version: str, tables_sha256: str) -> bytes:
    """The part of a record's JSON between its date and its decision: the same for every
    record a process writes with one table set."""
    return (
        f'","package_version":{json.dumps(package_version)},'
        f'"tables_sha256":"{tables_sha256}","decision":'
    ).encode()


def _record_head(record: DecisionRecord) -> bytes:
    """A record's JSON up to its decision (the record's own fields are plain: a reference has
    no control characters, the contract refuses them, so ``json.dumps`` writes it as pydantic
    does)."""
    reference = (
        b"null"
        if record.reference is None
        else json.dumps(record.reference, ensure_ascii=False).encode()
    )
    return b"".join(
        (
            b'{"reference":',
            reference,
            b',"decision_date":"',
            record.decision_date.isoformat().encode(),
            _record_middle(record.package_version, record.tables_sha256),
        )
    )


def compact_record_json(record: DecisionRecord) -> bytes:
    """``record.compact().model_dump_json()`` as UTF-8 bytes, the decision's from its verdict.

    >>> from betanketid_rules import evaluate_record
    >>> record = evaluate_record({"reference": "K-9", "decision_date": "2015-01-01",
    ...                           "applicant": "the_person", "permit": "reflection_period"})
    >>> compact_record_json(record) == record.compact().model_dump_json().encode()
    True
    """
    return _record_head(record) + compact_decision_json(record.decision) + b"}"


def record_json(record: DecisionRecord, end: bytes = b"") -> bytes:
    """``record.model_dump_json()`` as UTF-8 bytes, the decision's JSON from its parts, and
    ``end`` after it (a line end, without copying the record again).

    >>> from betanketid_rules import evaluate_record
    >>> record = evaluate_record({"reference": "Ärende 7", "decision_date": "2015-01-01",
    ...                           "applicant": "the_person", "permit": "reflection_period"})
    >>> record_json(record) == record.model_dump_json().encode()
    True
    """
    return b"".join(record_json_pieces(record, end))


def record_json_pieces(record: DecisionRecord, end: bytes = b"") -> list[bytes]:
    """:func:`record_json` in pieces, for a writer that takes them one by one (no copy of the
    whole record is made to join them).

    >>> from betanketid_rules import evaluate_record
    >>> record = evaluate_record({"decision_date": "2015-01-01", "applicant": "the_person",
    ...                           "permit": "reflection_period"})
    >>> b"".join(record_json_pieces(record)) == record_json(record)
    True
    """
    parts = [_record_head(record)]
    _decision_parts(record.decision, parts)
    parts.append(b"}" + end)
    return parts
