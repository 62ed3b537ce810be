"""What a table means, owned in one place: the file format (``_format``), typed column sources
(``_columns``), loading with problem codes and line numbers (``_load``), the set kept once
checked for the next process (``_snapshot``), compiled tables and
the table set with its periods (``_tableset``), matching, hit policies and domain enumeration
(``_evaluate``), reachable domains (``_reach``), the family order (``_order``), the status
rule (``_status``) and the open-question rule (``_questions``)."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from . import _snapshot
from ._load import LoadResult, load_table_set, read_table_set
from ._tableset import Column, Period, Table, TableSet

__all__ = [
    "Column",
    "LoadResult",
    "Period",
    "Table",
    "TableSet",
    "default_table_set",
    "default_tables_dir",
    "load_table_set",
    "load_table_set_kept",
    "read_table_set",
]


def default_tables_dir() -> Path:
    """The table directory shipped with the package (``tables/`` of a source checkout)."""
    shipped = Path(str(resources.files("betanketid_rules"))) / "tables"
    if shipped.is_dir():
        return shipped
    checkout = Path(__file__).resolve().parents[3] / "tables"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"no tables found at {shipped} or {checkout}")


def load_table_set_kept(directory: Path) -> TableSet:
    """:func:`load_table_set`, but read back from the set an earlier process kept when neither
    the files nor the code have changed since (:mod:`._snapshot`); a set loaded and checked
    here is kept for the next process.

    >>> load_table_set_kept(default_tables_dir()).content_hash == default_table_set().content_hash
    True
    """
    kept = _snapshot.load(directory)
    if kept is not None:
        return kept
    table_set = load_table_set(directory)
    _snapshot.keep(table_set)
    return table_set


@functools.cache
def default_table_set() -> TableSet:
    """The package's own table set, loaded once per process (see :func:`load_table_set_kept`)."""
    return load_table_set_kept(default_tables_dir())
