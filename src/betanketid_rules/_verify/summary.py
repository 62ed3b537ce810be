"""A diff in plain words, in Swedish and English, generated from its regions and the vocabulary.

Nothing here is written per change: each sentence is put together from a change's verdicts
(outcome and permit, or a table's outputs, by their labels), how many combinations of facts it
covers and where (its first region, each field and value by its label). The decision changes
come weightiest first, as the report orders them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .._tables._format import Bilingual, Vocabulary
from .._types import Lang
from .regions import Region
from .report import Comparison, DecisionChange, Verdict

#: How many decision changes the summary names; the rest are counted.
SUMMARY_CHANGES = 5

_WORDS: dict[Lang, dict[str, str]] = {
    "sv": {
        "title": "Sammanfattning",
        "none": "Inget beslut, ingen rättslig grund och ingen text ändras.",
        "combinations": "{n} kombinationer av fakta",
        "one": "1 kombination av fakta",
        "change": "{count}: {before} blir {after}, när {where}",
        "more_where": " (och {n} fall till)",
        "more": "Ytterligare {n} ändringar av beslut.",
        "basis": "{n} ändringar av rättslig grund (lagrum eller öppna frågor) utan ändrat beslut.",
        "text": "{n} ändringar av text eller status (anteckningar, lydelse, status, källa).",
        "days": "{n} dagar",
        "months": "minst {n} månader",
        "everywhere": "alla fall",
    },
    "en": {
        "title": "Summary",
        "none": "No decision, no legal basis and no text changes.",
        "combinations": "{n} combinations of facts",
        "one": "1 combination of facts",
        "change": "{count}: {before} becomes {after}, where {where}",
        "more_where": " (and {n} more cases)",
        "more": "{n} more decision changes.",
        "basis": "{n} changes of legal basis (provisions or open questions), decisions unchanged.",
        "text": "{n} changes of text or status (notes, wording, status, source).",
        "days": "{n} days",
        "months": "at least {n} months",
        "everywhere": "every case",
    },
}


def _in(text: Bilingual, lang: Lang) -> str:
    return text.sv if lang == "sv" else text.en


def _count(points: int, lang: Lang) -> str:
    words = _WORDS[lang]
    return words["one"] if points == 1 else words["combinations"].format(n=points)


def _verdict(verdict: Verdict, lang: Lang, labels: Vocabulary) -> str:
    result = dict(verdict.result)
    if "outcome" in result and result["outcome"] in labels.outcomes:
        text = _in(labels.outcomes[result["outcome"]], lang)
        permit = result.get("permit_type")
        if permit in labels.permit_types:
            details = [_in(labels.permit_types[permit], lang)]
            if result.get("permit_days") is not None:
                details.append(_WORDS[lang]["days"].format(n=result["permit_days"]))
            if result.get("permit_min_months") is not None:
                details.append(_WORDS[lang]["months"].format(n=result["permit_min_months"]))
            text += f" ({', '.join(details)})"
        return text
    parts = []
    for name, value in verdict.result:
        label = labels.outputs.get(name, {}).get(str(value))
        parts.append(_in(label, lang) if label else f"{name} {value}")
    return "; ".join(parts) if parts else verdict.label


def _field(name: str, labels: Vocabulary) -> str | None:
    """The case field a diff column named ``name`` reads (columns are named by the field)."""
    for path in labels.fields:
        if path.rpartition(".")[2] == name:
            return path
    return None


def region_in_words(region: Region, lang: Lang, labels: Vocabulary) -> str:
    """The fields ``region`` restricts and the values it allows, by their labels."""
    parts = []
    for column, values in region.constrained():
        path = _field(column.name, labels)
        if path is not None:
            parts.append(labels.field_words(path, values, lang))
        elif column.name in labels.derived:
            day = re.search(r"\d{4}-\d{2}-\d{2}", column.note)
            parts.append(labels.derived_words(column.name, values, lang, day[0] if day else ""))
        else:
            parts.append(f"{column.name}: {labels.output_words(column.name, values, lang)}")
    return "; ".join(parts) if parts else _WORDS[lang]["everywhere"]


def _change(change: DecisionChange, lang: Lang, labels: Vocabulary) -> str:
    words = _WORDS[lang]
    where = region_in_words(change.regions[0], lang, labels) if change.regions else ""
    if len(change.regions) > 1:
        where += words["more_where"].format(n=len(change.regions) - 1)
    return words["change"].format(
        count=_count(change.points, lang),
        before=_verdict(change.before, lang, labels),
        after=_verdict(change.after, lang, labels),
        where=where,
    )


def summary(comparison: Comparison, lang: Lang, labels: Vocabulary) -> list[str]:
    """The comparison in a few sentences of one language, the weightiest change first.

    >>> import datetime as dt
    >>> from betanketid_rules._tables import default_table_set
    >>> from betanketid_rules._verify.diff import diff_dates
    >>> table_set = default_table_set()
    >>> report = diff_dates(table_set, dt.date(2022, 7, 31), dt.date(2022, 8, 1))
    >>> summary(report.comparisons[0], "en", table_set.vocabulary)[1][:62]
    '1. 1536 combinations of facts: no standing (this applicant may'
    """
    words = _WORDS[lang]
    lines = [f"{words['title']}:"]
    changes: Sequence[DecisionChange] = comparison.decision_changes
    for number, change in enumerate(changes[:SUMMARY_CHANGES], start=1):
        lines.append(f"{number}. {_change(change, lang, labels)}.")
    if len(changes) > SUMMARY_CHANGES:
        lines.append(words["more"].format(n=len(changes) - SUMMARY_CHANGES))
    if comparison.basis_changes:
        lines.append(words["basis"].format(n=len(comparison.basis_changes)))
    if comparison.text_changes:
        lines.append(words["text"].format(n=comparison.text_changes))
    if len(lines) == 1:
        lines.append(words["none"])
    return lines


def summaries(comparison: Comparison, labels: Vocabulary | None) -> list[str]:
    """The Swedish summary, a blank line, then the English one (nothing without a
    vocabulary)."""
    if labels is None:
        return []
    found: list[Any] = []
    languages: tuple[Lang, ...] = ("sv", "en")
    for lang in languages:
        found += [*summary(comparison, lang, labels), ""]
    return found[:-1]
