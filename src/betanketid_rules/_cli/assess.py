"""``betanketid-rules assess``: what a partial case can still come to, and what decides it."""

from __future__ import annotations

import argparse

from .._render import render_assessment
from .._tables import default_table_set
from ._common import EXIT_OK, error_language, text_language
from ._input import add_input_options, read_one


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
    add_input_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Assess the partial case and print the assessment."""
    from .._assess import assess  # noqa: PLC0415 (imported when the command runs)

    lang = text_language(args)
    assessment = read_one(
        args.file, lambda data: assess(data, engine=args.engine), error_language(args)
    )
    if args.output_format == "json":
        print(assessment.model_dump_json())
    else:
        print(render_assessment(assessment, lang, default_table_set().catalogue))
    return EXIT_OK
