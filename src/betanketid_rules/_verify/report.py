"""What ``diff`` reports: decision changes and citation-only changes, each over regions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from .._tables._format import Vocabulary
from .regions import Column, Region


@dataclass(frozen=True, order=True)
class Provision:
    """A cited provision, compared by act, chapter, section, paragraph, point and sentence.

    >>> str(Provision("2005:716", 5, "15", 2, 1, "Utlänningslag (2005:716)"))
    'Utlänningslag (2005:716) 5 kap. 15 § 2 st. 1 p.'
    >>> str(Provision("2005:716", 5, "15", 4, None, "Utlänningslag (2005:716)", sentence=2))
    'Utlänningslag (2005:716) 5 kap. 15 § 4 st. 2 men.'
    """

    act: str
    chapter: int | None
    section: str | None
    paragraph: int | None
    point: int | None
    #: The act's title, for display only.
    title: str | None = field(default=None, compare=False)
    sentence: int | None = None

    def sort_key(self) -> tuple[str, int, str, int, int, int]:
        """A total order (``None`` first)."""
        return (
            self.act,
            self.chapter or 0,
            self.section or "",
            self.paragraph or 0,
            self.sentence or 0,
            self.point or 0,
        )

    def __str__(self) -> str:
        parts = [self.title or self.act]
        if self.chapter is not None:
            parts.append(f"{self.chapter} kap.")
        if self.section is not None:
            parts.append(f"{self.section} §")
        if self.paragraph is not None:
            parts.append(f"{self.paragraph} st.")
        if self.sentence is not None:
            parts.append(f"{self.sentence} men.")
        if self.point is not None:
            parts.append(f"{self.point} p.")
        return " ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """The provision as plain data, with its text."""
        return {
            "act": self.act,
            "chapter": self.chapter,
            "section": self.section,
            "paragraph": self.paragraph,
            "point": self.point,
            "sentence": self.sentence,
            "text": str(self),
        }


@dataclass(frozen=True, order=True)
class CitationDetail:
    """What else a citation says: wording in force, status, source, role (and pages).

    >>> str(CitationDetail("SFS 2007:322", "confirmed", "SRC-02", None))
    'SFS 2007:322 · confirmed · SRC-02'
    >>> str(CitationDetail("SFS 2022:1015", "secondary", "SRC-20", None, "context"))
    'SFS 2022:1015 · secondary · SRC-20 · context'
    """

    wording: str
    status: str
    source: str
    pages: str | None = None
    role: str = "basis"

    def __str__(self) -> str:
        parts = [self.wording, self.status, self.source]
        if self.role != "basis":
            parts.append(self.role)
        if self.pages is not None:
            parts.append(f"s. {self.pages}")
        return " · ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """The detail as plain data."""
        return {
            "wording": self.wording,
            "status": self.status,
            "source": self.source,
            "role": self.role,
            "pages": self.pages,
        }


@dataclass(frozen=True)
class Verdict:
    """One side's result at a point: the outcome and permit (or a table's outputs)."""

    label: str
    result: tuple[tuple[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        """The verdict as plain data."""
        return {"label": self.label, "result": dict(self.result)}


def _regions_json(regions: Sequence[Region]) -> list[dict[str, Any]]:
    return [
        {"where": region.to_json(), "text": str(region), "points": region.points}
        for region in regions
    ]


T = TypeVar("T")


@dataclass(frozen=True)
class Scoped(Generic[T]):
    """Something that holds for part of a change: ``where`` narrows the change's regions
    (no region: it holds throughout the change)."""

    item: T
    where: tuple[Region, ...] = ()

    def where_text(self) -> str:
        """``where ...`` in words, or the empty string when it holds throughout."""
        if not self.where:
            return ""
        return " or ".join(region.describe(rest=False) for region in self.where)

    def to_json(self) -> dict[str, Any]:
        """The item and where it holds (``null``: throughout the change)."""
        item: Any = self.item.to_json() if isinstance(self.item, Provision) else self.item
        return {
            "item": item,
            "where": [region.to_json() for region in self.where] or None,
            "where_text": self.where_text() or None,
        }


@dataclass
class DecisionChange:
    """Points where the outcome, the permit or the cited provisions change, grouped by
    before → after; what else differs is scoped to where it holds within the change."""

    before: Verdict
    after: Verdict
    regions: list[Region] = field(default_factory=list)
    provisions_removed: list[Scoped[Provision]] = field(default_factory=list)
    provisions_added: list[Scoped[Provision]] = field(default_factory=list)
    rows_before: list[Scoped[str]] = field(default_factory=list)
    rows_after: list[Scoped[str]] = field(default_factory=list)
    questions_before: list[Scoped[str]] = field(default_factory=list)
    questions_after: list[Scoped[str]] = field(default_factory=list)

    @property
    def points(self) -> int:
        """How many points change this way."""
        return sum(region.points for region in self.regions)

    def to_json(self) -> dict[str, Any]:
        """The change as plain data."""
        return {
            "before": self.before.to_json(),
            "after": self.after.to_json(),
            "points": self.points,
            "regions": _regions_json(self.regions),
            "provisions_removed": [s.to_json() for s in self.provisions_removed],
            "provisions_added": [s.to_json() for s in self.provisions_added],
            "rows_before": [s.to_json() for s in self.rows_before],
            "rows_after": [s.to_json() for s in self.rows_after],
            "open_questions_before": [s.to_json() for s in self.questions_before],
            "open_questions_after": [s.to_json() for s in self.questions_after],
        }


@dataclass
class CitationChange:
    """Points where the decision stays but one row's citation of a provision changes in
    wording, status or source (or sentence, pages)."""

    #: ``None`` for preparatory works (cited without a provision).
    provision: Provision | None
    before: tuple[CitationDetail, ...]
    after: tuple[CitationDetail, ...]
    row_before: str | None
    row_after: str | None
    regions: list[Region] = field(default_factory=list)

    @property
    def points(self) -> int:
        """How many points."""
        return sum(region.points for region in self.regions)

    @property
    def subject(self) -> str:
        """The provision, or "preparatory works"."""
        return str(self.provision) if self.provision is not None else "preparatory works"

    @property
    def rows(self) -> str:
        """The row on each side, ``old → new`` (or one of them)."""
        if self.row_before == self.row_after or self.row_after is None:
            return str(self.row_before)
        if self.row_before is None:
            return self.row_after
        return f"{self.row_before} → {self.row_after}"

    def to_json(self) -> dict[str, Any]:
        """The change as plain data."""
        return {
            "provision": self.provision.to_json() if self.provision else None,
            "subject": self.subject,
            "before": [detail.to_json() for detail in self.before],
            "after": [detail.to_json() for detail in self.after],
            "row_before": self.row_before,
            "row_after": self.row_after,
            "points": self.points,
            "regions": _regions_json(self.regions),
        }


@dataclass
class RowChange:
    """Points whose decision, legal basis and citations stay but a row that fired there
    changed in its text or status (its note in either language, its status)."""

    row_before: str
    row_after: str
    #: What differs, e.g. ``status: confirmed → inferred`` or ``note (sv)``.
    what: tuple[str, ...]
    regions: list[Region] = field(default_factory=list)

    @property
    def points(self) -> int:
        """How many points."""
        return sum(region.points for region in self.regions)

    @property
    def rows(self) -> str:
        """The row on each side, ``old → new`` (or one of them when the same)."""
        if self.row_before == self.row_after:
            return self.row_before
        return f"{self.row_before} → {self.row_after}"

    def to_json(self) -> dict[str, Any]:
        """The change as plain data."""
        return {
            "row_before": self.row_before,
            "row_after": self.row_after,
            "what": list(self.what),
            "points": self.points,
            "regions": _regions_json(self.regions),
        }


@dataclass
class Comparison:
    """Old against new over one input space: one table pair, one date pair or one period."""

    title: str
    old_tables: tuple[str, ...]
    new_tables: tuple[str, ...]
    unchanged_tables: tuple[str, ...]
    columns: tuple[Column, ...]
    points: int
    #: Outcome or permit changes, the weightiest first (see ``diff``'s module description).
    decision_changes: list[DecisionChange] = field(default_factory=list)
    citation_changes: list[CitationChange] = field(default_factory=list)
    #: Distinct points whose decision and legal basis stay but some citation or row text
    #: or status changes.
    cited_points: int = 0
    #: The outcome and permit stay; the provisions cited or the open questions change.
    basis_changes: list[DecisionChange] = field(default_factory=list)
    #: Decision and basis stay; a fired row's note or status changes.
    row_changes: list[RowChange] = field(default_factory=list)

    @property
    def changed_points(self) -> int:
        """Points whose decision changes."""
        return sum(change.points for change in self.decision_changes)

    @property
    def basis_points(self) -> int:
        """Points whose legal basis changes (the decision staying)."""
        return sum(change.points for change in self.basis_changes)

    @property
    def text_changes(self) -> int:
        """How many changes of text or status (citations and rows)."""
        return len(self.citation_changes) + len(self.row_changes)

    def to_json(self) -> dict[str, Any]:
        """The comparison as plain data."""
        return {
            "title": self.title,
            "old_tables": list(self.old_tables),
            "new_tables": list(self.new_tables),
            "unchanged_tables": list(self.unchanged_tables),
            "columns": [
                {"name": c.name, "values": list(c.domain), "note": c.note or None}
                for c in self.columns
            ],
            "points": self.points,
            "changed_points": self.changed_points,
            "cited_points": self.cited_points,
            "basis_points": self.basis_points,
            "decision_changes": [change.to_json() for change in self.decision_changes],
            "basis_changes": [change.to_json() for change in self.basis_changes],
            "citation_changes": [change.to_json() for change in self.citation_changes],
            "row_changes": [change.to_json() for change in self.row_changes],
        }


DiffKind = Literal["tables", "dates", "directories"]


@dataclass
class DiffReport:
    """The semantic diff of two tables, two dates or two table directories."""

    kind: DiffKind
    old: str
    new: str
    comparisons: list[Comparison] = field(default_factory=list)
    #: Directories only: table files added, removed or changed.
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: The labels the plain-language summary speaks with (the new side's vocabulary).
    vocabulary: Vocabulary | None = field(default=None, repr=False)

    @property
    def decision_changes(self) -> int:
        """How many decision changes, over all comparisons."""
        return sum(len(c.decision_changes) for c in self.comparisons)

    @property
    def changed(self) -> bool:
        """Whether anything changes: a decision, a legal basis, or a text or status."""
        return any(
            c.decision_changes or c.basis_changes or c.citation_changes or c.row_changes
            for c in self.comparisons
        )

    def to_json(self) -> dict[str, Any]:
        """The report as plain data."""
        from .summary import summary  # noqa: PLC0415 (the summary reads this module)

        labels = self.vocabulary
        return {
            "summary": {
                lang: [line for c in self.comparisons for line in summary(c, lang, labels)]
                for lang in ("sv", "en")
            }
            if labels is not None
            else None,
            "kind": self.kind,
            "old": self.old,
            "new": self.new,
            "files": list(self.files),
            "comparisons": [comparison.to_json() for comparison in self.comparisons],
            "seconds": round(self.seconds, 3),
        }
