"""A row's citations: each with its status, provision, wording, source and preparatory works."""

from __future__ import annotations

from docutils import nodes
from docutils.nodes import Node

from .. import _docs as docs
from .._tables import TableSet
from .._tables._format import Row, TableCitation
from .._types import Lang
from ._nodes import _bullets, _para, _text, _url_link, _xref, status_marker


def _citation(table_set: TableSet, cited: TableCitation) -> list[Node]:
    """One citation: status, provision (sv and en), wording, source and its URL."""
    sv = docs.provision(table_set, cited, "sv")
    en = docs.provision(table_set, cited, "en")
    strong = nodes.strong()
    strong += _xref("source", cited.act, sv)
    role = docs.ROLE_LABEL[cited.role]
    head = _para(
        status_marker(cited.status),
        " ",
        strong,
        " ",
        _text(f"({role['sv']} / {role['en']})", f"bk-role-{cited.role}"),
        classes=["bk-provision", f"bk-citation-{cited.role}"],
    )
    english = _para(en, classes=["bk-en", "language-en"])
    wording = _para(
        "lydelse / wording: ",
        _xref("source", cited.wording, docs.source_name(table_set, cited.wording, "sv")),
        classes=["bk-wording"],
    )
    source = table_set.sources[cited.source]
    origin = _para(
        "källa / source: ",
        _xref("source", cited.source),
        " ",
        _url_link(source.url),
        classes=["bk-source"],
    )
    result: list[Node] = [head, english, wording, origin]
    for work in cited.preparatory_works:
        entry = table_set.sources[work.source]
        pages = f", s. / p. {work.pages}" if work.pages else ""
        result.append(
            _para(
                status_marker(work.status),
                " förarbete / preparatory work: ",
                _xref("source", work.source),
                f"{pages} ",
                _url_link(entry.url),
                classes=["bk-prep"],
            )
        )
    return result


def _citations(table_set: TableSet, row: Row) -> nodes.bullet_list:
    return _bullets(
        (_citation(table_set, cited) for cited in row.citations), "bk-citations", "simple"
    )


def _short_basis(table_set: TableSet, key: str, row: Row, lang: Lang) -> nodes.paragraph:
    """The citations of a row in one line (provisions and source ids), and the row."""
    label, row_word = ("Grund", "rad") if lang == "sv" else ("Basis", "row")
    paragraph = _para(f"{label}: ", classes=["bk-basis", "bk-en"])
    for index, cited in enumerate(row.citations):
        if index:
            paragraph += nodes.Text("; ")
        paragraph += nodes.Text(docs.provision(table_set, cited, lang) + " (")
        paragraph += _xref("source", cited.source)
        if cited.role == "context":
            paragraph += nodes.Text(f", {docs.ROLE_LABEL['context'][lang]}")
        paragraph += nodes.Text(")")
    paragraph += nodes.Text(f" · {row_word} ")
    paragraph += _xref("row", key)
    return paragraph
