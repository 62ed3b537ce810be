"""The JSON API under ``/api/v1``: the library's entry points and views over HTTP.

Every request and response body is one of the library's own models (their JSON Schemas are in
``/openapi.json``); every error is a :class:`~._problems.Problem`. Nothing here knows the law:
decisions come from :func:`~betanketid_rules.evaluate`, assessments from
:func:`~betanketid_rules.assess`, the tables, sources and open questions from
:func:`~betanketid_rules.describe_tables`, the semantic diff from the ``diff`` command's
functions. Handlers run on the event loop (each is CPU work of microseconds to a few
milliseconds, and the library's caches are then touched by one thread).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

from fastapi import APIRouter, FastAPI, Query, Request, Response
from pydantic import ValidationError

from .._assess import Assessment, assess
from .._batch import BatchError, InputProblem, batch_error
from .._contract import Case, Decision
from .._errors import InvalidArgumentError, InvalidJsonError
from .._evaluate import evaluate, evaluate_record, iter_records
from .._introspect import TableSetView, TableVersion, describe_tables
from .._json import MAX_DOCUMENT_BYTES, json_error, parse_json
from .._json_out import decision_json, record_json
from .._partial import PartialCase
from .._record import DecisionRecord
from .._tables import default_table_set
from .._tables._format import OpenQuestions, SourceRegistry
from ._body import JSON, BoundedRequest, BoundedRoute, media_type, require_body, unsupported
from ._problems import (
    PROBLEM_MEDIA_TYPE,
    Problem,
    ProblemError,
    install_problem_handlers,
)

__all__ = ["add_api"]

#: The content types of a batch in JSON Lines (one case per line).
JSON_LINES = ("application/x-ndjson", "application/jsonl")


def _problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The documented error answers of an endpoint: a Problem for each status."""
    return {status: {"model": Problem} for status in statuses}


#: What an endpoint that reads a JSON body may answer besides success.
_BODY_PROBLEMS = _problems(400, 413, 415, 422)

#: The batch body, described here (the endpoint reads it itself: a JSON array or JSON Lines).
_BATCH_BODY = {
    "requestBody": {
        "required": True,
        "description": "Cases as a JSON array, or one case per line (JSON Lines). Each item "
        "should be a Case; an item that is not is answered in its place by a BatchError, the "
        f"others are decided. The body holds at most {MAX_DOCUMENT_BYTES} bytes.",
        "content": {
            JSON: {"schema": {"type": "array", "items": {}}},
            **{kind: {"schema": {"type": "string", "minLength": 1}} for kind in JSON_LINES},
        },
    }
}


#: A side of a diff: a table (family@version) or an ISO date.
_DIFF_SIDE = r"^(?:[^@]+@[^@]+|[0-9]{4}-[0-9]{2}-[0-9]{2})$"


def _json(data: bytes | str) -> Response:
    return Response(data, media_type=JSON)


def _not_found(detail: str, parameter: str | None = None) -> ProblemError:
    problems = [InputProblem(path=parameter, message=detail)] if parameter else []
    return ProblemError(Problem.of("not-found", detail, problems))


def _invalid(parameter: str, message: str) -> ProblemError:
    problem = InputProblem(path=parameter, message=message)
    return ProblemError(Problem.of("invalid-input", f"{parameter}: {message}", [problem]))


@functools.cache
def _view() -> TableSetView:
    """The package's table set, read-only, made once (it never changes while serving)."""
    return describe_tables()


@functools.cache
def _tables_json() -> bytes:
    """The table set's view as JSON, made once."""
    return _view().model_dump_json().encode()


def _batch_json(results: list[DecisionRecord | BatchError]) -> bytes:
    parts = [
        record_json(result) if isinstance(result, DecisionRecord) else result.model_dump_json()
        for result in results
    ]
    return b"[" + b",".join(p if isinstance(p, bytes) else p.encode() for p in parts) + b"]"


def _line_results(body: bytes) -> list[DecisionRecord | BatchError]:
    """One result per line of a JSON Lines body, in order; a bad line answered in place."""
    lines = body.split(b"\n")
    if lines[-1] == b"":  # the last line's end
        lines.pop()
    results: list[DecisionRecord | BatchError] = []
    for index, raw in enumerate(lines):
        line = raw.removesuffix(b"\r")
        data: object = None
        try:
            if not line.strip():
                raise json_error("empty_line")
            data = parse_json(line)
            results.append(evaluate_record(Case.model_validate(data)))
        except (InvalidJsonError, ValidationError) as error:
            results.append(batch_error(index, index + 1, error, data))
    return results


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _diff_report(old: str, new: str) -> dict[str, Any]:
    """The semantic diff of two tables (``family@version``) or two dates, as JSON."""
    from .._verify.diff import diff_dates, diff_table_versions  # noqa: PLC0415 (on use)

    table_set = default_table_set()
    if "@" in old or "@" in new:
        for name, value in (("old", old), ("new", new)):
            if "@" not in value:
                raise _invalid(name, "expected a table, family@version, as the other side is")
        try:
            return diff_table_versions(table_set, old, new).to_json()
        except KeyError as error:
            raise _not_found(str(error.args[0])) from None
    old_day, new_day = _date(old), _date(new)
    for name, day in (("old", old_day), ("new", new_day)):
        if day is None:
            raise _invalid(name, "expected a table (family@version) or a date (YYYY-MM-DD)")
    assert old_day is not None and new_day is not None
    try:
        return diff_dates(table_set, old_day, new_day).to_json()
    except LookupError as error:
        raise _invalid("old", str(error)) from None


def _router(prefix: str) -> APIRouter:
    """The API's routes under ``prefix``."""
    api = APIRouter(prefix=prefix, route_class=BoundedRoute)

    @api.post(
        "/decisions",
        response_model=Decision,
        responses=_BODY_PROBLEMS,
        tags=["decisions"],
        summary="Decide one case",
    )
    async def decide(case: Case) -> Response:
        """A Case in, its Decision out: ``betanketid_rules.evaluate``."""
        return _json(decision_json(evaluate(case)))

    @api.post(
        "/decisions/batch",
        response_model=list[DecisionRecord | BatchError],
        responses=_problems(400, 413, 415, 422),
        openapi_extra=_BATCH_BODY,
        tags=["decisions"],
        summary="Decide many cases, in order",
    )
    async def decide_batch(request: Request) -> Response:
        """One result per item, in input order: a DecisionRecord (with the case's reference,
        the date applied, the package version and the table-set hash), or a BatchError naming
        the item's index (and line), its reference and each field at fault."""
        assert isinstance(request, BoundedRequest)
        kind = media_type(request)
        if kind not in (JSON, *JSON_LINES):
            raise unsupported(kind, (JSON, *JSON_LINES))
        if kind in JSON_LINES:
            body = await request.body()
            if not body:
                raise ProblemError(Problem.of("malformed-body", "the request has no body"))
            return _json(_batch_json(_line_results(body)))
        await require_body(request)
        items = await request.json()
        if not isinstance(items, list):
            raise _invalid("", "expected a JSON array of cases (or JSON Lines)")
        return _json(_batch_json(list(iter_records(items))))

    @api.post(
        "/assessments",
        response_model=Assessment,
        responses=_BODY_PROBLEMS,
        tags=["decisions"],
        summary="Assess a case whose facts are partly unknown",
    )
    async def assess_case(partial: PartialCase) -> Response:
        """A PartialCase in (a field left out is unknown), its Assessment out:
        ``betanketid_rules.assess``."""
        try:
            assessment = assess(partial)
        except InvalidArgumentError as error:  # e.g. an application after today, date left out
            field, _, reason = str(error).partition(": ")
            raise _invalid(field, reason) from None
        return _json(assessment.model_dump_json())

    @api.get("/tables", response_model=TableSetView, tags=["tables"], summary="The table set")
    async def tables() -> Response:
        """Every table family and version with its rows, citations and statuses, the periods,
        the sources and the open questions: ``betanketid_rules.describe_tables``."""
        return _json(_tables_json())

    @api.get(
        "/tables/{family}/{version}",
        response_model=TableVersion,
        responses=_problems(404, 422),
        tags=["tables"],
        summary="One version of a table",
    )
    async def table(family: str, version: str) -> Response:
        """One table version (``version`` is its first day in force, YYYY-MM-DD): rows,
        citations and statuses."""
        view = _view()
        if family not in view.families:
            known = ", ".join(view.families)
            raise _not_found(f"no table family {family!r} (families: {known})", "family")
        versions = {table.version: table for table in view.families[family]}
        if version not in versions:
            known = ", ".join(versions)
            raise _not_found(f"{family} has no version {version!r} (versions: {known})", "version")
        return _json(versions[version].model_dump_json())

    @api.get("/sources", response_model=SourceRegistry, tags=["tables"], summary="The sources")
    async def sources() -> Response:
        """The legal source registry the tables cite."""
        registry = SourceRegistry(sources=tuple(_view().sources.values()))
        return _json(registry.model_dump_json())

    @api.get(
        "/open-questions",
        response_model=OpenQuestions,
        tags=["tables"],
        summary="The open legal questions",
    )
    async def open_questions() -> Response:
        """Every legal question, open or settled, with its texts."""
        questions = OpenQuestions(questions=tuple(_view().open_questions.values()))
        return _json(questions.model_dump_json())

    @api.get(
        "/diff",
        responses={
            200: {
                "description": "The diff report, as ``betanketid-rules diff --format json`` "
                "prints it.",
                "content": {JSON: {"schema": {"type": "object"}}},
            },
            **_problems(404, 422),
        },
        tags=["tables"],
        summary="What a change of wording changes in decisions",
    )
    async def diff(
        old: str = Query(
            description="A table (family@version, or family@date for the version in force on "
            "that date) or a date (YYYY-MM-DD: the chain of tables in force on it).",
            pattern=_DIFF_SIDE,
        ),
        new: str = Query(description="The same kind as old.", pattern=_DIFF_SIDE),
    ) -> Response:
        """The semantic diff of two tables or of the chains in force on two dates: each region
        of inputs whose decision changes, with before and after."""
        return _json(json.dumps(_diff_report(old, new), ensure_ascii=False))

    return api


def _problem_media_type(app: FastAPI, prefix: str) -> None:
    """State in ``/openapi.json`` that the API's errors are ``application/problem+json``."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        for path, item in schema.get("paths", {}).items():
            if not path.startswith(prefix):
                continue
            for operation in item.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if status.startswith("4") and JSON in content:
                        content[PROBLEM_MEDIA_TYPE] = content.pop(JSON)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def add_api(app: FastAPI, prefix: str) -> None:
    """Add the JSON API's routes under ``prefix`` to ``app``, with its problem answers.

    >>> from fastapi.testclient import TestClient
    >>> app = FastAPI()
    >>> add_api(app, "/api/v1")
    >>> client = TestClient(app)
    >>> client.post("/api/v1/decisions", json={"decision_date": "2015-01-01",
    ...     "applicant": "the_person", "permit": "reflection_period"}).json()["outcome"]
    'no_standing'
    >>> client.post("/api/v1/decisions", json={"applicant": "x"}).status_code
    422
    """
    app.include_router(_router(prefix))
    install_problem_handlers(app, prefix)
    _problem_media_type(app, prefix)
