"""``betanketid-rules schema``: JSON Schemas of the table format and of the contract."""

from __future__ import annotations

import argparse
from pathlib import Path

from .._schemas import SCHEMA_NAMES, schema_text
from ._common import EXIT_OK

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``schema`` command."""
    parser = subparsers.add_parser(
        "schema",
        help="print a JSON Schema (table files, source registry, open questions, Case, Decision)",
    )
    parser.add_argument("which", choices=sorted(SCHEMA_NAMES))
    parser.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print or write the schema."""
    text = schema_text(args.which)
    if args.output is None:
        print(text, end="")
    else:
        args.output.write_text(text, encoding="utf-8")
    return EXIT_OK
