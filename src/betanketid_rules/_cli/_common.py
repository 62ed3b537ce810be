"""Shared pieces of the command line: exit codes and one-line error messages."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2


class CommandError(Exception):
    """A failure to report as one line on stderr with an exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        self.exit_code = exit_code
        super().__init__(message)


def describe_validation_error(error: ValidationError) -> str:
    """Every problem of a validation error on one line: ``field.path: reason``."""
    parts = []
    for detail in error.errors():
        location = ".".join(str(part) for part in detail["loc"]) or "(case)"
        message = str(detail["msg"]).removeprefix("Value error, ")
        parts.append(f"{location}: {message}")
    return "; ".join(parts)


def parse_json(text: str) -> Any:
    """Parse JSON, turning a syntax error into a :class:`CommandError`."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
