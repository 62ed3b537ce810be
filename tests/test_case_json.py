"""A case read in one pass is the case the strict reader reads, or the one pass stands aside.

The strict reader (``parse_json`` then ``Case.model_validate``) is the reference: it refuses a
key written twice, which pydantic's own parser would resolve to the last. The one pass
(``case_in_one_pass``) is used by the command line's and the web service's JSON Lines loops.
Here documents are written the ways a caller might write them (compact or spaced, keys in any
order, a key repeated, escapes, a space before a colon, extra keys, wrong values) and whenever
the one pass answers, its case must equal the strict reader's.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from betanketid_rules import Case, testing
from betanketid_rules._case_json import case_in_one_pass
from betanketid_rules._cli import main
from betanketid_rules._cli._common import EXIT_BAD_INPUT
from betanketid_rules._errors import InvalidJsonError
from betanketid_rules._json import parse_json

BOARD_CASE = {
    "decision_date": "2023-03-15",
    "applicant": "social_welfare_board",
    "permit": "reflection_period",
    "person": {"in_sweden": True},
    "facts": {"presumed_offence": "trafficking", "wants_reflection_period": True},
}


def strictly(document: bytes) -> Case | Exception:
    try:
        return Case.model_validate(parse_json(document))
    except (InvalidJsonError, ValidationError) as error:
        return error


def _pairs(data: dict[str, Any]) -> list[tuple[str, Any]]:
    return [
        (key, _pairs(value) if isinstance(value, dict) else value) for key, value in data.items()
    ]


def _write(pairs: list[tuple[str, Any]], colons: list[str], comma: str, escape: bool) -> str:
    """JSON of ``pairs`` (an object as its list of pairs, so a key may repeat), each key's
    colon written as the next of ``colons`` (taken in turn)."""
    items = []
    for key, value in pairs:
        name = json.dumps(key, ensure_ascii=escape)
        colon = colons[0]
        colons.append(colons.pop(0))
        text = (
            _write(value, colons, comma, escape)
            if isinstance(value, list)
            else json.dumps(value, ensure_ascii=escape)
        )
        items.append(f"{name}{colon}{text}")
    return "{" + comma.join(items) + "}"


def _keys_written(document: bytes) -> int:
    """How many keys the document writes, each object's keys counted as written."""
    written = 0

    def count(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal written
        written += len(pairs)
        return dict(pairs)

    json.loads(document, object_pairs_hook=count)
    return written


#: Built once: the strategy reads the tables when it is made.
CASES = testing.cases()


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    case = draw(CASES)
    data = case.model_dump(mode="json")
    pairs = _pairs(data)
    changes = draw(
        st.lists(
            st.sampled_from(["repeat", "drop", "extra", "wrong", "shuffle", "colon"]), max_size=3
        )
    )
    for change in changes:
        target = pairs
        if draw(st.booleans()):
            inner = [value for _, value in pairs if isinstance(value, list)]
            if inner:
                target = draw(st.sampled_from(inner))
        if not target:
            continue
        index = draw(st.integers(0, len(target) - 1))
        key, value = target[index]
        if change == "repeat":
            other = draw(st.sampled_from([value, None, True, "none", "the_person", "2023-01-01"]))
            target.insert(draw(st.integers(0, len(target))), (key, other))
        elif change == "drop":
            del target[index]
        elif change == "extra":
            target.append((draw(st.sampled_from(["x", "Applicant", "applicant "])), 1))
        elif change == "colon":
            target.append(("reference", draw(st.sampled_from([":x", "a:b", "x:", '":', ":"]))))
        elif change == "wrong":
            target[index] = (key, draw(st.sampled_from([None, 1, "1", "true", [], "2023-02-30"])))
        else:
            target[:] = draw(st.permutations(target))
    colons = draw(st.lists(st.sampled_from([":", ": ", " :", "\t:"]), min_size=1, max_size=4))
    comma = draw(st.sampled_from([",", ", ", ",\t"]))
    text = _write(pairs, colons, comma, escape=draw(st.booleans()))
    if draw(st.booleans()):
        text = text.replace("applicant", "appl\\u0069cant", 1)
    return text.encode()


@settings(max_examples=600, deadline=None)
@given(documents())
def test_the_one_pass_answers_only_as_the_strict_reader_does(document: bytes) -> None:
    fast = case_in_one_pass(document)
    strict = strictly(document)
    if fast is not None:
        assert strict == fast
    elif isinstance(strict, Case):  # stood aside for a valid case: only where it must
        stood_aside = (
            b"\\" in document
            or document.count(b":") != document.count(b'":')
            or document.count(b'":') != _keys_written(document)  # a string starts with ":"
        )
        assert stood_aside, document


@settings(max_examples=200, deadline=None)
@given(CASES, st.sampled_from([(",", ":"), (", ", ": ")]))
def test_a_case_written_by_a_json_library_is_read_in_one_pass(
    case: Case, separators: tuple[str, str]
) -> None:
    """The one pass is taken for what callers send (so the command line's loop uses it): a
    case written as UTF-8, compact or spaced. A reference that must be escaped (a quotation
    mark, a backslash) or holds a colon is left to the strict reader."""
    text = json.dumps(case.model_dump(mode="json"), separators=separators, ensure_ascii=False)
    document = text.encode()
    plain = b"\\" not in document and document.count(b":") == document.count(b'":')
    expected = case if plain else None
    assert case_in_one_pass(document) == expected


@pytest.mark.parametrize(
    ("document", "why"),
    [
        (
            b'{"decision_date":"2023-03-15","applicant":"the_person",'
            b'"applicant":"social_welfare_board","permit":"reflection_period"}',
            "a key written twice: pydantic's parser keeps the last",
        ),
        (
            b'{"decision_date":"2023-03-15","applicant":"the_person",'
            b'"appl\\u0069cant":"social_welfare_board","permit":"reflection_period"}',
            "the same key spelled with an escape",
        ),
        (
            b'{"decision_date":"2023-03-15","facts":{"ties_broken":true,"ties_broken":false},'
            b'"applicant":"the_person","permit":"reflection_period"}',
            "a key written twice inside the facts",
        ),
        (
            b'{"decision_date":"2023-03-15","applicant":"the_person",'
            b'"applicant" :"social_welfare_board","permit":"reflection_period"}',
            "a key written twice, once with a space before its colon (one marker fewer)",
        ),
        (
            b'{"decision_date":"2023-03-15","reference":"a\\":","applicant":"the_person",'
            b'"applicant":"social_welfare_board","permit":"reflection_period"}',
            "a key written twice beside an escaped quotation mark before a colon",
        ),
    ],
)
def test_a_repeated_key_is_left_to_the_strict_reader(document: bytes, why: str) -> None:
    assert case_in_one_pass(document) is None, why
    assert isinstance(strictly(document), InvalidJsonError), why


def test_a_batch_line_with_a_repeated_key_is_refused_in_place(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen in the strict reader's design: the command line's loop must not decide a line
    whose applicant is written twice, and the lines around it keep their places."""
    good = json.dumps(BOARD_CASE)
    twice = good.replace('"applicant"', '"applicant": "the_person", "applicant"', 1)
    lines = "\n".join([good, twice, good]) + "\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    assert main(["evaluate", "--jsonl"]) == EXIT_BAD_INPUT
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [("decision" in record, record.get("line")) for record in out] == [
        (True, None),
        (False, 2),
        (True, None),
    ]
    assert out[1]["errors"] == [{"path": "", "message": "applicant: duplicate key"}]
    assert out[0]["decision"] == out[2]["decision"]
    assert out[0]["decision"]["rules_fired"][0] == "utl-5-15-standing/5-15-2st-sn"
