"""The one exception hierarchy of the library: every class is defined here and nowhere else.

Invalid cases raise pydantic's ``ValidationError`` (as pydantic users expect). Everything else
the library raises derives from :class:`BetanketidError` and from the matching builtin, as
``docs/guide/errors.rst`` draws it (``tests/test_contract.py`` holds the drawing to these
classes). :data:`PROBLEM_CODES` is the closed list of what a :class:`TableProblem` can be.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal


class BetanketidError(Exception):
    """Root of every error the library raises (apart from case validation)."""


class InvalidArgumentError(BetanketidError, ValueError):
    """An argument is outside what the function accepts; the message names it and why.

    Raised by the :mod:`betanketid_rules.testing` strategies (an unknown version, an empty
    restriction) and by the renderers (an unknown output format), as hypothesis raises
    ``InvalidArgument``.

    Where ``code`` is given it names the problem in the message catalogue (``_messages``),
    with ``params``, so the command line and the web service can say it in Swedish too;
    ``str()`` is the English message.

    >>> issubclass(InvalidArgumentError, ValueError)
    True
    """

    def __init__(self, message: str, code: str = "", params: dict[str, object] | None = None):
        super().__init__(message)
        self.code = code
        self.params = params or {}


class InvalidJsonError(InvalidArgumentError):
    """A JSON document of input is not read: its syntax, a duplicate key (with its path),
    bytes that are not UTF-8, its size or its depth (always with its catalogue ``code``)."""


class UnknownEngineError(InvalidArgumentError):
    """The engine name is neither ``native`` nor ``durable``."""


class EngineUnavailableError(BetanketidError, RuntimeError):
    """The engine exists but cannot run in this interpreter (e.g. durable_rules on 3.13+)."""


class EngineError(BetanketidError, RuntimeError):
    """An engine failed while evaluating a case."""


class HitPolicyError(EngineError):
    """A UNIQUE table matched zero or several rows, or a FIRST/PRIORITY table none."""

    def __init__(
        self, table: str, policy: str, rows: Sequence[str], inputs: Mapping[str, object]
    ) -> None:
        self.table = table
        self.policy = policy
        self.rows = tuple(rows)
        self.inputs = dict(inputs)
        matched = ", ".join(self.rows) if self.rows else "no row"
        super().__init__(f"{table}: {policy} hit policy violated, matched {matched} for {inputs}")


ProblemCode = Literal[
    "unreadable",
    "yaml_syntax",
    "schema",
    "misplaced",
    "column",
    "hit_policy",
    "cell_value",
    "output_value",
    "duplicate_id",
    "unknown_source",
    "unknown_question",
    "unknown_family",
    "reads_itself",
    "cycle",
    "version_gap",
    "version_overlap",
    "outcome_family",
    "no_tables",
    "not_a_file",
    "too_large",
    "encoding",
    "yaml_tag",
    "unknown_field",
    "missing_question",
    "missing_label",
]
"""What kind of problem a :class:`TableProblem` is: a closed list, as pydantic's error types.

Tools classify problems by code, never by the wording of the reason.
"""

PROBLEM_CODES: tuple[ProblemCode, ...] = typing.get_args(ProblemCode)


class TableProblem:
    """One problem found in a table file: its code, where it is and why it is wrong.

    >>> problem = TableProblem("tables/x/2022-08-01.yaml", 3, "in_force_to is before ...",
    ...                        "misplaced")
    >>> problem.code, str(problem)
    ('misplaced', 'tables/x/2022-08-01.yaml:3: in_force_to is before ...')
    """

    __slots__ = ("code", "file", "line", "reason")

    def __init__(self, file: Path | str, line: int | None, reason: str, code: ProblemCode) -> None:
        if code not in PROBLEM_CODES:
            raise ValueError(f"unknown problem code {code!r}")
        self.file = str(file)
        self.line = line
        self.reason = reason
        self.code: ProblemCode = code

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.reason}"

    def __repr__(self) -> str:
        return f"TableProblem({self!s})"


class SpaceError(BetanketidError, ValueError):
    """The tables compared read inputs the diff cannot enumerate together."""


class DiffError(BetanketidError, RuntimeError):
    """The diff's own evaluation disagreed with the engine's (a bug, never a finding)."""


class TableError(BetanketidError, ValueError):
    """One or more table files (or the table set as a whole) are invalid.

    ``problems`` lists every problem found, each with file, line and reason.
    """

    def __init__(self, problems: Sequence[TableProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class TableFileError(TableError):
    """One file of a table directory could not be read: ``problem`` says where and why."""

    def __init__(self, problem: TableProblem) -> None:
        self.problem = problem
        super().__init__([problem])
