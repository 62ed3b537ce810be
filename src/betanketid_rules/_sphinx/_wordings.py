"""How firm each wording in force is (``betanketid-wordings``), from the source registry.

For every period of the table set: the wording each table encodes, whether that wording's
text was read (and where), or read only through another source, or not read at all (then the
open question that says so), and the rows of the period by status. Nothing here is written per
wording: it is the registry's ``text_read``, ``register_entry.read_in`` and ``open_question``.
"""

from __future__ import annotations

from docutils import nodes
from docutils.nodes import Node

from .._tables import TableSet
from .._tables._format import Source
from ._nodes import _bullets, _counts, _para, _xref
from ._renderer import _TablesDirective


def _firmness(table_set: TableSet, source: Source) -> list[Node]:
    """Whether ``source``'s text was read, in both languages, with where or what is open."""
    read = source.text_read
    if read is not None:
        day = f", {read.on.isoformat()}" if read.on else ""
        return [_para(f"Texten har lästs / The text was read: {read.via}{day}.")]
    if source.register_entry is not None:
        other = table_set.sources.get(source.register_entry.read_in)
        if other is not None and other.text_read is not None:
            return [
                _para(
                    "Texten har lästs i / The text was read in ",
                    _xref("source", other.id),
                    f" ({other.text_read.via}).",
                )
            ]
    shown: list[Node] = [_para("Texten har inte lästs / The text was not read.")]
    if source.open_question:
        shown.append(
            _para("Öppen fråga / Open question: ", _xref("question", source.open_question))
        )
    return shown


class WordingsDirective(_TablesDirective):
    """``.. betanketid-wordings::``: how firm the wording in force is, period by period."""

    def run(self) -> list[Node]:
        table_set = self.renderer().table_set
        items: list[list[Node]] = []
        for period in table_set.periods():
            until = period.last_day.isoformat() if period.last_day else "i dag / today"
            entry: list[Node] = [
                _para(nodes.strong("", f"{period.first_day.isoformat()} – {until}"))
            ]
            encoded = dict.fromkeys(table.spec.encodes for table in period.tables)
            for source_id in encoded:
                source = table_set.sources.get(source_id)
                if source is None:
                    continue
                entry.append(
                    _para("Lydelse / Wording: ", _xref("source", source_id), f" {source.title}")
                )
                entry += _firmness(table_set, source)
            rows = [row.status for table in period.tables for row in table.spec.rows]
            entry.append(_para("Rader / Rows: "))
            entry.append(_counts(rows))
            items.append(entry)
        return [_bullets(items, "bk-wordings")]
