"""The JSON API's problems speak the language the request prefers: Swedish or English.

Every kind of problem the API answers is asked for once in Swedish and once in English: the
Swedish answer says so (``Content-Language: sv``), its title and detail are not the English
ones, and it names the same fields. A few answers are checked word for word against what the
interface's texts and the message catalogue say in Swedish.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from betanketid_rules._json import MAX_DOCUMENT_BYTES
from betanketid_rules._web import create_app

API = "/api/v1"
CASE = {"decision_date": "2023-03-15", "applicant": "the_person", "permit": "reflection_period"}

Ask = Callable[[TestClient, dict[str, str]], httpx.Response]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as test_client:
        yield test_client


def _post(path: str, content: bytes, kind: str = "application/json") -> Ask:
    def ask(client: TestClient, headers: dict[str, str]) -> httpx.Response:
        return client.post(
            f"{API}{path}", content=content, headers={"content-type": kind, **headers}
        )

    return ask


def _get(path: str, params: dict[str, str] | None = None) -> Ask:
    def ask(client: TestClient, headers: dict[str, str]) -> httpx.Response:
        return client.get(f"{API}{path}", params=params, headers=headers)

    return ask


def _put(path: str) -> Ask:
    def ask(client: TestClient, headers: dict[str, str]) -> httpx.Response:
        return client.put(f"{API}{path}", json=CASE, headers=headers)

    return ask


#: Each kind of problem: how to ask for it, its status, the fields it names.
PROBLEMS: dict[str, tuple[Ask, int, list[str]]] = {
    "json syntax": (_post("/decisions", b'{"applicant": '), 400, [""]),
    "duplicate key": (
        _post("/decisions", b'{"applicant": "the_person", "applicant": "other"}'),
        400,
        ["applicant"],
    ),
    "no body": (_post("/decisions/batch", b"", "application/x-ndjson"), 400, []),
    "unknown path": (_get("/no-such-thing"), 404, []),
    "unknown family": (_get("/tables/no-such-table/2022-08-01"), 404, ["family"]),
    "unknown version": (_get("/tables/utl-5-15-standing/2022-08-02"), 404, ["version"]),
    "method": (_put("/decisions"), 405, []),
    "too large": (_post("/decisions", b" " * (MAX_DOCUMENT_BYTES + 1)), 413, []),
    "content type": (_post("/decisions", b"{}", "text/plain"), 415, []),
    "invalid field": (
        _post(
            "/decisions",
            b'{"decision_date": "2023-03-15", "applicant": "x", "permit": "reflection_period"}',
        ),
        422,
        ["applicant"],
    ),
    "batch not a list": (_post("/decisions/batch", b"{}"), 422, [""]),
    "diff side": (
        _get("/diff", {"old": "2022-07-31", "new": "utl-5-15-standing@2022-08-01"}),
        422,
        ["old"],
    ),
    "diff before the act": (
        _get("/diff", {"old": "2001-01-01", "new": "2022-08-01"}),
        422,
        ["old"],
    ),
    "diff unknown table": (
        _get(
            "/diff", {"old": "utl-5-15-nothing@2022-08-01", "new": "utl-5-15-standing@2022-08-01"}
        ),
        404,
        ["family"],
    ),
    "diff of two families": (
        _get(
            "/diff",
            {"old": "utl-5-15-standing@2022-08-01", "new": "utl-5-15-outcome@2022-08-01"},
        ),
        422,
        ["new"],
    ),
    "assessment after the decision": (
        _post("/assessments", b'{"decision_date": "2023-03-15", "application_date": "2023-04-01"}'),
        422,
        ["application_date"],
    ),
}


def _problem(response: httpx.Response, status: int, lang: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["content-language"] == lang
    assert "Accept-Language" in response.headers["vary"]
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    return problem


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_each_problem_is_said_in_swedish_when_asked(client: TestClient, name: str) -> None:
    ask, status, fields = PROBLEMS[name]
    english = _problem(ask(client, {}), status, "en")
    swedish = _problem(ask(client, {"accept-language": "sv"}), status, "sv")
    assert swedish["type"] == english["type"]
    assert swedish["title"] != english["title"]
    assert swedish["detail"] != english["detail"]
    assert [e["path"] for e in swedish["errors"]] == [e["path"] for e in english["errors"]]
    assert [e["path"] for e in swedish["errors"]] == fields
    for said_sv, said_en in zip(swedish["errors"], english["errors"], strict=True):
        assert said_sv["message"] != said_en["message"]


@pytest.mark.parametrize(
    ("name", "detail", "messages"),
    [
        ("no body", "anropet har inget innehåll", []),
        ("duplicate key", "applicant: nyckeln finns två gånger",
         ["applicant: nyckeln finns två gånger"]),
        ("invalid field", "1 fel i indata: applicant: ska vara 'preliminary_investigation_leader',"
         " 'social_welfare_board', 'police_authority', 'the_person' eller 'other'", None),
        ("assessment after the decision", "application_date: får inte vara efter beslutsdagen "
         "2023-03-15", ["får inte vara efter beslutsdagen 2023-03-15"]),
        ("diff before the act", "old: inga tabeller gäller den 2001-01-01", None),
    ],
)  # fmt: skip
def test_swedish_words_come_from_the_texts_and_the_catalogue(
    client: TestClient, name: str, detail: str, messages: list[str] | None
) -> None:
    ask, status, _ = PROBLEMS[name]
    problem = _problem(ask(client, {"accept-language": "sv-SE"}), status, "sv")
    assert problem["detail"] == detail
    if messages is not None:
        assert [e["message"] for e in problem["errors"]] == messages


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("sv", "sv"),
        ("sv-FI, en;q=0.9", "sv"),
        ("en;q=0.4, sv;q=0.6", "sv"),
        ("de, fr;q=0.9", "en"),
        ("en-GB", "en"),
        ("sv;q=0", "en"),
        ("", "en"),
    ],
)
def test_the_language_is_the_one_the_request_prefers(
    client: TestClient, header: str, lang: str
) -> None:
    ask, status, _ = PROBLEMS["unknown path"]
    _problem(ask(client, {"accept-language": header}), status, lang)
