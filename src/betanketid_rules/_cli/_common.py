"""Shared pieces of the command line: the exit codes and one-line errors.

Every command exits with one of four codes, so a CI step can tell a finding from a broken
checker; ``docs/guide/errors.rst`` (section "On the command line") says what each means, and
``tests/test_exit_codes.py`` holds that table to these constants.
"""

from __future__ import annotations

import argparse

from .._types import Lang

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


class CommandError(Exception):
    """A failure to report as one line on stderr with an exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        self.exit_code = exit_code
        super().__init__(message)


def error_language(args: argparse.Namespace) -> Lang:
    """The language of the errors a command prints: that of ``--format text`` (``--lang``,
    Swedish by default), English for JSON output (which is read by programs)."""
    return text_language(args) if args.output_format == "text" else "en"


def text_language(args: argparse.Namespace) -> Lang:
    """The language of ``--format text``; ``--lang`` with any other format is a usage error
    (exit 2), never silently ignored."""
    if args.lang is not None and args.output_format != "text":
        raise CommandError("--lang applies only to --format text (JSON carries both languages)")
    lang: Lang = args.lang or "sv"
    return lang
