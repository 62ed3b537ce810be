"""A semantic diff (:class:`~betanketid_rules._verify.report.DiffReport`) as nodes.

Its comparisons, each decision change with the regions, provisions, open questions and rows
it concerns, and the changes only in citations, with links to the rows and questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docutils import nodes
from docutils.nodes import Node

from .._tables._format import Vocabulary
from .._types import Lang
from .._verify.report import (
    CitationChange,
    Comparison,
    DecisionChange,
    DiffReport,
    RowChange,
    Scoped,
)
from .._verify.summary import summary
from ._nodes import _bullets, _para, _xref

_COMBINATIONS = "kombinationer av fakta / combinations of facts"


def diff_nodes(report: DiffReport) -> list[Node]:
    """A semantic diff as nodes: its comparisons, with links to the rows and questions."""
    if not report.comparisons:
        return [_para("Ingen skillnad. / No difference.", classes=["bk-no-change"])]
    result: list[Node] = []
    for comparison in report.comparisons:
        result += _comparison(comparison, report.kind, report.vocabulary)
    return result


def _summaries(comparison: Comparison, labels: Vocabulary | None) -> list[Node]:
    """The plain-language summary, in Swedish and then in English, each its own block."""
    if labels is None:
        return []
    blocks: list[Node] = []
    languages: tuple[Lang, ...] = ("sv", "en")
    for lang in languages:
        lines = summary(comparison, lang, labels)
        block = nodes.container(classes=["bk-diff-plain", f"bk-lang-{lang}"])
        block += nodes.rubric(lines[0], lines[0])
        block += _bullets([[_para(line)] for line in lines[1:]], "bk-diff-plain-lines")
        blocks.append(block)
    return blocks


def _comparison(comparison: Comparison, kind: str, labels: Vocabulary | None) -> list[Node]:
    columns = ", ".join(
        f"{column.name} ({column.note})" if column.note else column.name
        for column in comparison.columns
    )
    container = nodes.container(classes=["bk-diff"])
    container += _para(
        f"Prövade uppgifter / Input space: {comparison.points} {_COMBINATIONS} ({columns}). "
        f"{len(comparison.decision_changes)} ändringar / changes "
        f"({comparison.changed_points} {_COMBINATIONS}); "
        f"{len(comparison.basis_changes)} ändringar av rättslig grund / changes of legal basis "
        f"({comparison.basis_points}); {comparison.text_changes} ändringar av text eller status "
        f"/ changes of text or status ({comparison.cited_points}).",
        classes=["bk-diff-summary"],
    )
    for block in _summaries(comparison, labels):
        container += block
    decisions = (
        "Ändrade beslut / Changed decisions"
        if kind != "tables"
        else "Ändrade utdata eller bestämmelser / Changed outputs or provisions"
    )
    sections: list[tuple[str, list[nodes.list_item]]] = [
        (decisions, [_decision_change(change) for change in comparison.decision_changes]),
        (
            "Ändrad rättslig grund / Changes of legal basis",
            [_decision_change(change) for change in comparison.basis_changes],
        ),
        (
            "Ändrad text eller status i rader / Changes of text or status in rows",
            [_row_change(row) for row in comparison.row_changes],
        ),
        (
            "Ändrade hänvisningar / Changes of citations",
            [_citation_change(citation) for citation in comparison.citation_changes],
        ),
    ]
    for title, items in sections:
        if items:
            container += nodes.rubric(title, title)
            listing = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
            for item in items:
                listing += item
            container += listing
    return [container]


def _decision_change(change: DecisionChange) -> nodes.list_item:
    item = nodes.list_item(classes=["bk-decision-change"])
    label = f"{change.before.label} → {change.after.label}"
    item += _para(
        nodes.strong(label, label),
        f" ({change.points} kombinationer av fakta / combinations of facts)",
    )
    details: list[list[Node]] = [
        [_para("där / where ", nodes.literal(str(region), str(region)), f" ({region.points})")]
        for region in change.regions
    ]
    provisions = [
        *_scoped_items(change.provisions_removed, None, "− "),
        *_scoped_items(change.provisions_added, None, "+ "),
    ]
    if provisions:
        details.append(_labelled("bestämmelser / provisions:", provisions))
    before = _scoped_items(change.questions_before, "question")
    after = _scoped_items(change.questions_after, "question")
    if before or after:
        line = _para("öppna frågor / open questions: ")
        nothing: list[list[Node]] = [[nodes.Text("inga / none")]]
        for side, parts in ((0, before), (1, after)):
            if side:
                line += nodes.Text(" → ")
            for index, part in enumerate(parts or nothing):
                if index:
                    line += nodes.Text("; ")
                line += part
        details.append([line])
    for label_text, rows in (
        ("rader före / rows before:", change.rows_before),
        ("rader efter / rows after:", change.rows_after),
    ):
        details.append(_labelled(label_text, _scoped_items(rows, "row")))
    item += _bullets(details, "bk-change-details")
    return item


def _row_change(row: RowChange) -> nodes.list_item:
    item = nodes.list_item(classes=["bk-row-change"])
    item += _para(_xref("row", row.row_after), f": {', '.join(row.what)} ({row.points})")
    return item


def _citation_change(citation: CitationChange) -> nodes.list_item:
    item = nodes.list_item(classes=["bk-citation-change"])
    head = _para(nodes.strong(citation.subject, citation.subject), ", rad / row ")
    if citation.row_before is not None:
        head += _xref("row", citation.row_before)
    if citation.row_after is not None and citation.row_after != citation.row_before:
        if citation.row_before is not None:
            head += nodes.Text(" → ")
        head += _xref("row", citation.row_after)
    head += nodes.Text(f" ({citation.points} {_COMBINATIONS})")
    item += head
    details: list[list[Node]] = [
        [_para(f"före / before: {'; '.join(str(d) for d in citation.before) or '—'}")],
        [_para(f"efter / after: {'; '.join(str(d) for d in citation.after) or '—'}")],
    ]
    details += [
        [_para("där / where ", nodes.literal(str(region), str(region)), f" ({region.points})")]
        for region in citation.regions
    ]
    item += _bullets(details, "bk-change-details")
    return item


def _scoped_items(
    items: Sequence[Scoped[Any]], kind: str | None, sign: str = ""
) -> list[list[Node]]:
    """Each item of a change, linked when it is a row or question, with where it holds."""
    result: list[list[Node]] = []
    for scoped in items:
        text = str(scoped.item)
        part: list[Node] = [nodes.Text(sign)] if sign else []
        part.append(_xref(kind, text) if kind is not None else nodes.Text(text))
        where = scoped.where_text()
        if where:
            part += [nodes.Text(" — där / where "), nodes.literal(where, where)]
        result.append(part)
    return result


def _labelled(label: str, parts: list[list[Node]]) -> list[Node]:
    """``label`` and its items: on one line if there is one, else as a nested list."""
    if not parts:
        return [_para(f"{label} (inga / none)")]
    if len(parts) == 1:
        return [_para(f"{label} ", *parts[0])]
    return [_para(label), _bullets([[_para(*part)] for part in parts], "bk-change-items")]
