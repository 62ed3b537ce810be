"""The guided form in-process: its flows decide as ``evaluate()`` does, the pages take their
words from the data, bad answers are refused naming the field, and nothing entered is logged.

The same flows run in a real browser in ``test_web_form_browser.py``.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from support import plant
from web_flows import (
    BOARD_GRANT,
    DAY,
    ENGLISH_GRANT,
    SWEDISH_FLOWS,
    Flow,
    hidden_inputs,
    matches,
    page_data,
    radio_names,
    text_of,
)

from betanketid_rules import evaluate
from betanketid_rules._tables import default_tables_dir
from betanketid_rules._web import create_app

PATHS = {
    "sv": {"start": "/", "question": "/fraga", "result": "/resultat", "draft": "/utkast"},
    "en": {
        "start": "/en",
        "question": "/en/question",
        "result": "/en/result",
        "draft": "/en/draft",
    },
}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def walk(client: TestClient, flow: Flow, lang: str = "sv") -> tuple[str, dict[str, str], str]:
    """Go through ``flow`` as a person would: the start page's choices, then each question
    asked answered from the flow. Returns the result page, the answers given and its URL."""
    paths = PATHS[lang]
    start = client.get(paths["start"])
    assert start.status_code == 200
    asked_first = radio_names(start.text)
    assert asked_first == ["asker", "permit", "person.relation"]
    assert dict(hidden_inputs(start.text))["date"]  # today; the flows are decided on DAY
    query = [("date", DAY), ("asker", flow.asker), ("permit", flow.permit)]
    given = {path: flow.answers[path] for path in asked_first[2:]}
    query += list(given.items())
    for _ in range(20):
        response = client.get(f"{paths['question']}?{urlencode(query)}")
        assert response.status_code == 200, response.text
        if page_data(response.text).get("outcome"):
            return response.text, given, str(response.url)
        asked = radio_names(response.text)
        assert len(asked) == 1, asked
        path = asked[0]
        assert path in flow.answers, f"{flow.name}: the form asked {path}"
        given[path] = flow.answers[path]
        query = [*hidden_inputs(response.text), (path, flow.answers[path])]
    raise AssertionError("the form never ended")


def assert_equals_evaluate(page: str, flow: Flow, given: dict[str, str]) -> None:
    data = page_data(page)
    if flow.expected == "undecided":
        assert data["outcome"] == "undecided"
        return
    decision = evaluate(flow.case(given))
    permit = decision.permit
    assert data["outcome"] == decision.outcome
    assert data["permit-days"] == (
        "" if permit is None or permit.days is None else str(permit.days)
    )
    assert data["permit-min-months"] == (
        "" if permit is None or permit.min_months is None else str(permit.min_months)
    )
    assert data["rules"].split() == list(decision.rules_fired)
    assert matches(flow.expected, data["outcome"], data["permit-days"], data["permit-min-months"])


@pytest.mark.parametrize("flow", SWEDISH_FLOWS, ids=lambda flow: flow.name)
def test_each_flow_ends_where_the_law_says_and_shows_what_evaluate_decides(
    client: TestClient, flow: Flow
) -> None:
    page, given, _ = walk(client, flow)
    assert_equals_evaluate(page, flow, given)
    text = text_of(page)
    for words in flow.shows:
        assert words in text, (flow.name, words)


def test_the_english_form_decides_the_same_and_speaks_english(client: TestClient) -> None:
    page, given, _ = walk(client, ENGLISH_GRANT, "en")
    assert_equals_evaluate(page, ENGLISH_GRANT, given)
    assert '<html lang="en">' in page
    text = text_of(page)
    assert "shall be granted" in text and "ska beviljas" not in text


def test_the_form_asks_only_what_still_matters(client: TestClient) -> None:
    # The refusal is decided as soon as the person is known not to be needed: the questions
    # after it are never asked.
    _, given, _ = walk(client, SWEDISH_FLOWS[1])
    assert "facts.wants_reflection_period" not in given
    assert given["facts.needed_for_investigation"] == "false"


def test_an_unanswered_condition_is_marked_as_not_answered(client: TestClient) -> None:
    page, _, _ = walk(client, SWEDISH_FLOWS[1])
    assert "räknas som inte visat" in text_of(page)


def test_someone_else_asking_is_told_who_can_apply(client: TestClient) -> None:
    flow = Flow(
        "someone-else",
        "other",
        "reflection_period",
        dict(BOARD_GRANT.answers),
        expected="undecided",
    )
    page, _, _ = walk(client, flow)
    assert page_data(page)["outcome"] == "undecided"
    text = text_of(page)
    # The possible outcomes name the applicants they need, by the vocabulary's labels.
    assert "sökande: förundersökningsledaren eller socialnämnden" in text


def test_every_response_of_a_flow_has_the_servers_csp_and_sets_no_cookie(
    client: TestClient,
) -> None:
    responses = [client.get(path) for path in ("/", "/en", "/static/form.css")]
    _, _, url = walk(client, BOARD_GRANT)
    responses.append(client.get(url))
    for response in responses:
        policy = response.headers["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["form-action"] == "'self'"
        assert "set-cookie" not in response.headers
    assert not client.cookies


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("asker=board&date=2024-02-01&no.such=1", "no.such"),
        ("asker=board&date=2024-02-01&person.in_sweden=kanske", "person.in_sweden"),
        ("asker=chief&date=2024-02-01", "asker"),
        ("asker=board&date=2024-13-01", "date"),
        ("asker=board&date=2024-02-01&permit=evidence_person&permit=reflection_period", "permit"),
        (
            "asker=board&date=2024-02-01&person.is_child=false&person.relation=accompanying_child",
            "person",
        ),
    ],
)
def test_an_answer_the_form_cannot_read_is_refused_naming_the_field(
    client: TestClient, query: str, named: str
) -> None:
    for lang in ("sv", "en"):
        response = client.get(f"{PATHS[lang]['question']}?{query}")
        assert response.status_code == 400
        assert named in text_of(response.text)


def test_the_draft_carries_the_free_text_only_in_the_post_body(client: TestClient) -> None:
    _, _, url = walk(client, BOARD_GRANT)
    query = url.split("?", 1)[1]
    form = client.get(f"/utkast?{query}")
    assert form.status_code == 200
    assert '<form method="post" action="/utkast">' in form.text
    assert "inte Migrationsverkets blankett" in text_of(form.text)
    fields = dict(hidden_inputs(form.text))
    fields.update({"text-person": "Zq7 person", "text-fact-1": "Zq7 skäl att anta"})
    sheet = client.post("/utkast", data=fields)
    assert sheet.status_code == 200
    text = text_of(sheet.text)
    assert "Zq7 person" in text and "Zq7 skäl att anta" in text
    assert "visa.app@migrationsverket.se" in text and "195011" in text
    assert "5 kap. 15 § andra stycket utlänningslagen (2005:716)" in text
    assert "5 kap. 15 § fjärde stycket andra meningen utlänningslagen (2005:716)" in text
    too_long = {**fields, "text-person": "x" * 4001}
    refused = client.post("/utkast", data=too_long)
    assert refused.status_code == 400 and "text-person" in text_of(refused.text)
    huge = client.post(
        "/utkast",
        content=b"text-person=" + b"x" * 700_000,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert huge.status_code == 400 and "body" in text_of(huge.text)
    as_json = client.post("/utkast", json=fields)
    assert as_json.status_code == 400 and "content-type" in text_of(as_json.text)
    not_utf8 = client.post(
        "/utkast",
        content=b"text-person=%FF",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert not_utf8.status_code == 400 and "body" in text_of(not_utf8.text)


def test_no_draft_is_offered_where_the_applicant_cannot_obtain_the_permit(
    client: TestClient,
) -> None:
    _, _, url = walk(client, SWEDISH_FLOWS[1])  # the refusal
    page = client.get(url).text
    assert "/utkast?" not in page
    assert "bara när sökanden kan få tillståndet" in text_of(
        client.get("/utkast?" + url.split("?", 1)[1]).text
    )


def test_nothing_entered_is_logged_in_a_whole_flow(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "Qx-9431 Hemlig Person"
    with caplog.at_level(logging.DEBUG):
        _, _, url = walk(client, BOARD_GRANT)
        fields = dict(hidden_inputs(client.get("/utkast?" + url.split("?", 1)[1]).text))
        fields["text-person"] = secret
        assert secret in client.post("/utkast", data=fields).text
    # The test client's own log (httpx) records the URLs it requests: it is the browser's
    # side, not the server's. Every other record is the server's.
    server = [r for r in caplog.records if not r.name.startswith("httpx")]
    assert any(r.name.startswith("httpx") for r in caplog.records)  # the capture works
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.args}" for r in server)
    assert secret not in logged
    assert "trafficking" not in logged and "in_sweden" not in logged


def test_a_change_to_a_note_a_label_and_a_source_shows_on_the_page(tmp_path: Path) -> None:
    tables = tmp_path / "tables"
    shutil.copytree(default_tables_dir(), tables)
    plant(
        tables,
        "utl-5-15-outcome/2022-08-01.yaml",
        "sv: Ett tidsbegränsat uppehållstillstånd på 30 dagar för betänketid ska ges (andra "
        "stycket).",
        "sv: Ett tidsbegränsat uppehållstillstånd på 30 dagar för betänketid ska ges (andra "
        "stycket; ÄNDRAD ANTECKNING).",
    )
    plant(
        tables, "vocabulary.yaml", "grant: {sv: ska beviljas,", "grant: {sv: ska beviljas ÄNDRAD,"
    )
    plant(
        tables,
        "sources.yaml",
        "email: visa.app@migrationsverket.se\n      text:\n        sv: Socialnämnden",
        "email: andrad.adress@example.invalid\n      text:\n        sv: Socialnämnden",
    )
    changed = TestClient(create_app(tables))
    page, _, _ = walk(changed, BOARD_GRANT)
    text = text_of(page)
    assert "ÄNDRAD ANTECKNING" in text
    assert "Ska beviljas ÄNDRAD" in text
    assert "andrad.adress@example.invalid" in text
    assert "visa.app@migrationsverket.se" not in text


def test_the_start_page_asks_who_is_asking_and_offers_dont_know(client: TestClient) -> None:
    for lang, dont_know in (("sv", "Vet inte"), ("en", "Don't know")):
        page = client.get(PATHS[lang]["start"]).text
        assert f'<html lang="{lang}">' in page
        assert dont_know in text_of(page)
        assert 'name="date" value="' in page
