"""What ``check`` reports: findings (each a problem a reviewer must fix) and the run's summary."""

from __future__ import annotations

import json
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from .regions import Region

FindingKind = Literal[
    "load",
    "version",
    "citation",
    "status",
    "note",
    "open_question",
    "gap",
    "overlap",
    "dead_row",
    "subsumed_row",
    "engine",
]

#: Every kind of finding, in the order a report lists them.
FINDING_KINDS: tuple[FindingKind, ...] = typing.get_args(FindingKind)


@dataclass(frozen=True)
class Finding:
    """One problem: its kind, the table and rows concerned, where it holds, and why.

    >>> finding = Finding("gap", "no row matches", table="t@2006-03-31")
    >>> str(finding)
    '[gap] t@2006-03-31: no row matches'
    >>> finding.to_json()["kind"]
    'gap'
    """

    kind: FindingKind
    message: str
    table: str | None = None
    rows: tuple[str, ...] = ()
    regions: tuple[Region, ...] = ()
    file: str | None = None
    line: int | None = None

    @property
    def points(self) -> int:
        """How many input points the finding's regions hold."""
        return sum(region.points for region in self.regions)

    def where(self) -> str:
        """``file:line`` when known, else the table, else the file."""
        if self.file is not None and self.table is None:
            return f"{self.file}:{self.line}" if self.line is not None else self.file
        if self.table is not None:
            return self.table
        return "(table set)"

    def __str__(self) -> str:
        text = f"[{self.kind}] {self.where()}: {self.message}"
        if self.regions:
            text += "".join(
                f"\n    where {region} ({region.points} points)" for region in self.regions
            )
        if self.file is not None and self.table is not None:
            place = f"{self.file}:{self.line}" if self.line is not None else self.file
            text += f"\n    at {place}"
        return text

    def to_json(self) -> dict[str, Any]:
        """The finding as plain JSON data."""
        return {
            "kind": self.kind,
            "table": self.table,
            "rows": list(self.rows),
            "regions": [
                {"where": region.to_json(), "text": str(region), "points": region.points}
                for region in self.regions
            ],
            "points": self.points,
            "message": self.message,
            "file": self.file,
            "line": self.line,
        }


@dataclass
class CheckReport:
    """Everything ``check`` found in one table directory, and what it covered."""

    directory: str
    findings: list[Finding] = field(default_factory=list)
    #: Things worth knowing that are not problems (e.g. a skipped engine).
    notes: list[str] = field(default_factory=list)
    tables: int = 0
    versions: int = 0
    points: int = 0
    seconds: float = 0.0
    #: How the engines were compared on each table version: ``exhaustive`` (every point) or
    #: ``regions`` (every atom's first and last point and a sample); empty when not compared.
    proofs: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when there is no finding."""
        return not self.findings

    def summary(self) -> str:
        """The one summary line: tables, versions, points checked, findings, seconds.

        >>> CheckReport("tables", tables=4, versions=10, points=4791, seconds=2.5).summary()
        'check: 4 tables, 10 versions, 4791 points checked, 0 findings, 2.5 s'
        """
        return (
            f"check: {self.tables} tables, {self.versions} versions, {self.points} points "
            f"checked, {len(self.findings)} findings, {self.seconds:.1f} s"
        )

    def to_text(self) -> str:
        """Findings, then notes, then the summary line."""
        lines = [str(finding) for finding in self.findings]
        lines.extend(f"note: {note}" for note in self.notes)
        lines.append(self.summary())
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """The report as plain JSON data."""
        return {
            "directory": self.directory,
            "ok": self.ok,
            "findings": [finding.to_json() for finding in self.findings],
            "notes": list(self.notes),
            "proofs": dict(self.proofs),
            "summary": {
                "tables": self.tables,
                "versions": self.versions,
                "points": self.points,
                "findings": len(self.findings),
                "seconds": round(self.seconds, 3),
            },
        }

    def to_json_text(self) -> str:
        """:meth:`to_json` as indented JSON text."""
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False)
