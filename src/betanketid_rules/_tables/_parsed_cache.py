"""Parsed table files kept on disk, so that a new process need not parse the same YAML again.

Parsing YAML with line numbers (ruamel's round-trip parser, pure Python) is most of a cold
start. What it gives for a file (the plain data and the line of every key and item) depends
only on the file's bytes and on the parser, so it is kept under the SHA-256 of those bytes in
a directory named after the package and parser versions. A file whose bytes are not in the
cache is parsed and checked exactly as before; nothing but a clean parse is stored, so every
refusal (size, encoding, tags, aliases, syntax) still comes from the guarded parser.

The cache holds JSON data only (never code, never pickles), read back with ``json.loads``
and the same models validate it as validate the YAML. Where it lives:

* ``$BETANKETID_RULES_CACHE``: a directory to use, or ``off`` to use none;
* otherwise ``$XDG_CACHE_HOME/betanketid-rules`` or ``~/.cache/betanketid-rules``.

Reading or writing it never fails a load: an unreadable, corrupt or unwritable cache is
treated as empty. Anyone who can write this directory can change what a table says to this
library, as anyone who can write its installation can; ``off`` is the setting for a shared
or untrusted home directory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import importlib.util
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .._version import VERSION

CACHE_ENV = "BETANKETID_RULES_CACHE"

Location = tuple[str | int, ...]
Parsed = tuple[Any, dict[Location, int]]

#: The largest cache entry read back (a table file is at most 1 MiB; its parse a few times that).
_MAX_ENTRY_BYTES = 16 << 20


@functools.cache
def _parser_version() -> str:
    """The versions whose parse is cached: this package's and ruamel.yaml's, the latter as a
    digest of the ruamel.yaml module that states its version (read, not imported: importing
    the parser is what a cached load saves)."""
    spec = importlib.util.find_spec("ruamel.yaml")
    origin = spec.origin if spec is not None else None
    if origin is None:
        return f"{VERSION}-ruamel-unknown"
    return f"{VERSION}-ruamel-{hashlib.sha256(Path(origin).read_bytes()).hexdigest()[:16]}"


def cache_directory() -> Path | None:
    """The directory of cached parses for this package and parser, or None when switched off.

    >>> import os
    >>> os.environ[CACHE_ENV] = "off"
    >>> cache_directory() is None
    True
    >>> del os.environ[CACHE_ENV]
    """
    chosen = os.environ.get(CACHE_ENV, "")
    if chosen.lower() == "off":
        return None
    if chosen:
        base = Path(chosen)
    else:
        home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        base = Path(home) / "betanketid-rules"
    return base / f"parsed-{_parser_version()}"


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        return {"m": [[key, _encode(item)] for key, item in value.items()]}
    if isinstance(value, list):
        return {"l": [_encode(item) for item in value]}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "m" in value:
        return {key: _decode(item) for key, item in value["m"]}
    if "l" in value:
        return [_decode(item) for item in value["l"]]
    return dt.date.fromisoformat(value["d"])


def load(sha256: str) -> Parsed | None:
    """The cached parse of the file whose bytes hash to ``sha256``, or None."""
    directory = cache_directory()
    if directory is None:
        return None
    try:
        with open(directory / f"{sha256}.json", "rb") as handle:
            text = handle.read(_MAX_ENTRY_BYTES + 1)
        if len(text) > _MAX_ENTRY_BYTES:
            return None
        entry = json.loads(text)
        lines = {tuple(location): int(line) for location, line in entry["lines"]}
        return _decode(entry["data"]), lines
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None


def store(sha256: str, parsed: Parsed) -> None:
    """Keep ``parsed`` for the file whose bytes hash to ``sha256`` (best effort, atomic)."""
    directory = cache_directory()
    if directory is None:
        return
    data, lines = parsed
    entry = {"data": _encode(data), "lines": [[list(loc), line] for loc, line in lines.items()]}
    with contextlib.suppress(OSError, ValueError, TypeError):
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(entry, out, ensure_ascii=False, separators=(",", ":"))
            os.replace(temporary, directory / f"{sha256}.json")
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
