"""The JSON API under /api/v1, used as a case system would: every endpoint answers what the
library answers, and every kind of bad input is a 4xx problem naming the field and the reason."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from support import BOARD_REFLECTION

from betanketid_rules import (
    __version__,
    assess,
    describe_tables,
    evaluate,
    evaluate_record,
    iter_records,
)
from betanketid_rules._json import MAX_DOCUMENT_BYTES
from betanketid_rules._schemas import schema_of
from betanketid_rules._tables import default_table_set
from betanketid_rules._web import create_app

API = "/api/v1"
PROBLEM = "application/problem+json"

#: A grant (the board's reflection period since 2022-08-01) and a case without standing.
GRANT = {**BOARD_REFLECTION, "reference": "K-2023-17"}
NO_STANDING = {"decision_date": "2022-05-10", "applicant": "social_welfare_board",
               "permit": "reflection_period"}  # fmt: skip


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as test_client:
        yield test_client


def _problem(response: Any, status: int) -> dict[str, Any]:
    """The problem a response carries, checked to be RFC 9457 with the given status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    assert problem["type"].startswith("urn:betanketid-rules:problem:")
    assert problem["title"] and problem["detail"]
    return problem


def _paths(problem: dict[str, Any]) -> list[str]:
    return [error["path"] for error in problem["errors"]]


# --- each endpoint answers what the library answers ---------------------------------------


#: A revocation (the matter added with issue 13): decided by the API as by the library.
REVOCATION = {
    "decision_date": "2023-03-15",
    "applicant": "social_welfare_board",
    "permit": "reflection_period",
    "matter": "revocation",
    "revocation": {"granted_on": "2022-10-03", "condition_no_longer_met": "public_order"},
}


@pytest.mark.parametrize("case", [GRANT, NO_STANDING, REVOCATION])
def test_a_decision_is_the_librarys_decision(client: TestClient, case: dict[str, Any]) -> None:
    response = client.post(f"{API}/decisions", json=case)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == evaluate(case).model_dump(mode="json")


def test_every_answer_names_the_version_and_the_tables(client: TestClient) -> None:
    answers = [
        client.post(f"{API}/decisions", json=GRANT),
        client.post(f"{API}/decisions", json={}),
        client.get(f"{API}/tables"),
        client.get(f"{API}/tables/x/y"),
    ]
    for response in answers:
        assert response.headers["X-Betanketid-Version"] == __version__
        assert response.headers["X-Betanketid-Tables"] == default_table_set().content_hash


def test_a_batch_is_answered_in_input_order_with_bad_items_in_place(client: TestClient) -> None:
    items: list[Any] = [
        GRANT,
        {**GRANT, "reference": "bad-1", "facts": {"ties_broken": "yes"}},
        NO_STANDING,
        "not a case",
        {**NO_STANDING, "reference": "last"},
    ]
    response = client.post(f"{API}/decisions/batch", json=items)
    assert response.status_code == 200
    answers = response.json()
    expected = [result.model_dump(mode="json") for result in iter_records(items)]
    assert answers == expected
    assert [answer.get("reference") for answer in answers] == [
        "K-2023-17", "bad-1", None, None, "last"]  # fmt: skip
    assert answers[1]["index"] == 1 and answers[1]["line"] is None
    assert answers[1]["errors"][0]["path"] == "facts.ties_broken"
    assert answers[3]["index"] == 3
    assert answers[0]["decision"]["outcome"] == "grant"
    assert answers[4]["decision"]["outcome"] == "no_standing"


@pytest.mark.parametrize("media_type", ["application/x-ndjson", "application/jsonl"])
def test_a_json_lines_batch_names_each_bad_line(client: TestClient, media_type: str) -> None:
    lines = [
        json.dumps(GRANT),
        '{"decision_date": "2023-03-15", "decision_date": "2023-03-16"}',
        "",
        "{not json",
        json.dumps({**NO_STANDING, "reference": "R5", "permit": 1}),
        json.dumps(NO_STANDING),
    ]
    body = "\r\n".join(lines) + "\r\n"
    response = client.post(
        f"{API}/decisions/batch", content=body, headers={"Content-Type": media_type}
    )
    assert response.status_code == 200
    answers = response.json()
    assert len(answers) == len(lines)
    assert answers[0] == evaluate_record(GRANT).model_dump(mode="json")
    assert answers[5] == evaluate_record(NO_STANDING).model_dump(mode="json")
    bad = {answer["line"]: answer for answer in answers if "errors" in answer}
    assert sorted(bad) == [2, 3, 4, 5]
    assert "duplicate key" in bad[2]["errors"][0]["message"]
    assert "decision_date" in bad[2]["errors"][0]["message"]
    assert bad[3]["errors"][0]["message"] == "the line is empty"
    assert bad[5]["reference"] == "R5" and bad[5]["errors"][0]["path"] == "permit"
    assert [answer["index"] for answer in bad.values()] == [1, 2, 3, 4]


def test_an_assessment_is_the_librarys_assessment(client: TestClient) -> None:
    partial = {
        "decision_date": "2024-02-01",
        "applicant": "social_welfare_board",
        "permit": "reflection_period",
        "facts": {"presumed_offence": "trafficking"},
    }
    response = client.post(f"{API}/assessments", json=partial)
    assert response.status_code == 200
    assert response.json() == assess(partial).model_dump(mode="json")
    assert response.json()["questions"][0] == "person.in_sweden"


def test_the_tables_sources_and_open_questions_are_the_librarys_view(
    client: TestClient,
) -> None:
    view = describe_tables()
    assert client.get(f"{API}/tables").json() == view.model_dump(mode="json")
    table = client.get(f"{API}/tables/utl-5-15-standing/2022-08-01")
    assert table.json() == view.table("utl-5-15-standing@2022-08-01").model_dump(mode="json")
    assert table.json()["table"]["rows"][0]["citations"]
    sources = client.get(f"{API}/sources").json()["sources"]
    assert sources == [source.model_dump(mode="json") for source in view.sources.values()]
    questions = client.get(f"{API}/open-questions").json()["questions"]
    assert {question["id"] for question in questions} == set(view.open_questions)


def test_the_diff_is_the_commands_json(client: TestClient) -> None:
    from betanketid_rules._cli.diff import compute  # noqa: PLC0415

    response = client.get(f"{API}/diff", params={"old": "2022-07-31", "new": "2022-08-01"})
    assert response.status_code == 200
    expected = compute("2022-07-31", "2022-08-01", None).to_json()
    found = response.json()
    assert {**found, "seconds": 0} == {**expected, "seconds": 0}
    assert found["comparisons"][0]["decision_changes"]
    tables = client.get(
        f"{API}/diff",
        params={"old": "utl-5-15-standing@2007-07-01", "new": "utl-5-15-standing@2022-08-01"},
    )
    assert tables.status_code == 200 and tables.json()["kind"] == "tables"


def test_health_stays(client: TestClient) -> None:
    assert client.get(f"{API}/health").json()["status"] == "ok"


# --- bad input of every kind: 4xx, the field named ----------------------------------------


def test_invalid_fields_are_each_named(client: TestClient) -> None:
    case = {**GRANT, "applicant": "neighbour", "facts": {"ties_broken": 1}, "extra": True}
    problem = _problem(client.post(f"{API}/decisions", json=case), 422)
    assert sorted(_paths(problem)) == ["applicant", "extra", "facts.ties_broken"]
    assert problem["type"].endswith(":invalid-input")
    assert "facts.ties_broken" in problem["detail"]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"decision_date": "2006-03-30"}, "decision_date"),
        ({"application_date": None}, "application_date"),
        ({"application_date": "2023-03-16"}, ""),  # after the decision: the case as a whole
        ({"reference": "K-17\n"}, "reference"),
        ({"person": {"relation": "accompanying_child"}}, "person"),
    ],
)
def test_what_the_schema_refuses_is_refused_naming_the_field(
    client: TestClient, change: dict[str, Any], path: str
) -> None:
    problem = _problem(client.post(f"{API}/decisions", json={**GRANT, **change}), 422)
    assert _paths(problem) == [path]


def test_an_assessment_that_cannot_be_made_is_a_problem(client: TestClient) -> None:
    response = client.post(f"{API}/assessments", json={"application_date": "9999-01-01"})
    problem = _problem(response, 422)
    assert _paths(problem) == ["application_date"]
    assert _paths(_problem(client.post(f"{API}/assessments", json={"applicant": None}), 422)) == [
        "applicant"
    ]


@pytest.mark.parametrize(
    ("body", "path", "said"),
    [
        (b'{"decision_date": "2023-01-01", "decision_date": "2023-01-02"}', "decision_date",
         "duplicate key"),
        (b'{"applicant": ', "", "invalid JSON"),
        (b"\xff\xfe{}", "", "UTF-8"),
        (b"[" * 40 + b"]" * 40, "", "nest"),
        (b"   ", "", "no body"),
        (b"", "", "no body"),
    ],
)  # fmt: skip
def test_a_malformed_body_is_a_400_saying_where(
    client: TestClient, body: bytes, path: str, said: str
) -> None:
    response = client.post(
        f"{API}/decisions", content=body, headers={"Content-Type": "application/json"}
    )
    problem = _problem(response, 400)
    assert said.lower() in json.dumps(problem).lower()
    if problem["errors"]:
        assert _paths(problem) == [path]


@pytest.mark.parametrize("media_type", [None, "text/plain", "application/x-www-form-urlencoded"])
@pytest.mark.parametrize("endpoint", ["decisions", "assessments", "decisions/batch"])
def test_a_wrong_content_type_is_a_415(
    client: TestClient, media_type: str | None, endpoint: str
) -> None:
    headers = {"Content-Type": media_type} if media_type else {}
    response = client.post(f"{API}/{endpoint}", content=json.dumps(GRANT), headers=headers)
    problem = _problem(response, 415)
    assert "application/json" in problem["detail"]
    assert "application/json" in response.headers["Accept-Post"]


def _padded(size: int) -> bytes:
    """GRANT as a JSON document of exactly ``size`` bytes (spaces before the last brace)."""
    text = json.dumps(GRANT).encode()
    return text[:-1] + b" " * (size - len(text)) + b"}"


@pytest.mark.parametrize("endpoint", ["decisions", "decisions/batch"])
def test_the_document_size_limit_holds_at_its_edge(client: TestClient, endpoint: str) -> None:
    def body(size: int) -> bytes:
        document = _padded(size - 2) if endpoint.endswith("batch") else _padded(size)
        return b"[" + document + b"]" if endpoint.endswith("batch") else document

    json_headers = {"Content-Type": "application/json"}
    at_limit = client.post(
        f"{API}/{endpoint}", content=body(MAX_DOCUMENT_BYTES), headers=json_headers
    )
    assert at_limit.status_code == 200, at_limit.text
    over = client.post(
        f"{API}/{endpoint}", content=body(MAX_DOCUMENT_BYTES + 1), headers=json_headers
    )
    problem = _problem(over, 413)
    assert str(MAX_DOCUMENT_BYTES) in problem["detail"]


def test_an_oversized_body_without_a_length_is_refused_as_it_arrives(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"reference": "'
        for _ in range(100):
            yield b"x" * 1024

    response = client.post(
        f"{API}/decisions", content=chunks(), headers={"Content-Type": "application/json"}
    )
    _problem(response, 413)


def test_a_batch_that_is_not_a_list_is_a_422(client: TestClient) -> None:
    problem = _problem(client.post(f"{API}/decisions/batch", json=GRANT), 422)
    assert _paths(problem) == [""]
    empty = client.post(
        f"{API}/decisions/batch", content=b"", headers={"Content-Type": "application/x-ndjson"}
    )
    _problem(empty, 400)


@pytest.mark.parametrize(
    ("family", "version", "path"),
    [("utl-5-15-standing", "2022-08-02", "version"), ("no-such-table", "2022-08-01", "family")],
)
def test_an_unknown_table_is_a_404_naming_what_exists(
    client: TestClient, family: str, version: str, path: str
) -> None:
    problem = _problem(client.get(f"{API}/tables/{family}/{version}"), 404)
    assert _paths(problem) == [path]
    assert "2022-08-01" in problem["detail"] or "utl-5-15-standing" in problem["detail"]


@pytest.mark.parametrize(
    ("params", "status", "path"),
    [
        ({"old": "2022-07-31"}, 422, "new"),
        ({}, 422, "old"),
        ({"old": "yesterday", "new": "2022-08-01"}, 422, "old"),
        ({"old": "2022-02-30", "new": "2022-08-01"}, 422, "old"),
        ({"old": "2022-07-31", "new": "utl-5-15-standing@2022-08-01"}, 422, "old"),
        ({"old": "2001-01-01", "new": "2022-08-01"}, 422, "old"),
        ({"old": "utl-5-15-nothing@2022-08-01", "new": "utl-5-15-standing@2022-08-01"}, 404,
         None),
    ],
)  # fmt: skip
def test_a_bad_diff_is_a_problem_naming_the_parameter(
    client: TestClient, params: dict[str, str], status: int, path: str | None
) -> None:
    problem = _problem(client.get(f"{API}/diff", params=params), status)
    if path is not None:
        assert path in _paths(problem)


def test_an_unknown_path_or_method_under_the_api_is_a_problem(client: TestClient) -> None:
    _problem(client.get(f"{API}/no-such-thing"), 404)
    response = client.put(f"{API}/decisions", json=GRANT)
    _problem(response, 405)
    assert response.headers["Allow"] == "POST"


# --- the OpenAPI document states what the validators accept -------------------------------


def test_the_openapi_document_states_the_models_schemas(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    components = document["components"]["schemas"]
    for name, which in (("Case", "case"), ("PartialCase", "partial-case")):
        published = schema_of(which)
        assert components[name]["properties"] == json.loads(
            json.dumps(published["properties"]).replace("#/$defs/", "#/components/schemas/")
        ), name
    assert "HTTPValidationError" not in components
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    assert list(answer["content"]) == [PROBLEM], (path, method, status)


# --- privacy: nothing entered reaches a log ----------------------------------------------------

MARKER = "Secret-Reference-4711"


def _send_the_marker(client: Any) -> None:
    client.post(f"{API}/decisions", json={**GRANT, "reference": MARKER})
    client.post(f"{API}/decisions", json={**GRANT, "reference": MARKER, "facts": 1})
    client.post(f"{API}/assessments", json={"reference": MARKER})
    client.get(f"{API}/diff", params={"old": MARKER, "new": MARKER})


def test_the_application_logs_nothing_entered(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _send_the_marker(client)
    server_side = [r for r in caplog.records if not r.name.startswith("httpx")]  # the client's
    assert all(MARKER not in record.getMessage() for record in server_side)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_serve_logs_no_body_and_no_query_string(tmp_path: Path) -> None:
    """``betanketid-rules serve`` itself, on loopback: its whole output after a few requests
    carrying a marker in bodies and query strings holds no marker; its access log records
    each request's method, path and status, without a client address."""
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "betanketid_rules", "serve", "--port", str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=base, timeout=5) as http:
                for _ in range(100):
                    try:
                        if http.get(f"{API}/health").status_code == 200:
                            break
                    except httpx.TransportError:
                        time.sleep(0.1)
                _send_the_marker(http)
        finally:
            server.terminate()
            server.wait(timeout=10)
    output = log.read_text(encoding="utf-8", errors="replace")
    assert "Uvicorn running" in output or "Application startup complete" in output, output
    assert MARKER not in output
    access = [line for line in output.splitlines() if " HTTP/1.1" in line]
    assert f'"GET {API}/health HTTP/1.1" 200' in output, output
    assert access and not any("127.0.0.1" in line for line in access), access
