"""The guided form: plain HTML pages, Swedish at ``/`` and English at ``/en``.

Start (who is asking, what it is about) → one question per page, only those the assessment says
still matter → the result in words → where the applicant can apply, an application draft to
print. Every page is a GET with the answers (choices only) in the URL, except the printable
draft, whose free text travels only in a POST body. Nothing is kept between requests and
nothing entered is logged. No page needs JavaScript.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import jinja2
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from .._tables import TableSet
from .._types import Lang
from . import _flow as flow
from . import _views as views
from ._texts import texts

__all__ = ["PATHS", "add_form"]

#: Each page's path, per language.
PATHS: dict[Lang, dict[str, str]] = {
    "sv": {"start": "/", "question": "/fraga", "result": "/resultat", "draft": "/utkast"},
    "en": {
        "start": "/en",
        "question": "/en/question",
        "result": "/en/result",
        "draft": "/en/draft",
    },
}

#: The most characters one free-text box of the draft takes.
MAX_TEXT = 4000
#: The most free-text boxes a draft has (a request with more is refused).
MAX_BOXES = 40
#: The most bytes a draft's form may send (every box full, in multi-byte characters).
MAX_BODY = MAX_BOXES * MAX_TEXT * 4

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader(__package__, "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEMPLATES.filters["first_upper"] = views.capitalised


def _page(
    name: str, lang: Lang, request: Request, status: int = 200, **context: Any
) -> HTMLResponse:
    other: Lang = "en" if lang == "sv" else "sv"
    page = next(key for key, path in PATHS[lang].items() if path == request.url.path)
    query = f"?{request.url.query}" if request.url.query and request.method == "GET" else ""
    words = texts()

    def t(key: str, **values: object) -> str:
        return words.word(key, lang, **values)

    html = _TEMPLATES.get_template(name).render(
        lang=lang,
        t=t,
        paths=PATHS[lang],
        other_url=PATHS[other][page if request.method == "GET" else "start"] + query,
        other_lang=other,
        **context,
    )
    return HTMLResponse(html, status_code=status)


def _error(request: Request, lang: Lang, error: flow.FormError) -> HTMLResponse:
    return _page("error.html", lang, request, status=400, error=error)


def add_form(app: FastAPI, table_set: TableSet) -> None:
    """Add the guided form's pages and its stylesheet to ``app``, deciding by ``table_set``.

    >>> from fastapi.testclient import TestClient
    >>> from betanketid_rules._tables import default_table_set
    >>> app = FastAPI()
    >>> add_form(app, default_table_set())
    >>> TestClient(app).get("/en").status_code
    200
    """
    static = Path(__file__).with_name("static")
    app.mount("/static", StaticFiles(directory=static), name="static")
    router = APIRouter(include_in_schema=False)
    for lang in ("sv", "en"):
        _routes(router, table_set, lang)
    app.include_router(router)


def _routes(router: APIRouter, table_set: TableSet, lang: Lang) -> None:
    paths = PATHS[lang]

    def answers_of(request: Request) -> flow.Answers:
        return flow.read_answers(request.query_params.multi_items(), lang)

    @router.get(paths["start"], response_class=HTMLResponse)
    def start(request: Request) -> Response:
        answers = flow.Answers(None, dt.date.today())
        questions = [
            (
                path,
                table_set.catalogue[path],
                flow.options(table_set, answers, path, lang),
            )
            for path in texts().start_questions
        ]
        return _page(
            "start.html",
            lang,
            request,
            askers=[(a.id, a.label.sv if lang == "sv" else a.label.en) for a in texts().askers],
            day=answers.day.isoformat(),
            questions=questions,
        )

    @router.get(paths["question"], response_class=HTMLResponse)
    def question(request: Request) -> Response:
        try:
            answers = answers_of(request)
        except flow.FormError as error:
            return _error(request, lang, error)
        assessment = flow.assessment_of(table_set, answers)
        path = flow.next_question(assessment, answers)
        if path is None:
            return RedirectResponse(f"{paths['result']}?{answers.query()}", status_code=303)
        asked = table_set.catalogue[path]
        return _page(
            "question.html",
            lang,
            request,
            path=path,
            asked=asked,
            number=len(answers.pairs()),  # the start page's answers, less the date, plus one
            options=flow.options(table_set, answers, path, lang),
            hidden=answers.pairs(),
            answers=views.answer_words(table_set, answers, lang),
        )

    @router.get(paths["result"], response_class=HTMLResponse)
    def result(request: Request) -> Response:
        try:
            answers = answers_of(request)
        except flow.FormError as error:
            return _error(request, lang, error)
        assessment = flow.assessment_of(table_set, answers)
        if assessment.decided:
            decision = flow.decision_of(table_set, answers)
            view = views.decided_view(table_set, answers, decision, lang)
            return _page(
                "result.html",
                lang,
                request,
                view=view,
                query=answers.query(),
                decision_date=answers.day.isoformat(),
            )
        undecided = views.undecided_view(table_set, answers, assessment, lang)
        retry = flow.Answers(answers.asker, answers.day, dict(answers.known))
        return _page(
            "undecided.html",
            lang,
            request,
            view=undecided,
            retry=retry.query(),
            decision_date=answers.day.isoformat(),
        )

    @router.get(paths["draft"], response_class=HTMLResponse)
    def draft_form(request: Request) -> Response:
        try:
            answers = answers_of(request)
        except flow.FormError as error:
            return _error(request, lang, error)
        return _draft(request, table_set, answers, lang, filled=None)

    @router.post(paths["draft"], response_class=HTMLResponse)
    async def draft_page(request: Request) -> Response:
        pairs: list[tuple[str, str]] = []
        filled: dict[str, str] = {}
        try:
            for name, value in await _form_fields(request, lang):
                if name.startswith("text-"):
                    if len(value) > MAX_TEXT:
                        raise flow.FormError(name, texts().word("too_long", lang, limit=MAX_TEXT))
                    filled[name] = value
                else:
                    pairs.append((name, value))
            answers = flow.read_answers(pairs, lang)
        except flow.FormError as error:
            return _error(request, lang, error)
        return _draft(request, table_set, answers, lang, filled=filled)


async def _form_fields(request: Request, lang: Lang) -> list[tuple[str, str]]:
    """The fields of a form sent URL-encoded, read up to :data:`MAX_BODY` bytes (a larger
    body, another encoding or bytes that are not UTF-8 is a :class:`~._flow.FormError`)."""
    words = texts()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise flow.FormError("content-type", words.word("bad_value", lang, value=kind[:40]))
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise flow.FormError("body", words.word("too_long", lang, limit=MAX_BODY))
    try:
        return parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=False,
            errors="strict",
            max_num_fields=MAX_BOXES + 20,
        )
    except (UnicodeDecodeError, ValueError) as error:
        raise flow.FormError("body", words.word("bad_value", lang, value=str(error)[:40])) from None


def _draft(
    request: Request,
    table_set: TableSet,
    answers: flow.Answers,
    lang: Lang,
    filled: dict[str, str] | None,
) -> Response:
    """The draft's form (``filled`` None) or its printable page."""
    assessment = flow.assessment_of(table_set, answers)
    if not assessment.decided:
        return _page("draft_unavailable.html", lang, request, query=answers.query())
    decision = flow.decision_of(table_set, answers)
    view = views.decided_view(table_set, answers, decision, lang)
    if not view.draft:
        return _page("draft_unavailable.html", lang, request, query=answers.query())
    sheet = views.draft_view(table_set, answers, decision, lang)
    return _page(
        "draft.html" if filled is None else "draft_print.html",
        lang,
        request,
        view=view,
        sheet=sheet,
        hidden=answers.pairs(),
        filled=filled or {},
        query=answers.query(),
    )
