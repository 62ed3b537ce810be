"""What a table means, owned in one place: the file format (``_format``), typed column sources
(``_columns``), loading with problem codes and line numbers (``_load``), compiled tables and
the table set with its periods (``_tableset``), matching, hit policies and domain enumeration
(``_evaluate``), reachable domains (``_reach``), the family order (``_order``), the status
rule (``_status``) and the open-question rule (``_questions``)."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

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


@functools.cache
def default_table_set() -> TableSet:
    """The package's own table set, loaded once per process."""
    return load_table_set(default_tables_dir())
