"""Human-readable text for citations, decisions and assessments, in Swedish or English."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._contract import Citation, Decision, Permit
from ._record import DecisionRecord
from ._types import Lang

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ._assess import Assessment
    from ._tables._format import CaseQuestion

_ORDINAL_SV = ("första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde")

_WORDS: dict[Lang, dict[str, str]] = {
    "sv": {
        "outcome": "Utfall",
        "grant": "beviljas (ska beviljas)",
        "may_grant": "får beviljas (skönsmässigt)",
        "refuse": "avslag (villkoren är inte uppfyllda)",
        "no_standing": "sökanden saknar rätt att ansöka",
        "needs_review": "behöver granskas (öppen rättsfråga)",
        "reflection_period": "betänketid",
        "evidence_person": "tillstånd för bevisperson",
        "days": "dagar",
        "min_months": "minst {n} månader",
        "basis": "Rättslig grund",
        "rules": "Regler som tillämpats",
        "tables": "Tabeller",
        "questions": "Öppna rättsfrågor",
        "wording": "lydelse",
        "pages": "s.",
        "context": "sammanhang",
        "possible": "Möjliga utfall",
        "completions": "{n} av {total} kombinationer av det okända",
        "decided": "Ärendet är avgjort av det som är känt.",
        "ask": "Frågor som fortfarande avgör (den bästa först)",
        "not_needed": "Behöver inte frågas",
        "decision_date": "Beslutsdag",
        "assumed": "(i dag, antagen)",
        "reference": "Referens",
        "decided_by": "Avgjort av",
        "table_set": "tabelluppsättningens sha256",
    },
    "en": {
        "outcome": "Outcome",
        "grant": "grant (shall be granted)",
        "may_grant": "may grant (discretionary)",
        "refuse": "refuse (conditions not met)",
        "no_standing": "no standing (this applicant may not apply for this permit)",
        "needs_review": "needs review (open legal question)",
        "reflection_period": "reflection period",
        "evidence_person": "evidence-person permit",
        "days": "days",
        "min_months": "at least {n} months",
        "basis": "Legal basis",
        "rules": "Rules fired",
        "tables": "Tables",
        "questions": "Open legal questions",
        "wording": "wording",
        "pages": "p.",
        "context": "context",
        "possible": "Possible outcomes",
        "completions": "{n} of {total} combinations of the unknowns",
        "decided": "The case is decided by what is known.",
        "ask": "Questions that still decide it (the best first)",
        "not_needed": "Need not be asked",
        "decision_date": "Decision date",
        "assumed": "(today, assumed)",
        "reference": "Reference",
        "decided_by": "Decided by",
        "table_set": "table set sha256",
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


def format_citation(citation: Citation, lang: Lang = "sv") -> str:
    """One citation as a reviewer would write it.

    >>> c = Citation(act="2005:716", chapter=5, section="15", paragraph=1, point=2,
    ...              wording="SFS 2007:322", status="confirmed", source="SRC-02", url=None,
    ...              title="Utlänningslag (2005:716)")
    >>> print(format_citation(c, "sv"))
    5 kap. 15 § första stycket 2, Utlänningslag (2005:716), lydelse SFS 2007:322
    [confirmed, SRC-02]
    >>> print(format_citation(c, "en"))
    chapter 5 section 15 paragraph 1 point 2, Utlänningslag (2005:716), wording SFS 2007:322
    [confirmed, SRC-02]
    """
    words = _WORDS[lang]
    role = f", {words['context']}" if citation.role == "context" else ""
    tag = f"[{citation.status}, {citation.source}{role}]"
    if citation.act is None:
        pages = f" {words['pages']} {citation.pages}" if citation.pages else ""
        return f"{citation.wording}{pages} {tag}"
    parts = provision_parts(
        citation.chapter,
        citation.section,
        citation.paragraph,
        citation.sentence,
        citation.point,
        lang,
    )
    act = citation.title or citation.act
    return f"{' '.join(parts)}, {act}, {words['wording']} {citation.wording} {tag}"


def _result(outcome: str, permit: Permit | None, lang: Lang) -> str:
    words = _WORDS[lang]
    text = words[outcome]
    if permit is not None:
        details = [words[permit.type]]
        if permit.days is not None:
            details.append(f"{permit.days} {words['days']}")
        if permit.min_months is not None:
            details.append(words["min_months"].format(n=permit.min_months))
        text += f" — {', '.join(details)}"
    return text


def render_decision(decision: Decision, lang: Lang = "sv") -> str:
    """A decision as readable text: outcome, permit, explanation, legal basis, trace summary."""
    words = _WORDS[lang]
    headline = f"{words['outcome']}: {_result(decision.outcome, decision.permit, lang)}"
    explanation = decision.explanation.sv if lang == "sv" else decision.explanation.en
    lines = [headline, explanation, f"{words['basis']}:"]
    lines += [f"  - {format_citation(citation, lang)}" for citation in decision.legal_basis]
    lines.append(f"{words['rules']}: {', '.join(decision.rules_fired)}")
    tables = ", ".join(f"{table.id}@{table.version}" for table in decision.tables)
    lines.append(f"{words['tables']}: {tables}")
    if decision.open_questions:
        lines.append(f"{words['questions']}: {', '.join(decision.open_questions)}")
    return "\n".join(lines)


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
        lines.append(f"  - {_result(result.outcome, result.permit, lang)}: {share}")
        if not assessment.decided:
            lines += [f"      {region}" for region in result.regions]
    if assessment.questions:
        lines.append(f"{words['ask']}:")
        for number, path in enumerate(assessment.questions, start=1):
            asked = catalogue.get(path) if catalogue else None
            text = f"{getattr(asked.question, lang)} ({path})" if asked else path
            lines.append(f"  {number}. {text}")
    if assessment.irrelevant:
        lines.append(f"{words['not_needed']}: {', '.join(assessment.irrelevant)}")
    return "\n".join(lines)
