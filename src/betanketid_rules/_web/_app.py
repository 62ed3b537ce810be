"""The application factory: routes, and the headers every response carries."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

from .. import __version__
from .._tables import default_table_set, load_table_set
from ._api import add_api
from ._form import add_form
from ._headers import StampHeaders

__all__ = ["API_PREFIX", "create_app"]

#: Where the JSON API lives; the guided form has the paths outside it.
API_PREFIX = "/api/v1"

#: Every response may load only from the server itself (no CDN, no fonts from elsewhere), may not
#: be framed, and sends no referrer: answers never leave for another host.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def _build_models() -> None:
    """Build every model of the package now. Output models build on first use (a one-case
    command need not pay for the rest); a server wants no first-request cost. (Input models
    are never deferred: FastAPI's adapters of request bodies would build them at the first
    request, outside its own warning filters.)"""
    pending: list[type[BaseModel]] = [BaseModel]
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        package = model.__module__.partition(".")[0]  # public models show the package's name
        if package == "betanketid_rules" and not model.__pydantic_complete__:
            model.model_rebuild()


def create_app(tables: Path | None = None) -> FastAPI:
    """The service's application: the JSON API under ``/api/v1`` and the guided form, deciding
    by the package's tables. Given another table directory (``tables``: a reviewer's changed
    copy), it serves the guided form by those tables and leaves the JSON API out, which
    decides by the package's tables only: every response is decided by the table set its
    headers name.

    Every response names the package version and the table-set hash, so a case system can
    record which rules decided.

    >>> from fastapi.testclient import TestClient
    >>> response = TestClient(create_app()).get("/api/v1/health")
    >>> response.json()["status"], response.headers["X-Betanketid-Version"] == __version__
    ('ok', True)
    """
    table_set = default_table_set() if tables is None else load_table_set(tables)
    table_hash = table_set.content_hash
    _build_models()
    app = FastAPI(
        title="betanketid-rules",
        version=__version__,
        summary="Utlänningslagen 5 kap. 15 § as versioned, cited decision tables.",
        docs_url=None,  # the interactive docs load from a CDN: left out; /openapi.json stays
        redoc_url=None,
    )

    app.add_middleware(
        StampHeaders,
        always={"X-Betanketid-Version": __version__, "X-Betanketid-Tables": table_hash},
        defaults=SECURITY_HEADERS,
    )

    api = APIRouter(prefix=API_PREFIX)

    @api.get("/health", tags=["service"])
    def health() -> dict[str, str]:
        """Whether the service is up, with the version and table-set hash it decides by."""
        return {"status": "ok", "version": __version__, "tables_sha256": table_hash}

    app.include_router(api)
    if tables is None:
        add_api(app, API_PREFIX)
    add_form(app, table_set)
    return app
