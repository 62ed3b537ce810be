"""The web service's frame: what every response carries, and how ``serve`` is started."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from betanketid_rules import __version__
from betanketid_rules._cli import build_parser, main
from betanketid_rules._tables import default_table_set
from betanketid_rules._web import create_app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def test_every_response_names_the_version_and_the_table_set(client: TestClient) -> None:
    for path in ("/api/v1/health", "/openapi.json", "/no-such-page"):
        response = client.get(path)
        assert response.headers["X-Betanketid-Version"] == __version__, path
        assert response.headers["X-Betanketid-Tables"] == default_table_set().content_hash, path


def test_every_response_allows_loading_only_from_the_server_itself(client: TestClient) -> None:
    for path in ("/api/v1/health", "/openapi.json", "/no-such-page"):
        policy = client.get(path).headers["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["default-src"] == "'self'", path
        assert "http" not in policy and "*" not in policy, path


def test_the_interactive_docs_that_load_from_a_cdn_are_left_out(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")


def test_serve_binds_to_loopback_unless_told_otherwise() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.workers) == ("127.0.0.1", 8000, 1)


def test_serve_refuses_fewer_than_one_worker(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--workers", "0"]) != 0
    assert "--workers" in capsys.readouterr().err


def test_serve_help_says_how_to_scale_out_and_warns_about_query_strings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--workers" in text and "proxy" in text
    assert "query strings would record them" in text


def test_with_another_table_directory_the_api_that_decides_by_the_package_is_left_out(
    tables_copy: Path,
) -> None:
    """``create_app(tables)`` serves the form by a changed copy of the tables; the JSON API
    decides by the package's tables only, so it is not served beside a hash it would belie."""
    note = tables_copy / "utl-5-15-outcome" / "2022-08-01.yaml"
    note.write_text(note.read_text(encoding="utf-8") + "\n# a reviewer's change\n", "utf-8")
    client = TestClient(create_app(tables_copy))
    response = client.post(
        "/api/v1/decisions",
        json={"decision_date": "2023-01-01", "applicant": "the_person", "permit": "evidence"},
    )
    assert response.status_code == 404
    assert response.headers["X-Betanketid-Tables"] != default_table_set().content_hash
    assert client.get("/").status_code == 200
