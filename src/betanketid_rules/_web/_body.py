"""Reading a request's body as the library reads a document: bounded, then strict JSON.

The body is read only up to the one document-size limit the library states
(:data:`~betanketid_rules._json.MAX_DOCUMENT_BYTES`, 64 KiB): a larger one is refused (413) by
its declared length, or as soon as more has arrived, never read whole. A JSON body is parsed by
:func:`~betanketid_rules._json.parse_json` (a duplicate key is an error naming its path, as on
the command line), never by a parser that lets the last of two keys win.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from email.message import Message
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from .._errors import InvalidJsonError
from .._json import MAX_DOCUMENT_BYTES, parse_json
from ._problems import Problem, ProblemError, invalid_json

__all__ = ["BoundedRoute", "media_type"]

JSON = "application/json"


def media_type(request: Request) -> str:
    """The request's content type without parameters, lower case ('' when none is given).

    >>> from starlette.requests import Request
    >>> media_type(Request({"type": "http", "headers": [(b"content-type",
    ...     b"Application/JSON; charset=utf-8")]}))
    'application/json'
    """
    header = request.headers.get("content-type")
    if not header:
        return ""
    message = Message()
    message["content-type"] = header
    return message.get_content_type().lower()


def too_large() -> ProblemError:
    """The 413 problem: a body over the document-size limit."""
    return ProblemError(
        Problem.of(
            "body-too-large",
            f"the body is larger than {MAX_DOCUMENT_BYTES} bytes, the most a document may be "
            "(send several requests: the service keeps no state between them)",
        )
    )


def unsupported(found: str, accepted: tuple[str, ...]) -> ProblemError:
    """The 415 problem: a content type this endpoint does not read."""
    said = found or "none"
    return ProblemError(
        Problem.of(
            "unsupported-media-type",
            f"content type {said}: this endpoint reads {' or '.join(accepted)}",
        ),
        headers={"Accept-Post": ", ".join(accepted)},
    )


class BoundedRequest(Request):
    """A request whose body is read at most to the size limit and whose JSON is strict."""

    async def body(self) -> bytes:
        """The body, refused (413) beyond :data:`MAX_DOCUMENT_BYTES`."""
        if not hasattr(self, "_body"):
            declared = self.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_DOCUMENT_BYTES:
                raise too_large()
            chunks: list[bytes] = []
            size = 0
            async for chunk in self.stream():
                size += len(chunk)
                if size > MAX_DOCUMENT_BYTES:
                    raise too_large()
                chunks.append(chunk)
            self._body = b"".join(chunks)
        return self._body

    async def json(self) -> Any:
        """The body as one strict JSON document; a malformed one is a 400 problem."""
        if not hasattr(self, "_json"):
            try:
                self._json = parse_json(await self.body())
            except InvalidJsonError as error:
                raise ProblemError(invalid_json(error)) from None
        return self._json


async def require_body(request: BoundedRequest) -> bytes:
    """The body, which must not be empty (a 400 problem otherwise)."""
    body = await request.body()
    if not body.strip():
        raise ProblemError(Problem.of("malformed-body", "the request has no body"))
    return body


class BoundedRoute(APIRoute):
    """A route of the JSON API: its body is a :class:`BoundedRequest`; where it takes a model,
    the body must be ``application/json`` (415 otherwise) and one strict JSON document."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, reading the body through :class:`BoundedRequest` first."""
        handler = super().get_route_handler()
        takes_json = self.body_field is not None

        async def bounded(request: Request) -> Response:
            bounded_request = BoundedRequest(request.scope, request.receive)
            if takes_json:
                if media_type(bounded_request) != JSON:
                    raise unsupported(media_type(bounded_request), (JSON,))
                await require_body(bounded_request)
                await bounded_request.json()
            return await handler(bounded_request)

        return bounded
