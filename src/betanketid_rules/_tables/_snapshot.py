"""A checked table set kept on disk, so that a new process need not check it again.

Loading a table directory checks every file against the registries, the column domains and
the other tables; that is most of a cold start once the parses are cached
(:mod:`._parsed_cache`). When a directory has loaded without a single problem, the table set
it gave depends only on the bytes of its files and on the code and libraries that read them.
It is then kept as one JSON document (the validated files and each table's domains) under the
SHA-256 of those three, and a process that finds the same key reads the document back with the
same models instead of loading the directory again.

* Any change of a table or registry file, of this package's code, of pydantic or of the
  parser gives another key: the directory is loaded and checked as before, then kept anew.
* A directory with a problem is never kept; its problems always come from the full load. A
  set is kept only if the files on disk are still the bytes it was parsed from, so a file
  saved during a load is never kept under its new bytes.
* The lookup reads each file without following a symlink and without waiting on a FIFO: a
  file that is not a regular file of at most 1 MiB, or a folder reached through a symlink
  (even one staying inside the directory), makes it give up, and such a set is checked in full
  at every start and never kept; the full load's guarded reader says whether it is refused.
* The document is JSON, validated by the table-file models; one that is unreadable, corrupt,
  not a regular file, under another key or not fitting the files is ignored and replaced.
  Anything going wrong in a lookup or in keeping a set is a miss, never a failed load.

It lives beside the parsed files (:func:`._parsed_cache.cache_directory`, switched off with
``BETANKETID_RULES_CACHE=off``); the :data:`KEPT_DOCUMENTS` newest documents are kept there.
Whoever can write that directory can change what a table says to this library, as for the
parsed files.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import stat
import tempfile
from pathlib import Path

import pydantic
import pydantic_core
from pydantic import BaseModel, ConfigDict

from .._types import CellScalar
from . import _parsed_cache
from ._format import CaseQuestion, OpenQuestion, Source, TableFile, Vocabulary
from ._load import table_set_files
from ._tableset import Table, TableSet, hash_contents
from ._yaml import MAX_FILE_BYTES, RefusedError, read_plain_file

#: The largest document read back (the shipped set's is about 400 KB).
_MAX_SNAPSHOT_BYTES = 64 * MAX_FILE_BYTES
_PREFIX = "tableset-"
#: How many documents are kept in the folder, the newest first (several environments of one
#: package version, say with another pydantic, share a folder without evicting each other).
KEPT_DOCUMENTS = 4


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class _KeptTable(_Frozen):
    path: str
    spec: TableFile
    domains: tuple[tuple[CellScalar, ...], ...]


class _KeptSet(_Frozen):
    key: str
    families: dict[str, tuple[_KeptTable, ...]]
    order: tuple[str, ...]
    sources: tuple[Source, ...]
    questions: tuple[OpenQuestion, ...]
    catalogue: tuple[CaseQuestion, ...]
    vocabulary: Vocabulary
    outcome_family: str
    matters: dict[str, str]
    outcome_families: dict[str, str]


@functools.cache
def _code_digest() -> str:
    """A SHA-256 over this package's source files and the versions of pydantic that validate
    what they read: whatever decides what a clean load gives, besides the tables."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    names = []
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        names += [os.path.join(folder, name) for name in files if name.endswith(".py")]
    digest = hashlib.sha256(f"{pydantic.VERSION} {pydantic_core.__version__}".encode())
    for name in sorted(names):
        digest.update(os.path.relpath(name, package).encode())
        digest.update(b"\0")
        with open(name, "rb") as source:
            digest.update(source.read())
        digest.update(b"\0")
    return digest.hexdigest()


def _read_plain(path: Path | str, limit: int) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not a symlink) of at most ``limit``
    bytes, else None; ``OSError`` when it cannot be opened."""
    try:
        return read_plain_file(path, limit, follow=False)
    except RefusedError:
        return None


def _contents(directory: Path) -> dict[str, bytes] | None:
    """Every file of the set by its name relative to ``directory``; None when one is missing,
    is not a regular file of at most MAX_FILE_BYTES, or lies in a folder reached through a
    symlink (the full load then decides, and its guarded reader names what is wrong)."""
    contents: dict[str, bytes] = {}
    folders: dict[Path, bool] = {}
    root = directory.absolute()
    prefix = len(os.path.join(root, ""))
    for path in table_set_files(root):
        folder = path.parent
        if folder != root:
            plain = folders.get(folder)
            if plain is None:
                plain = folders[folder] = stat.S_ISDIR(os.lstat(folder).st_mode)
            if not plain:
                return None
        data = _read_plain(path, MAX_FILE_BYTES)
        if data is None:
            return None
        contents[str(path)[prefix:]] = data
    return contents


def _key(content_hash: str) -> str:
    return hashlib.sha256(f"{_code_digest()} {content_hash}".encode()).hexdigest()


def _document(directory: Path, key: str) -> Path:
    return directory / f"{_PREFIX}{key}.json"


def load(directory: Path) -> TableSet | None:
    """The table set kept for ``directory`` as its files are now, or None.

    >>> import os
    >>> from betanketid_rules._tables import default_tables_dir
    >>> os.environ[_parsed_cache.CACHE_ENV] = "off"
    >>> load(default_tables_dir()) is None
    True
    >>> del os.environ[_parsed_cache.CACHE_ENV]
    """
    cache = _parsed_cache.cache_directory()
    if cache is None:
        return None
    try:
        contents = _contents(directory)
        if contents is None:
            return None
        content_hash = hash_contents(contents)
        key = _key(content_hash)
        data = _read_plain(_document(cache, key), _MAX_SNAPSHOT_BYTES)
        if data is None:
            return None
        kept = _KeptSet.model_validate_json(data)
        if kept.key != key:
            return None
        return _table_set(directory, kept, contents, content_hash)
    except (OSError, ValueError, LookupError, TypeError):
        # Unreadable, corrupt, or not fitting the files (a table whose domains do not match
        # its columns): the full load decides.
        return None


def _table_set(
    directory: Path, kept: _KeptSet, contents: dict[str, bytes], content_hash: str
) -> TableSet | None:
    families: dict[str, tuple[Table, ...]] = {}
    for family, tables in kept.families.items():
        built = []
        for table in tables:
            data = contents.get(table.path)
            if data is None:
                return None
            sha256 = hashlib.sha256(data).hexdigest()
            built.append(Table(table.spec, directory / table.path, sha256, table.domains))
        families[family] = tuple(built)
    return TableSet(
        directory=directory,
        families=families,
        order=kept.order,
        sources={source.id: source for source in kept.sources},
        questions={question.id: question for question in kept.questions},
        content_hash=content_hash,
        outcome_family=kept.outcome_family,
        catalogue={question.field: question for question in kept.catalogue},
        vocabulary=kept.vocabulary,
        matters=kept.matters,
        outcome_families=kept.outcome_families,
    )


def keep(table_set: TableSet) -> None:
    """Keep ``table_set`` (loaded without a problem) for the next process, if its files are
    still the bytes it was loaded from; best effort and atomic, never raising."""
    cache = _parsed_cache.cache_directory()
    if cache is None or table_set.vocabulary is None or not table_set.content_hash:
        return
    with contextlib.suppress(OSError, ValueError, LookupError, TypeError):
        contents = _contents(table_set.directory)
        if contents is None or hash_contents(contents) != table_set.content_hash:
            return
        key = _key(table_set.content_hash)
        _write(cache, key, _kept(table_set, key))


def _kept(table_set: TableSet, key: str) -> _KeptSet:
    return _KeptSet(
        key=key,
        families={
            family: tuple(
                _KeptTable(
                    path=table.path.relative_to(table_set.directory).as_posix(),
                    spec=table.spec,
                    domains=table.domains,
                )
                for table in tables
            )
            for family, tables in table_set.families.items()
        },
        order=table_set.order,
        sources=tuple(table_set.sources.values()),
        questions=tuple(table_set.questions.values()),
        catalogue=tuple(table_set.catalogue.values()),
        vocabulary=table_set.vocabulary,
        outcome_family=table_set.outcome_family,
        matters=table_set.matters,
        outcome_families=table_set.outcome_families,
    )


def _write(cache: Path, key: str, kept: _KeptSet) -> None:
    """Write ``kept`` atomically, then remove all but the newest documents."""
    cache.mkdir(parents=True, exist_ok=True)
    target = _document(cache, key)
    handle, temporary = tempfile.mkstemp(dir=cache, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(kept.model_dump_json(by_alias=True).encode())
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    documents = []
    for document in cache.glob(f"{_PREFIX}*.json"):
        with contextlib.suppress(OSError):
            documents.append((document.stat().st_mtime_ns, document != target, document))
    documents.sort(key=lambda found: (found[1], -found[0]))
    for _, _, older in documents[KEPT_DOCUMENTS:]:
        with contextlib.suppress(OSError):
            older.unlink()
