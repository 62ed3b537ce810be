"""Shared pieces of the command line: the one table of exit codes, and one-line errors.

Every command exits with one of these codes, so a CI step can tell a finding from a broken
checker:

==  =========================================================================================
0   success: every case decided (a refusal is a decision), no finding, no change asked about
1   findings (``check``) or changes (``diff --exit-code``)
2   invalid input or usage: bad arguments, a case that is not valid, a JSON Lines batch in
    which some line was not decided, a table directory that does not load for ``diff``
3   internal or environment error: an engine that cannot run here, a closed or full output,
    a bug
==  =========================================================================================
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


class CommandError(Exception):
    """A failure to report as one line on stderr with an exit code."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        self.exit_code = exit_code
        super().__init__(message)
