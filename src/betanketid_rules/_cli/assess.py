"""``betanketid-rules assess``: what a partial case can still come to, and what decides it."""

from __future__ import annotations

import argparse
import sys

from pydantic import ValidationError

from .._assess import assess
from .._batch import batch_error, describe
from .._errors import InvalidJsonError
from .._json import MAX_DOCUMENT_BYTES, oversized, parse_json
from .._render import render_assessment
from .._tables import default_table_set
from ._common import EXIT_OK, CommandError, text_language


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``assess`` command."""
    parser = subparsers.add_parser(
        "assess",
        help="assess a partial case (fields left out are unknown): the outcomes still "
        "possible and the questions that decide them",
        description="Read a partial case as JSON from FILE or stdin: the fields of a case, "
        "where a field of person or facts, applicant or permit left out is unknown, and a "
        "decision date left out is today. Print every outcome still possible, how many "
        "combinations of the unknowns lead to it and where, and the unknown fields that can "
        "still change it (the best question first). Exit 0, or 2 for invalid input.",
    )
    parser.add_argument(
        "file", nargs="?", default="-", metavar="FILE", help="input file, '-' for stdin"
    )
    parser.add_argument("--engine", choices=("native", "durable"), default="native")
    parser.add_argument("--format", choices=("json", "text"), default="json", dest="output_format")
    parser.add_argument(
        "--lang",
        choices=("sv", "en"),
        default=None,
        help="language of --format text (default sv; JSON carries both languages)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Assess the partial case and print the assessment."""
    lang = text_language(args)
    try:
        stream = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")  # noqa: SIM115
    except OSError as error:
        raise CommandError(f"cannot read {args.file}: {error.strerror}") from None
    with stream:
        document = stream.read(MAX_DOCUMENT_BYTES + 1)
    try:
        if len(document) > MAX_DOCUMENT_BYTES:
            raise oversized()
        assessment = assess(parse_json(document), engine=args.engine)
    except (InvalidJsonError, ValidationError) as error:
        raise CommandError(describe(batch_error(0, None, error))) from None
    if args.output_format == "json":
        print(assessment.model_dump_json())
    else:
        print(render_assessment(assessment, lang, default_table_set().catalogue))
    return EXIT_OK
