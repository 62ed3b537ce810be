"""Bad input never costs a decision or gives a wrong one (issue 16, its JSON and CLI parts).

Each observation of the issue is reproduced here; the command-line ones run the installed
``betanketid-rules`` in a subprocess, as an integrator would.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from betanketid_rules import (
    BatchError,
    Case,
    Facts,
    Person,
    evaluate,
    evaluate_many,
    evaluate_record,
)
from betanketid_rules._cli import main
from betanketid_rules._json import MAX_DOCUMENT_BYTES
from betanketid_rules.testing import cases

COMMAND = str(Path(sys.executable).with_name("betanketid-rules"))

#: The six-month permit, asked for by the förundersökningsledare with every condition met.
GRANTED = {
    "decision_date": "2023-03-15",
    "applicant": "preliminary_investigation_leader",
    "permit": "evidence_person",
    "facts": {
        "needed_for_investigation": True,
        "willing_to_cooperate": True,
        "ties_broken": True,
    },
}


def run_command(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [COMMAND, *args], input=stdin, capture_output=True, check=False, timeout=300
    )


def case_text(data: dict[str, Any]) -> str:
    return json.dumps(data)


# --- duplicate keys --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "path"),
    [
        # Seen: granted six months with the FUL last, no_standing with it first; exit 0 both.
        (
            '{"decision_date": "2023-03-15", "applicant": "the_person", '
            '"applicant": "preliminary_investigation_leader", "permit": "evidence_person"}',
            "applicant",
        ),
        (
            '{"decision_date": "2023-03-15", "applicant": "preliminary_investigation_leader", '
            '"applicant": "the_person", "permit": "evidence_person"}',
            "applicant",
        ),
        # Seen: a duplicated objection (true, then false) silently dropped the objection.
        (
            '{"decision_date": "2023-03-15", "applicant": "preliminary_investigation_leader", '
            '"permit": "evidence_person", "facts": {"public_order_objection": true, '
            '"public_order_objection": false}}',
            "facts.public_order_objection",
        ),
    ],
)
def test_a_duplicate_key_is_invalid_input_naming_its_path(document: str, path: str) -> None:
    done = run_command("evaluate", stdin=document.encode())
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode().splitlines() == [f"betanketid-rules: {path}: duplicate key"]


# --- one bad line never sinks, shifts or changes the others ---------------------------------

BAD_LINES: dict[str, tuple[bytes, str]] = {
    # The parser may stop first ("nested too deeply") or the depth limit (Python 3.13 parses
    # deeper): either way the reason names the nesting.
    "nested 10,000 levels deep": (b"[" * 10_000 + b"]" * 10_000, "invalid JSON: nested "),
    "nested 40 levels deep": (b'{"a": ' * 40 + b"1" + b"}" * 40, "nested deeper than 32 levels"),
    "an integer of 5,000 digits": (b'{"applicant": ' + b"7" * 5_000 + b"}", "digits"),
    "an invalid UTF-8 byte": (
        case_text(GRANTED).encode().replace(b"2023", b"20\xff3"),
        "not UTF-8",
    ),
    "a duplicate key": (
        b'{"applicant": "the_person", "applicant": "the_person"}',
        "applicant: duplicate key",
    ),
    "a line longer than a document may be": (
        b'{"x": "' + b"a" * (MAX_DOCUMENT_BYTES + 10) + b'"}',
        f"longer than {MAX_DOCUMENT_BYTES} bytes",
    ),
    "an empty line": (b"", "the line is empty"),
    "NaN, which JSON does not have": (
        b'{"facts": {"ties_broken": NaN}}',
        "NaN is not a JSON number",
    ),
    "-Infinity, which JSON does not have": (
        b'{"decision_date": -Infinity}',
        "-Infinity is not a JSON number",
    ),
    "a byte order mark before the document": (
        "\ufeff".encode() + case_text(GRANTED).encode(),
        "Unexpected UTF-8 BOM",
    ),
    "a field of the wrong type": (
        case_text({**GRANTED, "reference": "bad-1", "facts": {"ties_broken": "yes"}}).encode(),
        "facts.ties_broken: Input should be a valid boolean",
    ),
}
#: The reference each bad line's error record echoes (null where none could be read).
BAD_REFERENCES = {name: None for name in BAD_LINES} | {"a field of the wrong type": "bad-1"}


def _varied_cases(count: int) -> list[dict[str, Any]]:
    """Valid cases whose decisions differ from line to line (a shift would show)."""
    permits = ["evidence_person", "reflection_period", "reflection_period_extension"]
    applicants = ["preliminary_investigation_leader", "social_welfare_board", "the_person"]
    result = []
    for number in range(count):
        result.append(
            {
                "reference": f"case-{number}",
                "decision_date": f"20{10 + number % 15:02d}-0{1 + number % 9}-15",
                "applicant": applicants[number % 3],
                "permit": permits[(number // 3) % 3],
                "facts": {
                    "presumed_offence": "trafficking",
                    "needed_for_investigation": number % 4 != 0,
                    "willing_to_cooperate": number % 5 != 0,
                    "ties_broken": number % 7 != 0,
                    "wants_reflection_period": True,
                },
            }
        )
    return result


def test_every_input_line_gets_one_output_line_in_order_whatever_its_neighbours() -> None:
    good = _varied_cases(2_000)
    lines = [case_text(case).encode() for case in good]
    bad_at = {}
    for offset, (name, (line, _)) in enumerate(BAD_LINES.items()):
        position = 1_000 + 37 * offset
        lines.insert(position, line)
        bad_at[position] = name
    done = run_command("evaluate", "--jsonl", stdin=b"\n".join(lines) + b"\n")
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr
    stderr = done.stderr.decode().splitlines()
    assert len(stderr) == 1
    assert stderr[0].startswith(f"betanketid-rules: {len(BAD_LINES)} of {len(lines)} lines")
    out = done.stdout.decode().splitlines()
    assert len(out) == len(lines)
    expected = iter(evaluate_many(good))
    references = iter(case["reference"] for case in good)
    for index, text in enumerate(out):
        record = json.loads(text)
        if index in bad_at:
            assert record["index"] == index, bad_at[index]
            assert record["line"] == index + 1, bad_at[index]
            assert record["reference"] == BAD_REFERENCES[bad_at[index]], bad_at[index]
            reason = BAD_LINES[bad_at[index]][1]
            assert any(reason in f"{e['path']}: {e['message']}" for e in record["errors"]), record
        else:
            assert record["reference"] == next(references)
            assert record["decision"] == json.loads(next(expected).model_dump_json())


@pytest.mark.parametrize("name", sorted(BAD_LINES))
def test_a_bad_single_document_is_exit_2_and_one_line(name: str) -> None:
    document, reason = BAD_LINES[name]
    done = run_command("evaluate", stdin=document)
    assert done.returncode == 2
    assert done.stdout == b""
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("betanketid-rules: ")
    assert reason.replace("the line is", "").strip() in lines[0] or "Expecting value" in lines[0]


def test_a_case_with_a_million_unknown_keys_is_refused_by_its_size_in_one_short_line() -> None:
    # Seen: 1.4 GB of memory and one 41 MB error line.
    document = json.dumps({**GRANTED, **{f"k{i}": 0 for i in range(1_000_000)}}).encode()
    done = run_command("evaluate", stdin=document)
    assert done.returncode == 2
    assert len(done.stderr) < 200
    assert f"longer than {MAX_DOCUMENT_BYTES} bytes" in done.stderr.decode()


def test_many_problems_are_listed_bounded_then_counted() -> None:
    unknown = {f"unknown_{i}": True for i in range(50)}
    done = run_command("evaluate", stdin=case_text({**GRANTED, **unknown}).encode())
    assert done.returncode == 2
    line = done.stderr.decode().strip()
    assert line.count("Extra inputs are not permitted") == 10
    assert line.endswith("and 40 more")


# --- the output ------------------------------------------------------------------------------


def test_a_closed_output_is_an_error_with_one_line() -> None:
    # Seen: exit 0 with nothing written.
    process = subprocess.Popen(
        [COMMAND, "evaluate"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    _, stderr = process.communicate(case_text(GRANTED).encode(), timeout=120)
    assert process.returncode == 3
    assert stderr.decode().splitlines() == [
        "betanketid-rules: error: the output was closed before it was written"
    ]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_an_error_with_one_line_and_no_traceback() -> None:
    # Seen: a traceback.
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [COMMAND, "evaluate"],
            input=case_text(GRANTED).encode(),
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
            timeout=120,
        )
    assert done.returncode == 3
    assert done.stderr.decode().splitlines() == ["betanketid-rules: error: No space left on device"]


# --- the library -----------------------------------------------------------------------------


@pytest.mark.parametrize("batch", [GRANTED, case_text(GRANTED), case_text(GRANTED).encode()])
def test_evaluate_many_refuses_a_single_mapping_or_string(batch: Any) -> None:
    # Seen: it iterated the dict's keys or the string's characters.
    with pytest.raises(TypeError, match="expected an iterable of cases"):
        evaluate_many(batch)


# --- fuzz: random lines mixed with valid cases ----------------------------------------------


@contextmanager
def _stdin(data: bytes) -> Iterator[None]:
    original = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    try:
        yield
    finally:
        sys.stdin = original


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["applicant", "facts", "x"]), children, max_size=3)
    ),
    max_leaves=8,
)


def _duplicated(case: Case) -> bytes:
    text = case.model_dump_json()
    return text.replace('"permit":', '"permit":"evidence_person","permit":', 1).encode()


_LINES = st.lists(
    st.one_of(
        cases().map(lambda case: case.model_dump_json().encode()),
        st.binary(max_size=40).map(lambda data: data.replace(b"\n", b" ")),
        st.integers(1, 3_000).map(lambda depth: b"[" * depth + b"]" * depth),
        _JSON_VALUES.map(lambda value: json.dumps(value).encode()),
        cases().map(_duplicated),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_LINES)
def test_fuzz_json_lines_never_traceback_one_output_per_line_valid_lines_decided(
    lines: list[bytes],
) -> None:
    out, err = io.StringIO(), io.StringIO()
    with _stdin(b"\n".join(lines) + b"\n"), redirect_stdout(out), redirect_stderr(err):
        code = main(["evaluate", "--jsonl"])
    assert "Traceback" not in err.getvalue()
    outputs = out.getvalue().splitlines()
    assert len(outputs) == len(lines)
    rejected = 0
    for index, (line, text) in enumerate(zip(lines, outputs, strict=True)):
        record = json.loads(text)
        try:
            data = json.loads(line)
            case = Case.model_validate(data)
            valid = b'"permit":"evidence_person","permit"' not in line
        except (ValueError, RecursionError):
            valid = False
        if valid:
            assert record == json.loads(evaluate_record(case).model_dump_json())
        else:
            rejected += 1
            assert (record["index"], record["line"]) == (index, index + 1)
            assert record["errors"]
    assert code == (2 if rejected else 0)
    assert len(err.getvalue().splitlines()) == (1 if rejected else 0)


# --- a Case instance is always a validated case ----------------------------------------------


@pytest.mark.parametrize(
    ("update", "field"),
    [
        # Seen: granted although the application was lodged after the decision date.
        ({"application_date": dt.date(2030, 1, 1)}, ""),
        # Seen: a bare LookupError (no table in force in 1990).
        ({"decision_date": dt.date(1990, 1, 1)}, "decision_date"),
        # Seen: a TypeError from comparing a string with a date.
        ({"decision_date": "2023-3-1"}, "decision_date"),
        # Seen: the native engine granted, the durable one raised.
        ({"person": {"is_child": 1}}, "person.is_child"),
    ],
)
def test_a_copied_case_is_validated_like_any_input(update: dict[str, Any], field: str) -> None:
    case = Case.model_validate(GRANTED)
    with pytest.raises(ValidationError) as caught:
        evaluate(case.model_copy(update=update))
    assert [".".join(map(str, e["loc"])) for e in caught.value.errors()] == [field]


def test_an_unvalidated_construction_is_refused_at_every_level() -> None:
    with pytest.raises(ValidationError):
        Person.model_construct(relation="accompanying_child")
    with pytest.raises(ValidationError):
        Case.model_construct(decision_date="2023-03-15", applicant="x", permit="evidence_person")
    sneaky = Facts.model_validate({}).model_copy()  # no update: the same validated facts
    assert sneaky == Facts()


def test_evaluate_many_records_a_bad_case_in_its_place_as_the_command_line_does() -> None:
    bad = {**GRANTED, "facts": {"ties_broken": "yes"}, "colour": "blue"}
    results = evaluate_many([GRANTED, bad, GRANTED], on_error="record")
    assert [type(result).__name__ for result in results] == ["Decision", "BatchError", "Decision"]
    record = results[1]
    assert isinstance(record, BatchError)
    assert (record.index, record.line) == (1, None)
    assert sorted(problem.path for problem in record.errors) == ["colour", "facts.ties_broken"]
    lines = "\n".join(case_text(case) for case in (GRANTED, bad, GRANTED)).encode()
    done = run_command("evaluate", "--jsonl", stdin=lines)
    from_cli = BatchError.model_validate_json(done.stdout.decode().splitlines()[1])
    assert from_cli == record.model_copy(update={"line": 2})
