"""A loaded, validated table set: tables by family and version, sources and open questions."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .._contract import TableRef
from ._format import CellScalar, OpenQuestion, Source, TableFile


@dataclass(frozen=True, eq=False)
class Table:
    """One table file, validated, with what the engines need to evaluate it."""

    spec: TableFile
    path: Path
    sha256: str
    #: For each input column, its finite domain (declared values for upstream outputs).
    domains: tuple[tuple[CellScalar, ...], ...]

    @property
    def family(self) -> str:
        return self.spec.family

    @property
    def version(self) -> str:
        return self.spec.in_force_from.isoformat()

    @property
    def key(self) -> str:
        """``family@version``, the name a reviewer uses for this table."""
        return f"{self.spec.family}@{self.version}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.spec.inputs)

    def in_force_on(self, day: dt.date) -> bool:
        """Whether this wording applies on ``day``."""
        end = self.spec.in_force_to
        return self.spec.in_force_from <= day and (end is None or day <= end)

    @functools.cached_property
    def ref(self) -> TableRef:
        return TableRef(
            id=self.family,
            version=self.version,
            in_force_from=self.spec.in_force_from,
            in_force_to=self.spec.in_force_to,
            sha256=self.sha256,
        )


@dataclass(frozen=True, eq=False)
class TableSet:
    """Every table the package (or a directory) holds, ready to evaluate."""

    directory: Path
    families: dict[str, tuple[Table, ...]]
    #: Families in evaluation order: every family after the families it reads from.
    order: tuple[str, ...]
    sources: dict[str, Source]
    questions: dict[str, OpenQuestion]
    content_hash: str
    outcome_family: str
    _starts: dict[str, list[dt.date]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for family, tables in self.families.items():
            self._starts[family] = [table.spec.in_force_from for table in tables]

    def select(self, family: str, day: dt.date) -> Table:
        """The table of ``family`` in force on ``day``.

        Raises ``LookupError`` if none is (the loader guarantees coverage from the first date).
        """
        tables = self.families[family]
        index = bisect.bisect_right(self._starts[family], day) - 1
        if index < 0 or not tables[index].in_force_on(day):
            raise LookupError(f"no table of {family} is in force on {day.isoformat()}")
        return tables[index]

    def chain_on(self, day: dt.date) -> tuple[Table, ...]:
        """The tables in force on ``day``, in evaluation order."""
        return tuple(self.select(family, day) for family in self.order)

    def table(self, key: str) -> Table:
        """The table named ``family@version``."""
        family, _, version = key.partition("@")
        for table in self.families.get(family, ()):
            if table.version == version:
                return table
        raise KeyError(key)

    def __iter__(self) -> Iterator[Table]:
        for family in self.order:
            yield from self.families[family]

    def change_dates(self) -> tuple[dt.date, ...]:
        """Every date on which some family's wording changes, ascending."""
        return tuple(sorted({table.spec.in_force_from for table in self}))


def hash_files(paths: list[Path], root: Path) -> str:
    """A sha256 over the relative names and bytes of ``paths``."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
