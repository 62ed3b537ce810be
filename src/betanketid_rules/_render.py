"""Human-readable text for citations, decisions and assessments, in Swedish or English."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._contract import Citation, Decision, Permit
from ._record import DecisionRecord
from ._types import CellScalar, Lang, Outcome, Status

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from ._assess import Assessment
    from ._tables import TableSet
    from ._tables._format import Bilingual, CaseQuestion, Vocabulary

_ORDINAL_SV = ("första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde")

_WORDS: dict[Lang, dict[str, str]] = {
    "sv": {
        "outcome": "Utfall",
        "days": "dagar",
        "min_months": "minst {n} månader",
        "basis": "Rättslig grund",
        "rules": "Regler som tillämpats",
        "tables": "Tabeller",
        "questions": "Öppna rättsfrågor",
        "pages": "s.",
        "possible": "Möjliga utfall",
        "completions": "{n} av {total} kombinationer av det okända",
        "decided": "Ärendet är avgjort av det som är känt.",
        "ask": "Frågor som fortfarande avgör (den bästa först)",
        "not_needed": "Behöver inte frågas",
        "decision_date": "Beslutsdag",
        "assumed": "(i dag, antagen)",
        "reference": "Referens",
        "as_worded": "i lydelse enligt",
        "legend": "Status",
        "anything": "i alla fall",
        "decided_by": "Avgjort av",
        "table_set": "tabelluppsättningens sha256",
        "effects": "Vad beslutet medför och hur det kan överklagas",
    },
    "en": {
        "outcome": "Outcome",
        "days": "days",
        "min_months": "at least {n} months",
        "basis": "Legal basis",
        "rules": "Rules fired",
        "tables": "Tables",
        "questions": "Open legal questions",
        "pages": "p.",
        "possible": "Possible outcomes",
        "completions": "{n} of {total} combinations of the unknowns",
        "decided": "The case is decided by what is known.",
        "ask": "Questions that still decide it (the best first)",
        "not_needed": "Need not be asked",
        "decision_date": "Decision date",
        "assumed": "(today, assumed)",
        "reference": "Reference",
        "as_worded": "as worded by",
        "legend": "Status",
        "anything": "in every case",
        "decided_by": "Decided by",
        "table_set": "table set sha256",
        "effects": "What the decision brings and how it can be appealed",
    },
}


def provision_parts(
    chapter: int | None,
    section: str | None,
    paragraph: int | None,
    sentence: int | None,
    point: int | None,
    lang: Lang,
) -> list[str]:
    """The parts of a provision reference, as Swedish lawyers or English readers write them.

    >>> " ".join(provision_parts(5, "15", 3, 2, None, "sv"))
    '5 kap. 15 § tredje stycket andra meningen'
    >>> " ".join(provision_parts(5, "15", 1, None, 4, "en"))
    'chapter 5 section 15 paragraph 1 point 4'
    """
    parts: list[str] = []
    if lang == "sv":
        if chapter is not None:
            parts.append(f"{chapter} kap.")
        if section is not None:
            parts.append(f"{section} §")
        if paragraph is not None:
            parts.append(f"{_ORDINAL_SV[paragraph - 1]} stycket")
        if sentence is not None:
            parts.append(f"{_ORDINAL_SV[sentence - 1]} meningen")
        if point is not None:
            parts.append(str(point))
        return parts
    for name, value in (
        ("chapter", chapter),
        ("section", section),
        ("paragraph", paragraph),
        ("sentence", sentence),
        ("point", point),
    ):
        if value is not None:
            parts.append(f"{name} {value}")
    return parts


def _vocabulary(table_set: TableSet | None = None) -> Vocabulary:
    from ._tables import default_table_set  # noqa: PLC0415 (loaded when text is first asked for)

    vocabulary = (table_set or default_table_set()).vocabulary
    if vocabulary is None:  # pragma: no cover (a complete table set always has one)
        raise LookupError("the table set has no vocabulary.yaml")
    return vocabulary


def _in(text: Bilingual, lang: Lang) -> str:
    return text.sv if lang == "sv" else text.en


def format_citation(
    citation: Citation, lang: Lang = "sv", table_set: TableSet | None = None
) -> str:
    """One citation as a reviewer would write it, in one language: the provision in running
    text, the wording in force, then its status (in words) and source.

    >>> c = Citation(act="2005:716", chapter=5, section="15", paragraph=1, point=2,
    ...              wording="SFS 2007:322", status="confirmed", source="SRC-02", url=None,
    ...              title="Utlänningslag (2005:716)")
    >>> print(format_citation(c, "sv"))  # doctest: +NORMALIZE_WHITESPACE
    5 kap. 15 § första stycket 2 utlänningslagen (2005:716), i lydelse enligt SFS 2007:322
    [bekräftad, SRC-02]
    >>> print(format_citation(c, "en"))  # doctest: +NORMALIZE_WHITESPACE
    chapter 5 section 15 paragraph 1 point 2 of the Aliens Act (2005:716), as worded by SFS
    2007:322 [confirmed, SRC-02]
    """
    from ._tables import default_table_set  # noqa: PLC0415 (loaded when text is first asked for)

    words = _WORDS[lang]
    table_set = table_set or default_table_set()
    labels = _vocabulary(table_set)
    role = f", {_in(labels.roles['context'], lang)}" if citation.role == "context" else ""
    tag = f"[{_in(labels.statuses[citation.status].label, lang)}, {citation.source}{role}]"
    if citation.act is None:  # a preparatory work or a report, by its short name if it has one
        source = table_set.sources.get(citation.source)
        name = _in(source.short, lang) if source and source.short else citation.wording
        pages = f" {words['pages']} {citation.pages}" if citation.pages else ""
        return f"{name}{pages} {tag}"
    parts = provision_parts(
        citation.chapter,
        citation.section,
        citation.paragraph,
        citation.sentence,
        citation.point,
        lang,
    )
    named = labels.acts.get(citation.act)
    act = _in(named, lang) if named else (citation.title or citation.act)
    where = " ".join(parts) + (f" {act}" if lang == "sv" else f" of {act}")
    return f"{where}, {words['as_worded']} {citation.wording} {tag}"


def _result(outcome: Outcome, permit: Permit | None, lang: Lang, labels: Vocabulary) -> str:
    words = _WORDS[lang]
    text = _in(labels.outcomes[outcome], lang)
    if permit is not None:
        details = [_in(labels.permit_types[permit.type], lang)]
        if permit.days is not None:
            details.append(f"{permit.days} {words['days']}")
        if permit.min_months is not None:
            details.append(words["min_months"].format(n=permit.min_months))
        text += f" — {', '.join(details)}"
    return text


def _legend(statuses: Iterable[Status], lang: Lang, labels: Vocabulary) -> str:
    """What each status shown means, in the order of firmness."""
    present = set(statuses)
    shown = [status for status in labels.statuses if status in present]
    meanings = (
        f"{_in(labels.statuses[s].label, lang)}: {_in(labels.statuses[s].meaning, lang)}"
        for s in shown
    )
    return f"{_WORDS[lang]['legend']} — " + "; ".join(meanings)


def render_decision(decision: Decision, lang: Lang = "sv") -> str:
    """A decision as readable text: outcome, permit, explanation, legal basis, trace summary."""
    from ._tables import default_table_set  # noqa: PLC0415 (loaded when text is first asked for)

    table_set = default_table_set()
    labels = _vocabulary(table_set)
    words = _WORDS[lang]
    headline = f"{words['outcome']}: {_result(decision.outcome, decision.permit, lang, labels)}"
    explanation = decision.explanation.sv if lang == "sv" else decision.explanation.en
    lines = [headline, explanation, f"{words['basis']}:"]
    lines += [
        f"  - {format_citation(citation, lang, table_set)}" for citation in decision.legal_basis
    ]
    lines += _effect_lines(decision, lang, table_set, labels)
    statuses = [c.status for c in decision.legal_basis]
    statuses += [c.status for effect in decision.effects for c in effect.citations]
    lines.append(_legend(statuses, lang, labels))
    lines.append(f"{words['rules']}: {', '.join(decision.rules_fired)}")
    tables = ", ".join(f"{table.id}@{table.version}" for table in decision.tables)
    lines.append(f"{words['tables']}: {tables}")
    questions = dict.fromkeys(decision.open_questions)
    questions.update(dict.fromkeys(q for effect in decision.effects for q in effect.open_questions))
    if questions:
        lines.append(f"{words['questions']}:")
        for question in questions:
            known = table_set.questions.get(question)
            text = f": {_in(known.question, lang)}" if known else ""
            lines.append(f"  - {question}{text}")
    return "\n".join(lines)


def _effect_lines(
    decision: Decision, lang: Lang, table_set: TableSet, labels: Vocabulary
) -> list[str]:
    """What the decision brings and how it can be appealed: each effect by its label, its
    text, its sources and the open questions it rests on."""
    if not decision.effects:
        return []
    lines = [f"{_WORDS[lang]['effects']}:"]
    for effect in decision.effects:
        column = _effect_column(labels, effect.effect) or ""
        named = labels.output_words(column, [effect.effect], lang)
        lines.append(f"  - {named} [{_in(labels.statuses[effect.status].label, lang)}]")
        lines.append(f"      {effect.text_sv if lang == 'sv' else effect.text_en}")
        lines += [f"      {format_citation(c, lang, table_set)}" for c in effect.citations]
    return lines


def _effect_column(labels: Vocabulary, value: str) -> str | None:
    """The output column whose values include ``value`` (an effect's label is kept there)."""
    return next((name for name, values in labels.outputs.items() if value in values), None)


def render_record(record: DecisionRecord, lang: Lang = "sv") -> str:
    """A decision record as text: the decision, then the date applied, the reference and what
    decided it (the package version and the table-set hash).

    >>> from betanketid_rules import evaluate_record
    >>> record = evaluate_record({"reference": "K-17", "decision_date": "2015-01-01",
    ...                           "applicant": "the_person", "permit": "reflection_period"})
    >>> render_record(record, "en").splitlines()[-3:-1]
    ['Decision date: 2015-01-01', 'Reference: K-17']
    """
    words = _WORDS[lang]
    lines = [render_decision(record.decision, lang)]
    lines.append(f"{words['decision_date']}: {record.decision_date.isoformat()}")
    if record.reference is not None:
        lines.append(f"{words['reference']}: {record.reference}")
    lines.append(
        f"{words['decided_by']}: betanketid-rules {record.package_version} "
        f"({words['table_set']} {record.tables_sha256})"
    )
    return "\n".join(lines)


def _region_in_words(
    region: Mapping[str, CellScalar | list[CellScalar]], lang: Lang, labels: Vocabulary
) -> str:
    """A region of cases in words: each field it restricts and the values it allows.

    >>> from betanketid_rules._tables import default_table_set
    >>> labels = default_table_set().vocabulary
    >>> _region_in_words({"person.in_sweden": True,
    ...     "facts.presumed_offence": ["trafficking", "exploitation"]}, "sv", labels)
    'vistas i Sverige: ja; brott som personen antas ha utsatts för: människohandel eller \
människoexploatering'
    """
    parts = [
        labels.field_words(path, allowed if isinstance(allowed, list) else [allowed], lang)
        for path, allowed in region.items()
    ]
    return "; ".join(parts) if parts else _WORDS[lang]["anything"]


def render_assessment(
    assessment: Assessment, lang: Lang = "sv", catalogue: Mapping[str, CaseQuestion] | None = None
) -> str:
    """An assessment as readable text: the possible outcomes and what still decides them.

    With the question ``catalogue`` (``tables/questions.yaml``), the questions are shown in
    words, each with its field.

    >>> from betanketid_rules import assess
    >>> text = render_assessment(assess({"decision_date": "2024-02-01",
    ...     "applicant": "the_person", "permit": "reflection_period"}), "en")
    >>> text.splitlines()[1]
    'The case is decided by what is known.'
    """
    words = _WORDS[lang]
    labels = _vocabulary()
    day = assessment.decision_date.isoformat()
    lines = [
        f"{words['decision_date']}: {day}"
        + (f" {words['assumed']}" if assessment.decision_date_assumed else ""),
        f"{words['possible']}:",
    ]
    if assessment.decided:
        lines.insert(1, words["decided"])
    for result in assessment.results:
        share = words["completions"].format(n=result.completions, total=assessment.completions)
        lines.append(f"  - {_result(result.outcome, result.permit, lang, labels)}: {share}")
        if not assessment.decided:
            lines += [f"      {_region_in_words(region, lang, labels)}" for region in result.where]
    if assessment.questions:
        lines.append(f"{words['ask']}:")
        for number, path in enumerate(assessment.questions, start=1):
            asked = catalogue.get(path) if catalogue else None
            text = f"{getattr(asked.question, lang)} ({path})" if asked else path
            lines.append(f"  {number}. {text}")
    if assessment.irrelevant:
        names = (_in(labels.fields[path], lang) for path in assessment.irrelevant)
        lines.append(f"{words['not_needed']}: {', '.join(names)}")
    return "\n".join(lines)
