"""What ``evaluate`` and ``assess`` share: their input options and reading one document."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, BinaryIO, TypeVar

from pydantic import ValidationError

from .._batch import describe_error
from .._errors import InvalidJsonError
from .._json import MAX_DOCUMENT_BYTES, parse_json
from .._types import Lang
from ._common import CommandError

T = TypeVar("T")


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """FILE (or stdin), ``--engine``, ``--format json|text`` and ``--lang``."""
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


def open_input(name: str) -> BinaryIO:
    """The input named on the command line (``-``: stdin), as bytes."""
    if name == "-":
        return sys.stdin.buffer
    try:
        return open(name, "rb")
    except OSError as error:
        raise CommandError(f"cannot read {name}: {error.strerror}") from None


def read_one(name: str, use: Callable[[Any], T], lang: Lang = "en") -> T:
    """``use`` applied to the one JSON document in ``name``; a bad document (syntax, size,
    duplicate key, invalid fields) is a :class:`CommandError` naming the fields (exit 2), in
    ``lang``.

    At most one byte more than a document may hold is read, so a huge input is refused by
    its size without being read whole.
    """
    stream = open_input(name)
    try:
        document = stream.read(MAX_DOCUMENT_BYTES + 1)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    try:
        return use(parse_json(document))
    except (InvalidJsonError, ValidationError) as error:
        raise CommandError(describe_error(error, lang)) from None
