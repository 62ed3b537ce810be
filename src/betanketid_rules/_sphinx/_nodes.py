"""Small docutils node builders the pages share: text, paragraphs, grids, links, markers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from docutils import nodes
from docutils.nodes import Node
from sphinx.addnodes import pending_xref

from .. import _docs as docs
from .._types import Lang, Status
from ._domain import DOMAIN


def _text(text: str, *classes: str) -> nodes.inline:
    return nodes.inline(text, text, classes=list(classes))


def _para(*children: Node | str, classes: Sequence[str] = ()) -> nodes.paragraph:
    paragraph = nodes.paragraph(classes=list(classes))
    for child in children:
        paragraph += nodes.Text(child) if isinstance(child, str) else child
    return paragraph


def _grid(
    classes: list[str], labels: Iterable[str], widths: Sequence[int]
) -> tuple[nodes.table, nodes.tbody]:
    """A table with a header row of ``labels`` and column ``widths``; returns it and its body."""
    grid = nodes.table(classes=classes)
    tgroup = nodes.tgroup(cols=len(widths))
    grid += tgroup
    for width in widths:
        tgroup += nodes.colspec(colwidth=width)
    head = nodes.row()
    for label in labels:
        entry = nodes.entry()
        entry += _para(label)
        head += entry
    tgroup += nodes.thead("", head)
    body = nodes.tbody()
    tgroup += body
    return grid, body


def _xref(kind: str, target: str, text: str | None = None) -> pending_xref:
    """A reference to a rendered family, table, row, source or question."""
    shown = text if text is not None else target
    ref = pending_xref(
        "",
        refdomain=DOMAIN,
        reftype=kind,
        reftarget=target,
        refexplicit=True,
        refwarn=True,
    )
    ref += nodes.inline(shown, shown, classes=["xref", f"bk-xref-{kind}"])
    return ref


def _link(url: str, text: str) -> nodes.reference:
    return nodes.reference(text, text, refuri=url, classes=["bk-url"])


def _url_link(url: str | None) -> Node:
    """The registry URL as a link showing its host, or a note that there is none."""
    if url is None:
        return _text("ingen URL / no URL", "bk-no-url")
    host = urlsplit(url).hostname or url
    return _link(url, f"{host} ↗")


def status_marker(status: Status, lang: Lang | None = None) -> nodes.inline:
    """The visible marker of a verification status: ``● confirmed`` and so on; with
    ``lang``, the status's label in that language from the vocabulary (``● bekräftad``)."""
    label: str = status
    if lang is not None:
        from .._tables import default_table_set  # noqa: PLC0415 (the vocabulary owns the words)

        vocabulary = default_table_set().vocabulary
        if vocabulary is not None:
            text = vocabulary.statuses[status].label
            label = text.sv if lang == "sv" else text.en
    shown = f"{docs.STATUS_MARK[status]} {label}"
    return nodes.inline(shown, shown, classes=["bk-status", f"bk-status-{status}"])


def _bilingual(sv: str, en: str) -> list[Node]:
    return [
        _para(_text("sv", "bk-lang"), sv, classes=["bk-sv", "language-sv"]),
        _para(_text("en", "bk-lang"), en, classes=["bk-en", "language-en"]),
    ]


def _bilingual_line(sv: str, en: str, *lead: Node | str) -> nodes.paragraph:
    """Swedish and English on one line: ``sv-text / en-text``."""
    return _para(*lead, sv, " / ", _text(en, "bk-en"), classes=["bk-bilingual"])


def _field_list(fields: Iterable[tuple[str, Node | list[Node] | str]]) -> nodes.field_list:
    field_list = nodes.field_list(classes=["bk-fields"])
    for name, value in fields:
        body = nodes.field_body()
        if isinstance(value, str):
            body += _para(value)
        elif isinstance(value, list):
            body += value
        elif isinstance(value, nodes.Inline | nodes.Text):
            body += _para(value)
        else:
            body += value
        field_list += nodes.field("", nodes.field_name(name, name), body)
    return field_list


def _bullets(items: Iterable[Node | list[Node]], *classes: str) -> nodes.bullet_list:
    bullet_list = nodes.bullet_list(classes=list(classes))
    for item in items:
        list_item = nodes.list_item()
        list_item += item
        bullet_list += list_item
    return bullet_list


def _section(section_id: str, title: str, *classes: str) -> nodes.section:
    section = nodes.section(ids=[section_id], names=[nodes.fully_normalize_name(section_id)])
    section["classes"] = list(classes)
    section += nodes.title(title, title)
    return section


def _counts(statuses: Iterable[Status]) -> nodes.paragraph:
    paragraph = nodes.paragraph(classes=["bk-counts"])
    for status, count in docs.status_counts(statuses).items():
        paragraph += status_marker(status)
        paragraph += nodes.Text(f" {count}   ")
    return paragraph
