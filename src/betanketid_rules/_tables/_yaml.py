"""Read a table or registry file safely, keeping the line of every key and item.

A table directory may come from a pull request, so reading it is guarded: only regular files
inside the directory are opened (a symlink leaving it, a device, a FIFO or a socket is
refused before it is opened), a file may hold at most :data:`MAX_FILE_BYTES` bytes and, once
aliases are expanded, at most :data:`MAX_NODES` nodes; bytes that are not UTF-8 and any YAML
tag are refused, so a file can never run code or construct an object. Every refusal is a
:class:`~betanketid_rules._errors.TableProblem` with the file, the line where known, and a
code. A clean parse is kept on disk by the bytes' hash (:mod:`._parsed_cache`), so a new
process reads it back instead of parsing again; every refusal still comes from the parser.
"""

from __future__ import annotations

import hashlib
import os
import stat
import warnings
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError, YAMLWarning

from .._errors import ProblemCode, TableFileError, TableProblem
from . import _parsed_cache

Location = tuple[str | int, ...]

#: The largest table or registry file read, in bytes (the shipped ones are under 20 KB).
MAX_FILE_BYTES = 1 << 20
#: The most mappings, sequences and scalars one file may hold, counting every expansion of an
#: alias (a "billion laughs" file of 1 KB would otherwise expand to gigabytes).
MAX_NODES = 200_000


class LocatedDocument:
    """A YAML document as plain Python data, plus the 1-based line of every path in it."""

    def __init__(self, path: Path, data: Any, lines: dict[Location, int], sha256: str) -> None:
        self.path = path
        self.data = data
        self._lines = lines
        #: The SHA-256 of the bytes that were read (the file is read once).
        self.sha256 = sha256

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


class _RefusedError(Exception):
    def __init__(self, line: int | None, reason: str, code: ProblemCode) -> None:
        self.line, self.reason, self.code = line, reason, code


class _Plain:
    """Turns ruamel's round-trip nodes into plain data, counting nodes and refusing tags."""

    def __init__(self) -> None:
        self.lines: dict[Location, int] = {}
        self.nodes = 0

    def _count(self, line: int | None) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            reason = f"more than {MAX_NODES} values once aliases are expanded"
            raise _RefusedError(line, reason, "too_large")

    def convert(self, node: Any, here: Location, line: int | None) -> Any:
        self._count(line)
        tag = getattr(getattr(node, "tag", None), "value", None)
        if isinstance(node, CommentedMap) and tag is None:
            return self._mapping(node, here)
        if isinstance(node, CommentedSeq) and tag is None:
            return self._sequence(node, here)
        if isinstance(node, str | bool | int | float | date) or node is None:
            return str(node) if isinstance(node, str) else node
        shown = tag or type(node).__name__
        raise _RefusedError(
            line, f"unsupported YAML value ({shown}): tags are not allowed", "yaml_tag"
        )

    def _mapping(self, node: CommentedMap, here: Location) -> dict[Any, Any]:
        self.lines.setdefault(here, node.lc.line + 1)
        result: dict[Any, Any] = {}
        for key, value in node.items():
            line = node.lc.key(key)[0] + 1
            self.lines[(*here, str(key))] = line
            plain_key = key if isinstance(key, bool | int) else str(key)
            result[plain_key] = self.convert(value, (*here, str(key)), line)
        return result

    def _sequence(self, node: CommentedSeq, here: Location) -> list[Any]:
        self.lines.setdefault(here, node.lc.line + 1)
        items = []
        for index, value in enumerate(node):
            line = node.lc.item(index)[0] + 1
            self.lines[(*here, index)] = line
            items.append(self.convert(value, (*here, index), line))
        return items


def _read_bytes(path: Path, root: Path) -> bytes:
    """The bytes of ``path``, a regular file inside ``root`` of at most MAX_FILE_BYTES."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise _RefusedError(
            None, f"leaves the table directory (it points to {resolved})", "not_a_file"
        )
    mode = os.stat(resolved).st_mode
    if not stat.S_ISREG(mode):
        raise _RefusedError(
            None, "not a regular file (a device, FIFO, socket or directory)", "not_a_file"
        )
    with open(resolved, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _RefusedError(None, f"larger than {MAX_FILE_BYTES} bytes", "too_large")
    return data


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        reason = f"not UTF-8: byte {error.start + 1} cannot be decoded"
        raise _RefusedError(line, reason, "encoding") from None


def _parse(data: bytes) -> tuple[Any, dict[Location, int]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", YAMLWarning)  # e.g. an anchor defined twice
            raw = YAML(typ="rt").load(_text(data))
    except MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise _RefusedError(line, f"YAML syntax: {error.problem}", "yaml_syntax") from None
    except YAMLError as error:
        raise _RefusedError(None, f"YAML syntax: {error}", "yaml_syntax") from None
    except RecursionError:
        raise _RefusedError(None, "YAML syntax: nested too deeply", "yaml_syntax") from None
    plain = _Plain()
    try:
        return plain.convert(raw, (), None), plain.lines
    except RecursionError:
        raise _RefusedError(None, "YAML syntax: nested too deeply", "yaml_syntax") from None


#: Parsed documents by their bytes: a table directory loaded again (a test's edited copy, a
#: mutant) parses only the files whose bytes changed. Bounded; the parsed data is never mutated.
_PARSED: dict[bytes, tuple[Any, dict[Location, int]]] = {}
_PARSED_MAX = 512


def read_yaml(path: Path, root: Path | None = None) -> LocatedDocument:
    """Read ``path`` (a file inside ``root``, by default its own directory) safely.

    Raises :class:`~betanketid_rules._errors.TableFileError` carrying the problem: the file is
    not a regular file inside ``root``, too large, not UTF-8, not valid YAML, tagged, or too
    large once its aliases are expanded.
    """
    try:
        data = _read_bytes(path, path.parent if root is None else root)
        sha256 = hashlib.sha256(data).hexdigest()
        parsed = _PARSED.get(data)
        if parsed is None:
            parsed = _parsed_cache.load(sha256)
            if parsed is None:
                parsed = _parse(data)
                _parsed_cache.store(sha256, parsed)
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.clear()
            _PARSED[data] = parsed
    except _RefusedError as refused:
        raise TableFileError(
            TableProblem(path, refused.line, refused.reason, refused.code)
        ) from None
    return LocatedDocument(path, parsed[0], parsed[1], sha256)
