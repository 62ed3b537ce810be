"""The headers every response carries, added as a plain ASGI middleware.

Starlette's ``BaseHTTPMiddleware`` (``@app.middleware("http")``) runs each request in tasks of
its own and streams the response through them; measured here it made a decision request about
four times slower in process (``benchmarks/bench_web.py`` has the figures). This middleware only
edits the headers of the response's first message.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["StampHeaders"]


class StampHeaders:
    """Set ``always`` on every HTTP response, and ``defaults`` where a route set none.

    >>> from starlette.applications import Starlette
    >>> from starlette.testclient import TestClient
    >>> app = StampHeaders(Starlette(), always={"X-Version": "1"}, defaults={"X-Frame": "no"})
    >>> response = TestClient(app).get("/nothing")
    >>> response.status_code, response.headers["X-Version"], response.headers["X-Frame"]
    (404, '1', 'no')
    """

    def __init__(
        self, app: ASGIApp, always: Mapping[str, str], defaults: Mapping[str, str]
    ) -> None:
        self.app = app
        self.always = dict(always)
        self.defaults = dict(defaults)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; stamp the response's headers as they leave."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.always.items():
                    headers[name] = value
                for name, value in self.defaults.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, stamped)
