"""The sources page: ``betanketid-sources``, every registry entry, its URL and what cites it."""

from __future__ import annotations

from docutils import nodes
from docutils.nodes import Node

from .. import _docs as docs
from .._tables import TableSet
from .._tables._format import Source
from ._domain import anchor_id
from ._nodes import (
    _bilingual,
    _bullets,
    _field_list,
    _grid,
    _link,
    _para,
    _section,
    _url_link,
    _xref,
)
from ._renderer import _TablesDirective

_ROLE_LABEL: dict[str, str] = {
    "encoded wording": "lydelse som tabellen kodar / wording a table encodes",
    "act": "lag som citeras / act cited",
    "wording": "lydelse som citeras / wording cited",
    "source": "källa där innehållet lästes / source the content was read in",
    "preparatory work": "förarbete / preparatory work",
}


def _source_record(source: Source) -> list[tuple[str, Node | list[Node] | str]]:
    """Where else a source is published, how its text was read, and its register entry."""
    fields: list[tuple[str, Node | list[Node] | str]] = []
    for place in source.also_at:
        fields.append(("Även på / Also at", _para(f"{place.name}: ", _link(place.url, place.url))))
    if source.consolidated_through is not None:
        fields.append(
            ("Ändringar införda t.o.m. / Amended up to", f"SFS {source.consolidated_through}")
        )
    if source.text_read is not None:
        read = source.text_read
        parts = [read.via]
        if read.commit:
            parts.append(f"commit {read.commit}")
        parts.append(f"läst / read {read.on}" if read.on else "läsdag okänd / day read unknown")
        fields.append(("Texten läst / Text read", "; ".join(parts)))
    entry = source.register_entry
    if entry is not None:
        works = ", ".join(part for part in (entry.prop, entry.bet, entry.rskr) if part)
        text = "; ".join(part for part in (works, entry.amends) if part)
        fields.append(
            ("Registret / Register (SFSR)", _para(f"{text} (", _xref("source", entry.read_in), ")"))
        )
    return fields


class SourcesDirective(_TablesDirective):
    """``.. betanketid-sources::``: every registry entry, its URL and what cites it."""

    def run(self) -> list[Node]:
        renderer = self.renderer()
        table_set = renderer.table_set
        uses = docs.source_uses(table_set)
        result: list[Node] = [self.overview(table_set, uses)]
        for source in table_set.sources.values():
            section = _section(anchor_id("source", source.id), f"{source.id}: {source.title}")
            section["classes"].append("bk-source-entry")
            if renderer.register:
                renderer.domain.note("source", source.id, source.id, section)
            fields: list[tuple[str, Node | list[Node] | str]] = [
                ("Id", _para(nodes.literal(source.id, source.id))),
                ("Slag / Kind", source.kind.replace("_", " ")),
                ("URL", _para(_link(source.url, source.url)) if source.url else "—"),
            ]
            if source.short is not None:
                fields.append(("Kortnamn / Short", _bilingual(source.short.sv, source.short.en)))
            for label, value in (
                ("SFS", source.sfs),
                ("Datum / Date", source.date),
                ("I kraft från / In force from", source.in_force_from),
                ("I kraft till / In force to", source.in_force_to),
                ("Underlag / Evidence (brief)", source.brief_label),
            ):
                if value is not None:
                    fields.append((label, str(value)))
            if source.note is not None:
                fields.append(("Anmärkning / Note", _bilingual(source.note.sv, source.note.en)))
            fields.extend(_source_record(source))
            if source.open_question is not None:
                fields.append(
                    ("Öppen fråga / Open question", _para(_xref("question", source.open_question)))
                )
            fields.append(("Citeras av / Cited by", self.cited_by(uses[source.id])))
            section += _field_list(fields)
            result.append(section)
        return result

    def overview(self, table_set: TableSet, uses: dict[str, list[docs.SourceUse]]) -> nodes.table:
        grid, body = _grid(
            ["bk-sources"], ("Id", "Titel / Title", "Rader / Rows", "URL"), (15, 45, 15, 25)
        )
        for source in table_set.sources.values():
            cited_rows = {use.key for use in uses[source.id] if use.row is not None}
            row = nodes.row()
            for cell in (
                _para(_xref("source", source.id)),
                _para(source.title),
                _para(str(len(cited_rows))),
                _para(_url_link(source.url)),
            ):
                entry = nodes.entry()
                entry += cell
                row += entry
            body += row
        return grid

    def cited_by(self, uses: list[docs.SourceUse]) -> list[Node]:
        if not uses:
            return [
                _para(
                    "Ingen tabell citerar posten; den finns med som bakgrund. / "
                    "No table cites this entry; it is kept as background.",
                    classes=["bk-uncited"],
                )
            ]
        items: list[list[Node]] = []
        for role, role_label in _ROLE_LABEL.items():
            by_table: dict[str, list[docs.SourceUse]] = {}
            for use in uses:
                if use.role == role:
                    by_table.setdefault(use.table.key, []).append(use)
            for table_key, table_uses in by_table.items():
                paragraph = _para(f"{role_label}: ", _xref("table", table_key))
                seen: list[str] = []
                for use in table_uses:
                    if use.row is None or use.key in seen:
                        continue
                    seen.append(use.key)
                    paragraph += nodes.Text(", " if len(seen) > 1 else ": ")
                    paragraph += _xref("row", use.key, use.row.id)
                    if use.pages:
                        paragraph += nodes.Text(f" (s. / p. {use.pages})")
                items.append([paragraph])
        return [_bullets(items, "bk-cited-by")]
