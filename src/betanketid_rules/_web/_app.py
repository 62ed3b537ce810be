"""The application factory: routes, and the headers every response carries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request, Response

from .. import __version__
from .._tables import default_table_set, load_table_set
from ._form import add_form

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


def create_app(tables: Path | None = None) -> FastAPI:
    """The service's application: the JSON API under ``/api/v1`` and the guided form, deciding
    by the package's tables (or those in the directory ``tables``).

    Every response names the package version and the table-set hash, so a case system can
    record which rules decided.

    >>> from fastapi.testclient import TestClient
    >>> response = TestClient(create_app()).get("/api/v1/health")
    >>> response.json()["status"], response.headers["X-Betanketid-Version"] == __version__
    ('ok', True)
    """
    table_set = default_table_set() if tables is None else load_table_set(tables)
    table_hash = table_set.content_hash
    app = FastAPI(
        title="betanketid-rules",
        version=__version__,
        summary="Utlänningslagen 5 kap. 15 § as versioned, cited decision tables.",
        docs_url=None,  # the interactive docs load from a CDN: left out; /openapi.json stays
        redoc_url=None,
    )

    @app.middleware("http")
    async def _stamp(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["X-Betanketid-Version"] = __version__
        response.headers["X-Betanketid-Tables"] = table_hash
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    api = APIRouter(prefix=API_PREFIX)

    @api.get("/health", tags=["service"])
    def health() -> dict[str, str]:
        """Whether the service is up, with the version and table-set hash it decides by."""
        return {"status": "ok", "version": __version__, "tables_sha256": table_hash}

    app.include_router(api)
    add_form(app, table_set)
    return app
