"""Diff reports as text (terminals), JSON (machines), Markdown (pull-request comments) and
reStructuredText (the documentation)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, get_args

from .._errors import InvalidArgumentError
from .._types import DiffFormat
from .regions import Region
from .report import CitationChange, Comparison, DecisionChange, DiffReport, RowChange, Scoped
from .summary import summaries

DIFF_FORMATS: tuple[DiffFormat, ...] = get_args(DiffFormat)


def _scoped(items: Sequence[Scoped[Any]], sign: str = "") -> str:
    parts = []
    for scoped in items:
        where = scoped.where_text()
        parts.append(f"{sign}{scoped.item}" + (f" [where {where}]" if where else ""))
    return "; ".join(parts)


def _provisions(change: DecisionChange) -> str:
    return "; ".join(
        part
        for part in (
            _scoped(change.provisions_removed, "− "),
            _scoped(change.provisions_added, "+ "),
        )
        if part
    )


def _questions(change: DecisionChange) -> str:
    before = _scoped(change.questions_before) or "none"
    after = _scoped(change.questions_after) or "none"
    return "" if before == after else f"{before} → {after}"


def _transition(change: DecisionChange) -> str:
    return f"{change.before.label} → {change.after.label}"


def _many(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _points(count: int) -> str:
    return "1 combination of facts" if count == 1 else f"{count} combinations of facts"


def _space(comparison: Comparison) -> str:
    names = []
    for column in comparison.columns:
        names.append(f"{column.name} ({column.note})" if column.note else column.name)
    return f"{_points(comparison.points)} over {', '.join(names)}"


def _counts(comparison: Comparison) -> str:
    return (
        f"{_many(len(comparison.decision_changes), 'decision change')} "
        f"({_points(comparison.changed_points)}), "
        f"{_many(len(comparison.basis_changes), 'change')} of legal basis "
        f"({_points(comparison.basis_points)}), "
        f"{_many(comparison.text_changes, 'change')} of text or status "
        f"({_points(comparison.cited_points)})"
    )


#: The three kinds of change, each a section of its own, in this order.
DECISIONS = "Decision changes (outcome or permit), the weightiest first:"
BASIS = "Changes of legal basis (provisions cited, open questions), the decision unchanged:"
TEXT = "Changes of text or status (notes, citation wording, status, source):"


def _text_row(number: int, change: RowChange) -> list[str]:
    lines = [f"  {number}. row {change.rows}  ({_points(change.points)})"]
    lines.append(f"     changed: {', '.join(change.what)}")
    lines += _text_regions(change.regions, "     ")
    return lines


def _header(report: DiffReport) -> str:
    return f"diff {report.old} → {report.new}"


def _tables_line(comparison: Comparison) -> str:
    pairs = []
    news = {key.partition("@")[0]: key for key in comparison.new_tables}
    olds = {key.partition("@")[0]: key for key in comparison.old_tables}
    for family in [*olds, *(f for f in news if f not in olds)]:
        old, new = olds.get(family, "(none)"), news.get(family, "(none)")
        pairs.append(old if old == new else f"{old} → {new}")
    return ", ".join(pairs)


# -- text ---------------------------------------------------------------------------------------


def _text_regions(regions: Sequence[Region], indent: str) -> list[str]:
    return [f"{indent}where {region}  ({_points(region.points)})" for region in regions]


def _text_decision(number: int, change: DecisionChange) -> list[str]:
    lines = [f"  {number}. {_transition(change)}  ({_points(change.points)})"]
    lines += _text_regions(change.regions, "     ")
    if change.provisions_removed or change.provisions_added:
        lines.append(f"     provisions: {_provisions(change)}")
    if _questions(change):
        lines.append(f"     open questions: {_questions(change)}")
    lines.append(f"     rows before: {_scoped(change.rows_before) or '(none)'}")
    lines.append(f"     rows after:  {_scoped(change.rows_after) or '(none)'}")
    return lines


def _details(details: Sequence[object]) -> str:
    return "; ".join(str(detail) for detail in details) or "(not cited)"


def _text_citation(number: int, change: CitationChange) -> list[str]:
    lines = [f"  {number}. {change.subject}, row {change.rows}  ({_points(change.points)})"]
    lines.append(f"     before: {_details(change.before)}")
    lines.append(f"     after:  {_details(change.after)}")
    lines += _text_regions(change.regions, "     ")
    return lines


def _text(report: DiffReport) -> str:
    lines = [_header(report)]
    lines += [f"  {line}" for line in report.files]
    if not report.comparisons:
        lines.append("no table differs: no decision or citation changes")
    for comparison in report.comparisons:
        lines.append("")
        lines.append(f"== {comparison.title}")
        lines.append(f"tables: {_tables_line(comparison)}")
        if comparison.unchanged_tables:
            lines.append(f"unchanged, left out: {', '.join(comparison.unchanged_tables)}")
        lines.append(f"input space: {_space(comparison)}")
        lines.append(_counts(comparison))
        said = summaries(comparison, report.vocabulary)
        if said:
            lines.append("")
            lines += said
        if comparison.decision_changes:
            lines.append("")
            lines.append(DECISIONS)
            for number, change in enumerate(comparison.decision_changes, start=1):
                lines += _text_decision(number, change)
        if comparison.basis_changes:
            lines.append("")
            lines.append(BASIS)
            for number, change in enumerate(comparison.basis_changes, start=1):
                lines += _text_decision(number, change)
        if comparison.citation_changes or comparison.row_changes:
            lines.append("")
            lines.append(TEXT)
            number = 0
            for number, citation in enumerate(comparison.citation_changes, start=1):
                lines += _text_citation(number, citation)
            for offset, row in enumerate(comparison.row_changes, start=number + 1):
                lines += _text_row(offset, row)
    lines.append("")
    basis = sum(len(c.basis_changes) for c in report.comparisons)
    texts = sum(c.text_changes for c in report.comparisons)
    lines.append(
        f"diff: {_many(report.decision_changes, 'decision change')}, "
        f"{_many(basis, 'change')} of legal basis, {_many(texts, 'change')} of text or status "
        f"in {_many(len(report.comparisons), 'comparison')}, {report.seconds:.1f} s"
    )
    return "\n".join(lines)


# -- markdown -----------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def _md_regions(regions: Sequence[Region]) -> str:
    return "<br>".join(f"`{region}` ({region.points})" for region in regions)


def _md_basis_and_rows(comparison: Comparison) -> list[str]:
    lines: list[str] = []
    if comparison.basis_changes:
        lines.append(f"**{BASIS}**")
        lines.append("")
        for number, change in enumerate(comparison.basis_changes, start=1):
            lines.append(
                f"{number}. {_md_cell(_transition(change))} ({_points(change.points)}): "
                f"{_md_cell(_provisions(change) or _questions(change))}"
            )
        lines.append("")
    if comparison.row_changes:
        lines.append(f"**{TEXT}**")
        lines.append("")
        for number, row in enumerate(comparison.row_changes, start=1):
            lines.append(f"{number}. `{row.rows}`: {', '.join(row.what)} ({_points(row.points)})")
        lines.append("")
    return lines


def _markdown(report: DiffReport) -> str:
    lines = [f"## Rule changes: `{report.old}` → `{report.new}`", ""]
    if report.files:
        lines += [f"- {line}" for line in report.files]
        lines.append("")
    if not report.comparisons:
        lines.append("No table differs: no decision or citation changes.")
    for comparison in report.comparisons:
        lines.append(f"### {comparison.title}")
        lines.append("")
        lines.append(f"Tables: {_tables_line(comparison)}. Input space: {_space(comparison)}.")
        lines.append(f"**{_counts(comparison)}.**")
        lines.append("")
        said = summaries(comparison, report.vocabulary)
        if said:
            lines += [f"> {line}" if line else ">" for line in said]
            lines.append("")
        if comparison.decision_changes:
            lines.append(f"**{DECISIONS}**")
            lines.append("")
            lines.append(
                "| # | before | after | combinations | where | cited provisions | open questions |"
            )
            lines.append("|---|---|---|---|---|---|---|")
            for number, change in enumerate(comparison.decision_changes, start=1):
                lines.append(
                    f"| {number} | {_md_cell(change.before.label)} "
                    f"| {_md_cell(change.after.label)} | {change.points} "
                    f"| {_md_cell(_md_regions(change.regions))} "
                    f"| {_md_cell(_provisions(change)) or '—'} "
                    f"| {_md_cell(_questions(change)) or '—'} |"
                )
            lines.append("")
            lines.append("<details><summary>Rows that decide each change</summary>")
            lines.append("")
            for number, change in enumerate(comparison.decision_changes, start=1):
                before = _scoped(change.rows_before) or "(none)"
                after = _scoped(change.rows_after) or "(none)"
                lines.append(f"{number}. before: {before}; after: {after}")
            lines.append("")
            lines.append("</details>")
            lines.append("")
        lines += _md_basis_and_rows(comparison)
        if comparison.citation_changes:
            lines.append(
                f"<details><summary>Citation changes ({len(comparison.citation_changes)}"
                f", {_points(comparison.cited_points)})</summary>"
            )
            lines.append("")
            lines.append("| # | provision | row | before | after | combinations | where |")
            lines.append("|---|---|---|---|---|---|---|")
            for number, citation in enumerate(comparison.citation_changes, start=1):
                lines.append(
                    f"| {number} | {_md_cell(citation.subject)} | `{citation.rows}` "
                    f"| {_md_cell(_details(citation.before))} "
                    f"| {_md_cell(_details(citation.after))} | {citation.points} "
                    f"| {_md_cell(_md_regions(citation.regions))} |"
                )
            lines.append("")
            lines.append("</details>")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# -- reStructuredText ---------------------------------------------------------------------------


def _rst_heading(text: str, mark: str) -> list[str]:
    return [text, mark * len(text), ""]


def _rst_basis_and_rows(comparison: Comparison) -> list[str]:
    lines: list[str] = []
    if comparison.basis_changes:
        lines += _rst_heading("Changes of legal basis", "~")
        for number, change in enumerate(comparison.basis_changes, start=1):
            lines.append(f"{number}. **{_transition(change)}** ({_points(change.points)})")
            lines.append("")
            if _provisions(change):
                lines.append(f"   - provisions: {_provisions(change)}")
            if _questions(change):
                lines.append(f"   - open questions: {_questions(change)}")
            lines.append("")
    if comparison.row_changes:
        lines += _rst_heading("Changes of text or status in rows", "~")
        for number, row in enumerate(comparison.row_changes, start=1):
            lines.append(f"{number}. ``{row.rows}``: {', '.join(row.what)} ({_points(row.points)})")
        lines.append("")
    return lines


def _rst(report: DiffReport) -> str:
    lines = _rst_heading(f"Rule changes: {report.old} → {report.new}", "=")
    lines += [f"- {line}" for line in report.files]
    if report.files:
        lines.append("")
    if not report.comparisons:
        lines += ["No table differs: no decision or citation changes.", ""]
    for comparison in report.comparisons:
        lines += _rst_heading(comparison.title, "-")
        lines += [f"Tables: {_tables_line(comparison)}.", ""]
        lines += [f"Input space: {_space(comparison)}. {_counts(comparison)}.", ""]
        said = summaries(comparison, report.vocabulary)
        if said:
            lines += [f"| {line}" if line else "|" for line in said]
            lines.append("")
        for number, change in enumerate(comparison.decision_changes, start=1):
            lines.append(f"{number}. **{_transition(change)}** ({_points(change.points)})")
            lines.append("")
            for region in change.regions:
                lines.append(f"   - where ``{region}`` ({region.points})")
            if _provisions(change):
                lines.append(f"   - provisions: {_provisions(change)}")
            if _questions(change):
                lines.append(f"   - open questions: {_questions(change)}")
            lines.append(f"   - rows before: {_scoped(change.rows_before) or '(none)'}")
            lines.append(f"   - rows after: {_scoped(change.rows_after) or '(none)'}")
            lines.append("")
        lines += _rst_basis_and_rows(comparison)
        if comparison.citation_changes:
            lines += _rst_heading("Changes of citations", "~")
            for number, citation in enumerate(comparison.citation_changes, start=1):
                lines.append(
                    f"{number}. **{citation.subject}**, row {citation.rows} "
                    f"({_points(citation.points)})"
                )
                lines.append("")
                lines.append(f"   - before: {_details(citation.before)}")
                lines.append(f"   - after: {_details(citation.after)}")
                for region in citation.regions:
                    lines.append(f"   - ``{region}`` ({region.points})")
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _json(report: DiffReport) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False)


_RENDERERS: dict[str, Callable[[DiffReport], str]] = {
    "text": _text,
    "json": _json,
    "markdown": _markdown,
    "rst": _rst,
}


def render_diff(report: DiffReport, fmt: DiffFormat = "text") -> str:
    """The report as ``text``, ``json``, ``markdown`` or ``rst``.

    >>> print(render_diff(DiffReport("dates", "2010-01-01", "2020-01-01"), "markdown"))
    ## Rule changes: `2010-01-01` → `2020-01-01`
    <BLANKLINE>
    No table differs: no decision or citation changes.
    <BLANKLINE>
    """
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise InvalidArgumentError(
            f"unknown format {fmt!r}: choose one of {', '.join(DIFF_FORMATS)}"
        ) from None
    return renderer(report)
