"""The table set a Sphinx project documents, and the files its pages depend on."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import cast

from sphinx.config import Config

from .._tables import TableSet, default_table_set, load_table_set


@functools.cache
def _load(directory: str | None) -> TableSet:
    return default_table_set() if directory is None else load_table_set(Path(directory))


def table_set_of(config: Config) -> TableSet:
    """The table set a Sphinx project documents (``betanketid_tables_dir`` or the package's)."""
    directory = cast(str | None, config.betanketid_tables_dir)
    return _load(directory)


def dependencies(table_set: TableSet) -> list[Path]:
    """The files generated pages depend on: the table set and the package's own code."""
    directory = table_set.directory
    package = Path(__file__).resolve().parents[1]
    return [
        *sorted(directory.glob("*/*.yaml")),
        *sorted(directory.glob("*.yaml")),
        *sorted(package.rglob("*.py")),
    ]
