"""``betanketid-rules evaluate``: decide one case (JSON) or many (JSON Lines)."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from pydantic import ValidationError

from .._contract import Case, Decision
from .._evaluate import evaluate
from .._render import render_decision
from ._common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    CommandError,
    describe_validation_error,
    parse_json,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``evaluate`` command."""
    parser = subparsers.add_parser(
        "evaluate",
        help="decide a case given as JSON (or many as JSON Lines)",
        description="Read a case as JSON (or one case per line with --jsonl) from FILE or "
        "stdin and print the decision. Exit 0 for any decision, 2 for invalid input.",
    )
    parser.add_argument(
        "file", nargs="?", default="-", metavar="FILE", help="input file, '-' for stdin"
    )
    parser.add_argument(
        "--jsonl", action="store_true", help="one case per line; bad lines do not stop the others"
    )
    parser.add_argument("--engine", choices=("native", "durable"), default="native")
    parser.add_argument("--format", choices=("json", "text"), default="json", dest="output_format")
    parser.add_argument(
        "--lang", choices=("sv", "en"), default="sv", help="language of --format text"
    )
    parser.set_defaults(run=run)


def _open(name: str) -> TextIO:
    if name == "-":
        return sys.stdin
    try:
        return open(name, encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot read {name}: {error.strerror}") from None


def _emit(decision: Decision, args: argparse.Namespace) -> None:
    if args.output_format == "text":
        print(render_decision(decision, args.lang))
        print()
    else:
        print(decision.model_dump_json())


def _decide(text: str, engine: str) -> Decision:
    data = parse_json(text)
    try:
        case = Case.model_validate(data)
    except ValidationError as error:
        raise CommandError(describe_validation_error(error)) from None
    return evaluate(case, engine=engine)


def run(args: argparse.Namespace) -> int:
    """Evaluate the input and print decisions."""
    stream = _open(args.file)
    try:
        if not args.jsonl:
            _emit(_decide(stream.read(), args.engine), args)
            return EXIT_OK
        code = EXIT_OK
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                decision = _decide(line, args.engine)
            except CommandError as error:
                print(f"betanketid-rules: line {number}: {error}", file=sys.stderr)
                code = EXIT_BAD_INPUT
                continue
            _emit(decision, args)
        return code
    finally:
        if stream is not sys.stdin:
            stream.close()
