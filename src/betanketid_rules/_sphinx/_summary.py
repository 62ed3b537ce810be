"""Table set figures (``betanketid-summary``) and the status markers (``betanketid-legend``)."""

from __future__ import annotations

from docutils import nodes
from docutils.nodes import Node
from sphinx.util.docutils import SphinxDirective

from .. import __version__
from .. import _docs as docs
from ._nodes import _bilingual, _bullets, _counts, _field_list, _para, _xref, status_marker
from ._renderer import _TablesDirective


class SummaryDirective(_TablesDirective):
    """``.. betanketid-summary::``: what the table set holds, and its content hash."""

    def run(self) -> list[Node]:
        table_set = self.renderer().table_set
        all_rows = list(docs.rows(table_set))
        fields: list[tuple[str, Node | list[Node] | str]] = [
            ("Paket / Package", f"betanketid-rules {__version__}"),
            (
                "Familjer / Families",
                [_para(_xref("family", family)) for family in table_set.order],
            ),
            ("Tabellversioner / Table versions", str(sum(1 for _ in table_set))),
            ("Rader / Rows", _counts(row.status for _, row in all_rows)),
            (
                "Hänvisningar / Citations",
                _counts(cited.status for _, row in all_rows for cited in row.citations),
            ),
            ("Källor / Sources", str(len(table_set.sources))),
            ("Öppna frågor / Open questions", str(len(table_set.questions))),
            (
                "Innehållshash / Content hash",
                _para(nodes.literal(table_set.content_hash, table_set.content_hash)),
            ),
        ]
        return [_field_list(fields)]


class LegendDirective(SphinxDirective):
    """``.. betanketid-legend::``: the status markers and what each means."""

    def run(self) -> list[Node]:
        from .._tables import default_table_set  # noqa: PLC0415 (the vocabulary owns the words)

        vocabulary = default_table_set().vocabulary
        assert vocabulary is not None
        items: list[list[Node]] = []
        for status in docs.STATUSES:
            label, meaning = vocabulary.statuses[status].label, vocabulary.statuses[status].meaning
            items.append(
                [
                    _para(status_marker(status), f"  {label.sv} / {label.en}"),
                    *_bilingual(meaning.sv, meaning.en),
                ]
            )
        rule = _para(classes=["bk-status-rule"])
        rule += _bilingual(docs.STATUS_RULE["sv"], docs.STATUS_RULE["en"])
        return [_bullets(items, "bk-legend"), rule]
