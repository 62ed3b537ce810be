"""Errors of the JSON API as ``application/problem+json`` (RFC 9457), each field named.

A problem has the RFC's ``type``, ``title``, ``status`` and ``detail``, and ``errors``: each
field at fault with its dotted path and the reason, the library's own
:class:`~betanketid_rules.InputProblem` (what a batch's error record lists). Bad input of any
kind (a malformed body, a wrong content type, a body over the document-size limit, an unknown
table) is answered 4xx here, never 500.

A problem speaks the language the request prefers (``Accept-Language``: Swedish or English,
English when it names neither) and says which in ``Content-Language``. Its words are the
interface's (``texts.yaml``) and the library's message catalogue (``_messages``): a problem is
raised as a :class:`ProblemError` holding what to say, and put in words when answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
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

from .._batch import MAX_MESSAGE, MAX_PROBLEMS, InputProblem
from .._errors import InvalidArgumentError
from .._messages import message
from .._types import Lang
from ._texts import texts

__all__ = ["PROBLEM_MEDIA_TYPE", "Problem", "ProblemError", "problem_response"]

PROBLEM_MEDIA_TYPE = "application/problem+json"

#: Each kind of problem's status (its ``type`` is a URN: the project publishes no pages for
#: them; its title is the interface's word ``problem_title_<kind>``).
KINDS: dict[str, int] = {
    "malformed-body": 400,
    "not-found": 404,
    "method-not-allowed": 405,
    "body-too-large": 413,
    "unsupported-media-type": 415,
    "invalid-input": 422,
}

#: What a problem says, put in words in a language when it is answered.
Saying = Callable[[Lang], str]


def words(key: str, **values: object) -> Saying:
    """The interface's word ``key`` (``texts.yaml``) with ``values``, in any language.

    >>> words("problem_no_body")("sv")
    'anropet har inget innehåll'
    """
    return lambda lang: texts().word(key, lang, **values)


def said(error: InvalidArgumentError) -> Saying:
    """What the library's ``error`` says, from the message catalogue by its code (its own
    English message where the catalogue has no words for it)."""
    return lambda lang: message(error.code, lang, dict(error.params), str(error))


def request_language(accept_language: str | None) -> Lang:
    """Swedish or English, whichever ``Accept-Language`` prefers (English if neither).

    >>> request_language("sv-SE,sv;q=0.9,en;q=0.8"), request_language("de, en;q=0.5")
    ('sv', 'en')
    >>> request_language("en;q=0.4, sv;q=0.6"), request_language(None)
    ('sv', 'en')
    """
    best: tuple[float, Lang] = (0.0, "en")
    for part in (accept_language or "").split(","):
        tag, _, rest = part.strip().partition(";")
        language = tag.strip().lower().split("-")[0]
        if language not in ("sv", "en"):
            continue
        weight = 1.0
        for parameter in rest.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight > best[0]:
            best = (weight, "sv" if language == "sv" else "en")
    return best[1]


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
    def of(
        cls, kind: str, detail: str, problems: Sequence[InputProblem] = (), lang: Lang = "en"
    ) -> Problem:
        """The problem of ``kind`` (a key of :data:`KINDS`) titled in ``lang``, at most
        MAX_PROBLEMS listed."""
        return cls(
            type=f"urn:betanketid-rules:problem:{kind}",
            title=texts().word(f"problem_title_{kind.replace('-', '_')}", lang),
            status=KINDS[kind],
            detail=detail,
            errors=tuple(problems[:MAX_PROBLEMS]),
            more_errors=max(0, len(problems) - MAX_PROBLEMS),
        )


class ProblemError(Exception):
    """Raised inside the API to answer with a problem of ``kind``: ``detail`` and each field at
    fault with what is wrong there, put in words in the request's language (and ``headers``).
    """

    def __init__(
        self,
        kind: str,
        detail: Saying,
        fields: Sequence[tuple[str, Saying]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail("en"))
        self.kind = kind
        self.detail = detail
        self.fields = tuple(fields)
        self.headers = dict(headers or {})

    def problem(self, lang: Lang) -> Problem:
        """The problem in ``lang``.

        >>> ProblemError("malformed-body", words("problem_no_body")).problem("sv").title
        'Innehållet är inget JSON-dokument som tjänsten kan läsa'
        """
        problems = [
            InputProblem(path=path, message=saying(lang)[:MAX_MESSAGE])
            for path, saying in self.fields
        ]
        return Problem.of(self.kind, self.detail(lang), problems, lang)


def problem_response(
    problem: Problem, headers: Mapping[str, str] | None = None, lang: Lang = "en"
) -> Response:
    """``problem`` (in ``lang``) as an ``application/problem+json`` response with its status.

    >>> problem_response(Problem.of("not-found", "no table x")).media_type
    'application/problem+json'
    """
    return Response(
        problem.model_dump_json(),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers={**(headers or {}), "Content-Language": lang, "Vary": "Accept-Language"},
    )


def invalid_json(error: InvalidArgumentError) -> ProblemError:
    """The problem of a body that is not one strict JSON document (syntax, duplicate key, …);
    a duplicate key is named by its path."""
    path = str(error.params.get("path", "")) if error.code == "duplicate_key" else ""
    return ProblemError("malformed-body", said(error), [(path, said(error))])


def _where(loc: Iterable[Any]) -> str:
    """A dotted field path from a FastAPI error location: the body's fields as the library
    names them (``facts.ties_broken``), a query or path parameter by its name."""
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(str(part) for part in parts)


def invalid_input(details: Sequence[Mapping[str, Any]], lang: Lang = "en") -> Problem:
    """The problem of input that does not validate, from pydantic's error details, in
    ``lang`` (the catalogue's words for each error's type, pydantic's own where it has none).
    """
    problems = [
        InputProblem(
            path=_where(detail["loc"])[:MAX_MESSAGE],
            message=message(
                str(detail["type"]),
                lang,
                dict(detail.get("ctx") or {}),
                str(detail["msg"]).removeprefix("Value error, "),
            )[:MAX_MESSAGE],
        )
        for detail in details
    ]
    listed = "; ".join(f"{p.path}: {p.message}" if p.path else p.message for p in problems[:3])
    count = len(problems)
    key = "problem_invalid_one" if count == 1 else "problem_invalid_many"
    return Problem.of(
        "invalid-input", texts().word(key, lang, count=count, listed=listed), problems, lang
    )


def _in_api(request: Request, prefix: str) -> bool:
    return request.url.path == prefix or request.url.path.startswith(prefix + "/")


def install_problem_handlers(app: FastAPI, prefix: str) -> None:
    """Answer every error under ``prefix`` as a problem; leave other paths (the guided form)
    to FastAPI's own handlers."""

    async def on_problem(request: Request, error: Exception) -> Response:
        assert isinstance(error, ProblemError)
        lang = request_language(request.headers.get("accept-language"))
        return problem_response(error.problem(lang), error.headers, lang)

    async def on_invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        if not _in_api(request, prefix):
            return await request_validation_exception_handler(request, error)
        lang = request_language(request.headers.get("accept-language"))
        return problem_response(invalid_input(jsonable_encoder(error.errors()), lang), lang=lang)

    async def on_http(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        if not _in_api(request, prefix):
            return await http_exception_handler(request, error)
        key = {404: "problem_no_route", 405: "problem_method"}.get(error.status_code)
        if key is None:  # no other HTTP error is raised under the API: keep FastAPI's answer
            return JSONResponse({"detail": error.detail}, error.status_code, error.headers)
        kind = "not-found" if error.status_code == 404 else "method-not-allowed"
        lang = request_language(request.headers.get("accept-language"))
        where = f"{request.method} {request.url.path}"
        problem = Problem.of(kind, texts().word(key, lang, where=where), (), lang)
        return problem_response(problem, error.headers, lang)

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(HTTPException, on_http)
