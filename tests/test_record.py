"""Decision records: the envelope around a shared Decision, and the case's own reference.

What an auditor needs to reproduce a decision (package version, table-set hash, the decision
date applied) and the caller's ``reference`` travel around the Decision, never inside it, so
the Decision stays shared between equal cases and the reference stays out of every cache key.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from pydantic import BaseModel, ValidationError
from support import DURABLE_AVAILABLE

import betanketid_rules
from betanketid_rules import (
    BatchError,
    Case,
    DecisionRecord,
    PartialCase,
    assess,
    evaluate,
    evaluate_many,
    evaluate_record,
    iter_records,
)
from betanketid_rules._contract import MAX_REFERENCE
from betanketid_rules._json_out import (
    compact_decision_json,
    compact_record_json,
    decision_json,
    record_json,
)
from betanketid_rules._schemas import schema_of
from betanketid_rules._tables import default_table_set
from betanketid_rules.testing import cases

CASE: dict[str, Any] = {
    "decision_date": "2023-03-15",
    "applicant": "preliminary_investigation_leader",
    "permit": "evidence_person",
    "person": {"in_sweden": True},
    "facts": {"needed_for_investigation": True, "willing_to_cooperate": True},
}


def test_a_record_carries_what_reproduces_the_decision() -> None:
    record = evaluate_record({**CASE, "reference": "MIG-2023-0042"})
    assert record.reference == "MIG-2023-0042"
    assert record.decision_date == dt.date(2023, 3, 15)
    assert record.package_version == betanketid_rules.__version__
    assert record.tables_sha256 == default_table_set().content_hash
    assert record.decision == evaluate(CASE)


def test_without_a_reference_the_record_says_null() -> None:
    assert evaluate_record(CASE).reference is None
    assert json.loads(evaluate_record(CASE).model_dump_json())["reference"] is None


@given(cases())
def test_the_reference_never_changes_the_decision_which_stays_shared(case: Case) -> None:
    data = case.model_dump(mode="json")
    data.pop("reference", None)
    plain = evaluate(data)
    for reference in ("A", "B-2", "x" * MAX_REFERENCE):
        assert evaluate({**data, "reference": reference}) is plain  # one cached object
        assert evaluate_record({**data, "reference": reference}).decision is plain


def test_the_decision_comes_last_in_the_json_so_it_can_be_written_as_is() -> None:
    record = evaluate_record({**CASE, "reference": "K"})
    text = record.model_dump_json()
    assert text.endswith(',"decision":' + record.decision.model_dump_json() + "}")
    assert DecisionRecord.model_validate_json(text) == record


@pytest.mark.parametrize(
    ("reference", "reason"),
    [
        ("", "at least 1 character"),
        ("x" * (MAX_REFERENCE + 1), f"at most {MAX_REFERENCE} characters"),
        ("line\nbreak", "control characters"),
        ("tab\there", "control characters"),
        (None, "leave the field out"),
        (17, "valid string"),
    ],
)
def test_a_bad_reference_is_an_error_naming_the_field(reference: object, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Case.model_validate({**CASE, "reference": reference})
    (error,) = caught.value.errors()
    assert error["loc"] == ("reference",)
    assert reason in error["msg"]


@pytest.mark.parametrize("model", [Case, PartialCase])
def test_an_application_date_before_the_act_is_refused_with_its_reason(model: type[Any]) -> None:
    assert model.model_validate({**CASE, "application_date": "2006-03-31"})
    for day in ("2006-03-30", "0001-01-01"):
        with pytest.raises(ValidationError) as caught:
            model.model_validate({**CASE, "application_date": day})
        (error,) = caught.value.errors()
        assert error["loc"] == ("application_date",)
        assert "must not be before 2006-03-31" in error["msg"]
        assert "entered into force" in error["msg"]


def test_a_bad_item_keeps_its_reference_when_it_can_be_read() -> None:
    items = [
        {**CASE, "reference": "ok-1"},
        {**CASE, "reference": "bad-1", "permit": "evidence"},
        {**CASE, "reference": "\n", "permit": "evidence"},  # the reference is bad too
        ["not", "a", "case"],
    ]
    results = list(iter_records(items))
    assert isinstance(results[0], DecisionRecord) and results[0].reference == "ok-1"
    assert [(r.index, r.reference) for r in results[1:] if isinstance(r, BatchError)] == [
        (1, "bad-1"),
        (2, None),
        (3, None),
    ]
    recorded = evaluate_many(items, on_error="record")
    assert [getattr(r, "reference", "decided") for r in recorded] == [
        "decided",
        "bad-1",
        None,
        None,
    ]


def test_iter_records_streams_one_case_at_a_time() -> None:
    """An endless stream is answered as it comes: nothing waits for the end."""
    consumed = 0

    def endless() -> Iterator[dict[str, Any]]:
        nonlocal consumed
        for number in itertools.count():
            consumed += 1
            yield {**CASE, "reference": f"n{number}"}

    first = list(itertools.islice(iter_records(endless()), 3))
    assert [r.reference for r in first if isinstance(r, DecisionRecord)] == ["n0", "n1", "n2"]
    assert consumed == 3


def test_iter_records_raise_stops_at_the_bad_item_after_yielding_the_ones_before() -> None:
    stream = iter_records([CASE, {**CASE, "permit": 1}, CASE], on_error="raise")
    assert isinstance(next(stream), DecisionRecord)
    with pytest.raises(ValidationError):
        next(stream)


@pytest.mark.parametrize("not_a_batch", [CASE, "cases.jsonl", b"{}"])
def test_iter_records_refuses_a_single_mapping_or_string(not_a_batch: Any) -> None:
    with pytest.raises(TypeError, match="expected an iterable of cases"):
        iter_records(not_a_batch)  # when called, before anything is iterated


def test_iter_records_refuses_an_unknown_engine_when_called() -> None:
    with pytest.raises(betanketid_rules.UnknownEngineError):
        iter_records([CASE], engine="drools")


def test_an_assessment_echoes_the_reference() -> None:
    assessment = assess({"reference": "ask-7", "applicant": "the_person"})
    assert assessment.reference == "ask-7"
    assert assess({"applicant": "the_person"}).reference is None


def test_a_compact_record_is_the_record_without_the_trace() -> None:
    record = evaluate_record({**CASE, "reference": "K-3"})
    compact = record.compact()
    full = json.loads(record.model_dump_json())
    small = json.loads(compact.model_dump_json())
    kept = ("outcome", "permit", "legal_basis", "rules_fired", "open_questions")
    assert small["decision"] == {name: full["decision"][name] for name in kept}
    assert {k: v for k, v in small.items() if k != "decision"} == {
        k: v for k, v in full.items() if k != "decision"
    }
    assert len(compact.model_dump_json()) * 3 < len(record.model_dump_json())


def test_the_command_line_writes_compact_records_one_per_line() -> None:
    lines = [json.dumps({**CASE, "reference": f"c{n}"}) for n in range(3)]
    lines.insert(1, "{}")
    command = [sys.executable, "-m", "betanketid_rules", "evaluate", "--jsonl", "--compact"]
    document = "\n".join(lines) + "\n"
    done = subprocess.run(command, input=document, capture_output=True, text=True, check=False)
    assert done.returncode == 2  # the empty case
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o.get("reference") for o in out] == ["c0", None, "c1", "c2"]
    schema = schema_of("compact-record")
    for item in (out[0], out[2], out[3]):
        jsonschema.validate(item, schema)
        assert "trace" not in item["decision"]
    text_form = [*command[:-2], "--compact", "--format", "text"]
    usage = subprocess.run(text_form, input=lines[0], capture_output=True, text=True, check=False)
    assert usage.returncode == 2
    assert "--compact applies to JSON output" in usage.stderr


@given(cases())
def test_a_record_s_json_from_its_shared_parts_is_its_json(case: Case) -> None:
    """The command line writes a record's JSON from the JSON of its shared parts (verdict,
    trace steps): byte for byte what pydantic writes, for every case and both engines."""
    for engine in ("native", "durable") if DURABLE_AVAILABLE else ("native",):
        record = evaluate_record(case, engine=engine)
        assert record_json(record) == record.model_dump_json().encode()
        assert record_json(record) == record.model_dump_json().encode()  # from the caches
        compact = record.compact().model_dump_json().encode()
        assert compact_record_json(record) == compact
        assert compact_record_json(record) == compact  # from the cache


def test_a_decision_changed_by_hand_is_dumped_not_taken_from_a_cache() -> None:
    decision = evaluate(CASE)
    other = "grant" if decision.outcome != "grant" else "refuse"
    written = f'"outcome":"{other}"'.encode()
    assert decision_json(decision) == decision.model_dump_json().encode()  # now cached
    assert written not in compact_decision_json(decision)  # now cached
    altered = BaseModel.model_copy(decision, update={"outcome": other})  # same parts
    assert altered.explanation is decision.explanation
    assert decision_json(altered) == altered.model_dump_json().encode()
    assert written in decision_json(altered)
    assert written in compact_decision_json(altered)


@given(cases())
def test_a_record_put_together_equals_the_validated_one(case: Case) -> None:
    """Records are put together from a validated case and a Decision without a second
    validation: each must be the record pydantic would build, field by field and as JSON."""
    record = evaluate_record(case)
    validated = DecisionRecord.model_validate(record.model_dump())
    assert record == validated
    assert record.model_dump_json() == validated.model_dump_json()
    assert record.model_fields_set == validated.model_fields_set
    assert list(vars(record)) == list(DecisionRecord.model_fields)
    with pytest.raises(ValidationError):
        record.reference = "changed"  # type: ignore[misc]  # frozen like any record
