"""Errors of the JSON API as ``application/problem+json`` (RFC 9457), each field named.

A problem has the RFC's ``type``, ``title``, ``status`` and ``detail``, and ``errors``: each
field at fault with its dotted path and the reason, the library's own
:class:`~betanketid_rules.InputProblem` (what a batch's error record lists). Bad input of any
kind (a malformed body, a wrong content type, a body over the document-size limit, an unknown
table) is answered 4xx here, never 500. The text is English, like the library's error records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from .._batch import MAX_MESSAGE, MAX_PROBLEMS, InputProblem, problems_of
from .._errors import InvalidJsonError

__all__ = ["PROBLEM_MEDIA_TYPE", "Problem", "ProblemError", "problem_response"]

PROBLEM_MEDIA_TYPE = "application/problem+json"

#: Each kind of problem: its ``type`` (a URN: the project publishes no pages for them) and title.
KINDS: dict[str, tuple[int, str]] = {
    "malformed-body": (400, "The body is not a JSON document the service can read"),
    "not-found": (404, "No such resource"),
    "method-not-allowed": (405, "Method not allowed here"),
    "body-too-large": (413, "The body is larger than a document may be"),
    "unsupported-media-type": (415, "Unsupported content type"),
    "invalid-input": (422, "The input is not valid"),
}


class Problem(BaseModel):
    """An error answer (RFC 9457), with each field at fault and why.

    >>> Problem.of("invalid-input", "1 field is not valid",
    ...     [InputProblem(path="facts.ties_broken", message="Input should be a valid boolean")]
    ... ).status
    422
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str = Field(description="The kind of problem, a URN (urn:betanketid-rules:problem:…).")
    title: str = Field(description="The kind of problem in words; the same for every instance.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What is wrong with this request.")
    errors: tuple[InputProblem, ...] = Field(
        (),
        description="Each field at fault: its dotted path (empty for the whole body; a query "
        "parameter by its name) and the reason; at most ten, then more_errors.",
    )
    more_errors: int = Field(0, ge=0, description="How many more problems were not listed.")

    @classmethod
    def of(cls, kind: str, detail: str, problems: Sequence[InputProblem] = ()) -> Problem:
        """The problem of ``kind`` (a key of :data:`KINDS`), at most MAX_PROBLEMS listed."""
        status, title = KINDS[kind]
        return cls(
            type=f"urn:betanketid-rules:problem:{kind}",
            title=title,
            status=status,
            detail=detail,
            errors=tuple(problems[:MAX_PROBLEMS]),
            more_errors=max(0, len(problems) - MAX_PROBLEMS),
        )


class ProblemError(Exception):
    """Raised inside the API to answer with :attr:`problem` (and ``headers``)."""

    def __init__(self, problem: Problem, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(problem.detail)
        self.problem = problem
        self.headers = dict(headers or {})


def problem_response(problem: Problem, headers: Mapping[str, str] | None = None) -> Response:
    """``problem`` as an ``application/problem+json`` response with its status.

    >>> problem_response(Problem.of("not-found", "no table x")).media_type
    'application/problem+json'
    """
    return Response(
        problem.model_dump_json(),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=dict(headers or {}),
    )


def invalid_json(error: InvalidJsonError) -> Problem:
    """The problem of a body that is not one strict JSON document (syntax, duplicate key, …);
    a duplicate key is named by its path."""
    path = str(error.params.get("path", "")) if error.code == "duplicate_key" else ""
    problems = [InputProblem(path=path, message=problem.message) for problem in problems_of(error)]
    return Problem.of("malformed-body", problems[0].message, problems)


def _where(loc: Iterable[Any]) -> str:
    """A dotted field path from a FastAPI error location: the body's fields as the library
    names them (``facts.ties_broken``), a query or path parameter by its name."""
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(str(part) for part in parts)


def invalid_input(details: Sequence[Mapping[str, Any]]) -> Problem:
    """The problem of input that does not validate, from pydantic's error details."""
    problems = [
        InputProblem(
            path=_where(detail["loc"])[:MAX_MESSAGE],
            message=str(detail["msg"]).removeprefix("Value error, ")[:MAX_MESSAGE],
        )
        for detail in details
    ]
    count = len(problems)
    detail = f"{count} problem{'s' if count != 1 else ''} with the input: " + "; ".join(
        f"{p.path}: {p.message}" if p.path else p.message for p in problems[:3]
    )
    return Problem.of("invalid-input", detail, problems)


def _in_api(request: Request, prefix: str) -> bool:
    return request.url.path == prefix or request.url.path.startswith(prefix + "/")


def install_problem_handlers(app: FastAPI, prefix: str) -> None:
    """Answer every error under ``prefix`` as a problem; leave other paths (the guided form)
    to FastAPI's own handlers."""

    async def on_problem(request: Request, error: Exception) -> Response:
        assert isinstance(error, ProblemError)
        return problem_response(error.problem, error.headers)

    async def on_invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        if not _in_api(request, prefix):
            return await request_validation_exception_handler(request, error)
        return problem_response(invalid_input(jsonable_encoder(error.errors())))

    async def on_http(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        if not _in_api(request, prefix):
            return await http_exception_handler(request, error)
        kind = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code)
        if kind is None:  # no other HTTP error is raised under the API: keep FastAPI's answer
            return JSONResponse({"detail": error.detail}, error.status_code, error.headers)
        where = f"{request.method} {request.url.path}"
        return problem_response(Problem.of(kind, f"{where}: {error.detail}"), error.headers)

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(HTTPException, on_http)
