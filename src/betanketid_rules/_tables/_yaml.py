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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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

    def __init__(self, path: Path, data: Any, lines: dict[Location, int], content: bytes) -> None:
        self.path = path
        self.data = data
        self._lines = lines
        #: The bytes that were read and parsed (the file is read once).
        self.content = content
        #: Their SHA-256.
        self.sha256 = hashlib.sha256(content).hexdigest()

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


class RefusedError(Exception):
    """A file refused while reading or parsing it: the line where known, why, and the code."""

    def __init__(self, line: int | None, reason: str, code: ProblemCode) -> None:
        self.line, self.reason, self.code = line, reason, code


#: Extra flags for opening a file: never wait for a FIFO's writer (where the system has it).
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
#: ... and, when asked, never open through a symlink.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def read_plain_file(path: Path | str, limit: int, *, follow: bool = True) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes.

    It is opened without waiting on a FIFO and checked on the open file, so a file swapped
    after a check cannot block the read; with ``follow=False`` a symlink is not opened
    (``OSError``). Raises :class:`RefusedError` for anything but a regular file, or a larger one.
    """
    handle = os.open(path, os.O_RDONLY | _NONBLOCK | (0 if follow else _NOFOLLOW))
    with os.fdopen(handle, "rb") as file:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise RefusedError(
                None, "not a regular file (a device, FIFO, socket or directory)", "not_a_file"
            )
        data = file.read(limit + 1)
    if len(data) > limit:
        raise RefusedError(None, f"larger than {limit} bytes", "too_large")
    return data


def read_regular_file(path: Path, root: Path) -> bytes:
    """The bytes of ``path``, a regular file inside ``root`` of at most MAX_FILE_BYTES."""
    resolved = os.path.realpath(path)
    inside = os.path.join(os.path.realpath(root), "")
    if not resolved.startswith(inside):
        raise RefusedError(
            None, f"leaves the table directory (it points to {resolved})", "not_a_file"
        )
    if not stat.S_ISREG(os.stat(resolved).st_mode):  # a socket is refused before an open
        raise RefusedError(
            None, "not a regular file (a device, FIFO, socket or directory)", "not_a_file"
        )
    return read_plain_file(resolved, MAX_FILE_BYTES)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        reason = f"not UTF-8: byte {error.start + 1} cannot be decoded"
        raise RefusedError(line, reason, "encoding") from None


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
        data = read_regular_file(path, path.parent if root is None else root)
        sha256 = hashlib.sha256(data).hexdigest()
        parsed = _PARSED.get(data)
        if parsed is None:
            parsed = _parsed_cache.load(sha256)
            if parsed is None:
                # The parser (ruamel, pure Python and slow to import) only when a file's
                # parse is not kept: a process reading a cached table set never loads it.
                from ._yaml_parse import parse  # noqa: PLC0415

                parsed = parse(_text(data))
                _parsed_cache.store(sha256, parsed)
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.clear()
            _PARSED[data] = parsed
    except RefusedError as refused:
        raise TableFileError(
            TableProblem(path, refused.line, refused.reason, refused.code)
        ) from None
    return LocatedDocument(path, parsed[0], parsed[1], data)
