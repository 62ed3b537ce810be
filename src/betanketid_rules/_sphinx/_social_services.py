"""The social services page: ``betanketid-social-services``, the reflection period explained.

What the reflection period is, who may apply and what is examined, from the rows, in Swedish
or English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar

from docutils import nodes
from docutils.nodes import Node
from docutils.parsers.rst import directives

from .. import _docs as docs
from .._types import Lang
from ._citations import _short_basis
from ._nodes import _bullets, _para, _section, _url_link, _xref, status_marker
from ._renderer import _TablesDirective

_SOCIAL: dict[Lang, dict[str, str]] = {
    "sv": {
        "what": "Vad är betänketid?",
        "who": "Vem får ansöka?",
        "who_intro": "Enligt lydelsen som gäller från {date} ({table}):",
        "since": "Sedan när får socialnämnden ansöka?",
        "since_text": "Socialnämnden får ansöka enligt lydelsen som gäller från {date} ({table}). "
        "Före dess gällde:",
        "conditions": "Vad prövas när socialnämnden ansöker?",
        "conditions_intro": "Varje punkt är ett villkor; tabellerna prövar det för ansökan:",
        "questions": "Frågor som ännu är öppna",
        "questions_intro": "Där svaret beror på en öppen fråga blir utfallet ”{review}” i "
        "stället för en gissning:",
        "sources": "Läs mer",
        "sources_intro": "Källorna som raderna ovan bygger på:",
        "board": "Socialnämnden",
        "others": "Andra sökande",
    },
    "en": {
        "what": "What is the reflection period?",
        "who": "Who may apply?",
        "who_intro": "Under the wording in force from {date} ({table}):",
        "since": "Since when may the social welfare board apply?",
        "since_text": "The social welfare board may apply under the wording in force from "
        "{date} ({table}). Before that:",
        "conditions": "What is examined when the board applies?",
        "conditions_intro": "Each point is a condition the tables examine for the application:",
        "questions": "Questions still open",
        "questions_intro": "Where the answer turns on an open question the outcome is "
        "“{review}” instead of a guess:",
        "sources": "Read more",
        "sources_intro": "The sources the rows above rest on:",
        "board": "The social welfare board",
        "others": "Other applicants",
    },
}


class SocialServicesDirective(_TablesDirective):
    """``.. betanketid-social-services:: sv|en``: the reflection period for social workers."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {
        "noindex": directives.flag,
        "date": directives.unchanged,
    }

    def run(self) -> list[Node]:
        lang_arg = self.arguments[0].strip()
        if lang_arg not in docs.LANGS:
            return self.fail(
                f"betanketid-social-services: language must be sv or en, not {lang_arg!r}"
            )
        lang: Lang = "sv" if lang_arg == "sv" else "en"
        renderer = self.renderer()
        table_set = renderer.table_set
        day = dt.date.fromisoformat(self.options["date"]) if "date" in self.options else None
        view = docs.social_services_view(table_set, day)
        words = _SOCIAL[lang]
        prefix = f"social-{lang}"
        result: list[Node] = []

        def items(selected: Sequence[docs.Item]) -> nodes.bullet_list:
            entries: list[list[Node]] = []
            for item in selected:
                note = item.row.note.sv if lang == "sv" else item.row.note.en
                entries.append(
                    [
                        _para(
                            status_marker(item.row.status, lang),
                            " ",
                            note,
                            classes=["bk-social-note"],
                        ),
                        _short_basis(table_set, item.key, item.row, lang),
                    ]
                )
            return _bullets(entries, "bk-social")

        what = _section(f"{prefix}-what", words["what"])
        what += items(view.what)
        result.append(what)

        who = _section(f"{prefix}-who", words["who"])
        if view.who:
            standing = view.who[0].table
            who += _para(words["who_intro"].format(date=standing.version, table=standing.key))
            board = tuple(item for item in view.who if docs.concerns_board(item.row))
            others = tuple(item for item in view.who if not docs.concerns_board(item.row))
            for suffix, title, group in (
                ("board", words["board"], board),
                ("others", words["others"], others),
            ):
                if group:
                    sub = _section(f"{prefix}-who-{suffix}", title)
                    sub += items(group)
                    who += sub
        result.append(who)

        if view.since is not None:
            since = _section(f"{prefix}-since", words["since"])
            since += _para(
                words["since_text"].format(date=view.since.version, table=view.since.key)
            )
            since += items(view.before)
            result.append(since)

        conditions = _section(f"{prefix}-conditions", words["conditions"])
        conditions += _para(words["conditions_intro"])
        conditions += items(view.conditions)
        result.append(conditions)

        if view.questions:
            result.append(_questions(table_set, view.questions, lang, f"{prefix}-questions"))

        sources = _section(f"{prefix}-sources", words["sources"])
        sources += _para(words["sources_intro"])
        sources += _bullets(
            [
                _para(
                    _xref("source", sid),
                    f": {table_set.sources[sid].title} ",
                    _url_link(table_set.sources[sid].url),
                )
                for sid in view.sources
            ]
        )
        result.append(sources)
        return result


def _questions(table_set: Any, asked: Sequence[str], lang: Lang, anchor: str) -> nodes.section:
    """The open questions the page's rows rest on, in the page's language."""
    words = _SOCIAL[lang]
    questions = _section(anchor, words["questions"])
    vocabulary = table_set.vocabulary
    review = "needs_review"
    if vocabulary is not None:
        named = vocabulary.outcomes["needs_review"]
        review = named.sv if lang == "sv" else named.en
    questions += _para(words["questions_intro"].format(review=review))
    questions += _bullets(
        [
            _para(
                _xref("question", qid),
                ": ",
                table_set.questions[qid].question.sv
                if lang == "sv"
                else table_set.questions[qid].question.en,
            )
            for qid in asked
        ]
    )
    return questions
