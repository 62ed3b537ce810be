"""Read YAML while keeping the line of every key and item, for errors that name the line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from .._errors import ProblemCode, TableProblem

Location = tuple[str | int, ...]


class LocatedDocument:
    """A YAML document as plain Python data, plus the 1-based line of every path in it."""

    def __init__(self, path: Path, data: Any, lines: dict[Location, int]) -> None:
        self.path = path
        self.data = data
        self._lines = lines

    def line_of(self, location: Sequence[str | int]) -> int | None:
        """The line of the deepest part of ``location`` that exists in the document."""
        loc = tuple(location)
        while loc:
            if loc in self._lines:
                return self._lines[loc]
            loc = loc[:-1]
        return self._lines.get((), None)

    def problem(
        self, location: Sequence[str | int], reason: str, code: ProblemCode
    ) -> TableProblem:
        """A problem of kind ``code`` pointing at ``location`` in this document."""
        return TableProblem(self.path, self.line_of(location), reason, code)


def _plain(node: Any, here: Location, lines: dict[Location, int]) -> Any:
    if isinstance(node, CommentedMap):
        lines.setdefault(here, node.lc.line + 1)
        result: dict[Any, Any] = {}
        for key, value in node.items():
            line, _ = node.lc.key(key)
            lines[(*here, str(key))] = line + 1
            result[str(key) if not isinstance(key, bool | int) else key] = _plain(
                value, (*here, str(key)), lines
            )
        return result
    if isinstance(node, CommentedSeq):
        lines.setdefault(here, node.lc.line + 1)
        items = []
        for index, value in enumerate(node):
            line, _ = node.lc.item(index)
            lines[(*here, index)] = line + 1
            items.append(_plain(value, (*here, index), lines))
        return items
    if isinstance(node, str):
        return str(node)
    return node


#: Parsed documents by their bytes: a table directory loaded again (a test's edited copy, a
#: mutant) parses only the files whose bytes changed. Bounded; the parsed data is never mutated.
_PARSED: dict[bytes, tuple[Any, dict[Location, int]]] = {}
_PARSED_MAX = 512


def read_yaml(path: Path) -> LocatedDocument:
    """Parse ``path``; raise :class:`YamlSyntaxError` (carrying the problem) on a syntax error."""
    data = path.read_bytes()
    parsed = _PARSED.get(data)
    if parsed is None:
        yaml = YAML(typ="rt")
        try:
            raw = yaml.load(data.decode("utf-8"))
        except MarkedYAMLError as error:
            mark = error.problem_mark
            line = mark.line + 1 if mark is not None else None
            problem = TableProblem(path, line, f"YAML syntax: {error.problem}", "yaml_syntax")
            raise YamlSyntaxError(problem) from None
        lines: dict[Location, int] = {}
        parsed = (_plain(raw, (), lines), lines)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[data] = parsed
    return LocatedDocument(path, parsed[0], parsed[1])


class YamlSyntaxError(ValueError):
    """A file is not valid YAML; ``problem`` says where."""

    def __init__(self, problem: TableProblem) -> None:
        self.problem = problem
        super().__init__(str(problem))
