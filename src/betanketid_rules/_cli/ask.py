"""``betanketid-rules ask``: a questionnaire that asks only what still decides the case.

After each answer the case is assessed again (:func:`~betanketid_rules.assess`) and the best
question still open is asked; an answer of "vet inte" / "don't know" leaves the field unknown
and moves on. The questions and the answers' labels come from the tables (``questions.yaml``,
``vocabulary.yaml``); the words of the dialogue are in ``_ask_words``. End of input or Ctrl-C
ends it cleanly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._render import render_assessment, render_decision
from .._tables import TableSet, default_table_set
from .._tables._columns import CASE_DOMAINS
from .._types import CellScalar, Lang
from ._ask_words import WORDS, parse_answer
from ._common import EXIT_OK

if TYPE_CHECKING:
    from .._assess import Assessment


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``ask`` command."""
    parser = subparsers.add_parser(
        "ask",
        help="an interactive questionnaire that asks only what still decides the case",
        description="Ask, one at a time, only the questions that can still change the outcome "
        "(best first), in Swedish by default. Answer ja/nej (yes/no), the number of an option, "
        "'?' for help, or 'vet inte' (don't know) to leave a fact unknown. It ends with the "
        "decision, or with the outcomes still possible and what would settle them. End of "
        "input or Ctrl-C ends it cleanly.",
    )
    parser.add_argument("--lang", choices=("sv", "en"), default="sv")
    parser.add_argument(
        "--date", type=dt.date.fromisoformat, default=None, help="decision date (default today)"
    )
    parser.add_argument("--save", type=Path, help="write the case built to this file as JSON")
    parser.set_defaults(run=run)


def _set(partial: dict[str, Any], path: str, value: CellScalar) -> None:
    head, _, tail = path.partition(".")
    if tail:
        partial.setdefault(head, {})[tail] = value
    else:
        partial[head] = value


def _options(table_set: TableSet, path: str, lang: Lang) -> list[tuple[CellScalar, str]]:
    vocabulary = table_set.vocabulary
    assert vocabulary is not None
    return [(value, vocabulary.label(path, value, lang)) for value in CASE_DOMAINS[path]]


def _ask(table_set: TableSet, path: str, lang: Lang) -> CellScalar | None:
    """Ask for ``path`` until the answer is understood; None for "don't know"."""
    words = WORDS[lang]
    question = table_set.catalogue[path]
    options = _options(table_set, path, lang)
    print(f"\n{getattr(question.question, lang)}")
    for number, (_, label) in enumerate(options, start=1):
        print(f"  {number}. {label}")
    while True:
        answer = parse_answer(input(words["prompt"]), options)
        if answer == "help":
            print(getattr(question.help, lang))
        elif answer == "unknown":
            return None
        elif answer is not None:
            return answer[0]
        else:
            print(words["not_understood"])


def _interview(table_set: TableSet, partial: dict[str, Any], lang: Lang) -> Assessment:
    from .._assess import assess  # noqa: PLC0415 (imported when the command runs)

    skipped: set[str] = set()
    while True:
        assessment = assess(partial)
        pending = [path for path in assessment.questions if path not in skipped]
        if assessment.decided or not pending:
            return assessment
        value = _ask(table_set, pending[0], lang)
        if value is None:
            skipped.add(pending[0])
        else:
            _set(partial, pending[0], value)


def run(args: argparse.Namespace) -> int:
    """Run the questionnaire."""
    lang: Lang = args.lang
    words = WORDS[lang]
    table_set = default_table_set()
    partial: dict[str, Any] = {}
    if args.date is not None:
        partial["decision_date"] = args.date.isoformat()
    print(words["intro"])
    try:
        assessment = _interview(table_set, partial, lang)
    except (EOFError, KeyboardInterrupt):
        print(f"\n{words['stopped']}")
        return EXIT_OK
    print()
    if assessment.decision is not None:
        print(render_decision(assessment.decision, lang))
    else:
        print(render_assessment(assessment, lang, table_set.catalogue))
    if args.save is not None:
        args.save.write_text(json.dumps(partial, ensure_ascii=False, indent=2) + "\n", "utf-8")
        print(words["saved"].format(path=args.save))
    return EXIT_OK
