"""What the form's pages show, in words, read from a decision or an assessment and the tables.

Every sentence about the law here is a row's note, a vocabulary label, a question of the
catalogue, a source's own entry or a provision spelled out from a citation; this module only
picks them and puts them in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .._assess import Assessment
from .._contract import Citation, Decision, TraceStep
from .._render import _result, provision_parts
from .._tables import TableSet
from .._tables._columns import CaseField
from .._tables._evaluate import result_at
from .._tables._format import Bilingual, Row, Source, TableCitation, Vocabulary
from .._types import Lang, Status
from ._flow import Answers
from ._texts import texts


@dataclass(frozen=True)
class Provision:
    """One provision a text rests on, in words, with how firm its source is."""

    text: str
    status: str
    status_meaning: str
    source: str
    url: str | None


@dataclass(frozen=True)
class Point:
    """A statement shown with its provisions: a condition, a rule, an effect."""

    text: str
    status: str
    provisions: tuple[Provision, ...]
    label: str = ""
    unanswered: bool = False
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sending:
    """How the application is sent, from a source's ``submission``."""

    text: str
    form: str | None
    form_title: str | None
    email: str | None
    fax: str | None
    source: str
    url: str | None


@dataclass(frozen=True)
class DecidedView:
    """The result page of a decided case."""

    decision: Decision
    headline: str
    #: Who applies and for what, by the vocabulary's labels.
    context: str
    explanation: str
    answers: tuple[tuple[str, str], ...]
    who: tuple[Point, ...]
    met: tuple[Point, ...]
    unmet: tuple[Point, ...]
    sending: tuple[Sending, ...]
    effects: tuple[Point, ...]
    extension: tuple[Point, ...]
    #: What a refusal of the same application would bring (how it can be appealed).
    if_refused: tuple[Point, ...]
    open_questions: tuple[str, ...]
    draft: bool
    rules: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class PossibleView:
    """One result an undecided case can still come to, and where."""

    headline: str
    where: tuple[str, ...]
    open_questions: tuple[str, ...]


@dataclass(frozen=True)
class UndecidedView:
    """The result page of a case the answers leave undecided."""

    possible: tuple[PossibleView, ...]
    settle: tuple[str, ...]
    answers: tuple[tuple[str, str], ...]


def _in(text: Bilingual, lang: Lang) -> str:
    return text.sv if lang == "sv" else text.en


def _vocabulary(table_set: TableSet) -> Vocabulary:
    vocabulary = table_set.vocabulary
    assert vocabulary is not None  # a complete table set has one
    return vocabulary


def capitalised(text: str) -> str:
    """``text`` with its first letter upper-case.

    >>> capitalised("ska beviljas")
    'Ska beviljas'
    """
    return text[:1].upper() + text[1:]


def provision(table_set: TableSet, citation: Citation | TableCitation, lang: Lang) -> Provision:
    """A citation in words: the provision and the act by name, and its source's firmness.

    >>> from betanketid_rules._tables import default_table_set
    >>> table_set = default_table_set()
    >>> cited = table_set.catalogue["facts.ties_broken"].citations[0]
    >>> found = provision(table_set, cited, "sv")
    >>> found.text, found.status
    ('5 kap. 15 § första stycket 3 utlänningslagen (2005:716)', 'bekräftad')
    """
    vocabulary = _vocabulary(table_set)
    source: Source | None = table_set.sources.get(citation.source)
    act_id = citation.act
    if isinstance(citation, TableCitation):  # a registry id: the act's SFS number names it
        registered = table_set.sources.get(citation.act)
        act_id = registered.sfs if registered and registered.sfs else citation.act
    named = vocabulary.acts.get(act_id or "")
    parts = provision_parts(
        citation.chapter,
        citation.section,
        citation.paragraph,
        citation.sentence,
        citation.point,
        lang,
    )
    if named is not None:
        act = _in(named, lang)
        text = " ".join(parts) + (f" {act}" if lang == "sv" else f" of {act}")
    else:
        text = _in(source.short, lang) if source and source.short else citation.source
        pages = getattr(citation, "pages", None)
        if pages:
            text += f" s. {pages}" if lang == "sv" else f" p. {pages}"
    if citation.role == "context":
        text += f" ({_in(vocabulary.roles['context'], lang)})"
    status = vocabulary.statuses[citation.status]
    return Provision(
        text=text.strip(),
        status=_in(status.label, lang),
        status_meaning=_in(status.meaning, lang),
        source=(_in(source.short, lang) if source and source.short else source.title)
        if source
        else citation.source,
        url=source.url if source else None,
    )


def _status(table_set: TableSet, status: Status, lang: Lang) -> str:
    return _in(_vocabulary(table_set).statuses[status].label, lang)


def _row(table_set: TableSet, step: TraceStep, row_id: str) -> Row:
    table = table_set.table(f"{step.table}@{step.version}")
    return table.spec.rows[table.row_index[row_id]]


def _fields(table_set: TableSet, step: TraceStep, row: Row) -> tuple[str, ...]:
    """The case fields (below ``person`` and ``facts``) a row's conditions read."""
    table = table_set.table(f"{step.table}@{step.version}")
    found = []
    for column in table.columns:
        source = column.source
        if (
            column.name in row.when
            and isinstance(source, CaseField)
            and source.path.startswith(("person.", "facts."))
        ):
            found.append(source.path)
    return tuple(found)


def _point(
    table_set: TableSet, step: TraceStep, row_id: str, answers: Answers, lang: Lang
) -> Point:
    row = _row(table_set, step, row_id)
    fields = _fields(table_set, step, row)
    return Point(
        text=_in(row.note, lang),
        status=_status(table_set, row.status, lang),
        provisions=tuple(provision(table_set, citation, lang) for citation in row.citations),
        unanswered=any(path not in answers.known for path in fields),
        fields=fields,
    )


def answer_words(table_set: TableSet, answers: Answers, lang: Lang) -> tuple[tuple[str, str], ...]:
    """Each answer given, as the field's label and the value's label ("vet inte" for one
    answered so).

    >>> import datetime as dt
    >>> from betanketid_rules._tables import default_table_set
    >>> answers = Answers("board", dt.date(2024, 2, 1), {"person.in_sweden": True},
    ...                   ("facts.ties_broken",))
    >>> answer_words(default_table_set(), answers, "en")
    (('staying in Sweden', 'yes'), ('all ties with the suspects broken', "don't know"))
    """
    vocabulary = _vocabulary(table_set)
    shown: list[tuple[str, str]] = []
    for path, value in answers.known.items():
        shown.append((_in(vocabulary.fields[path], lang), vocabulary.label(path, value, lang)))
    for path in answers.unknown:
        shown.append((_in(vocabulary.fields[path], lang), texts().word("not_known", lang)))
    return tuple(shown)


def sendings(table_set: TableSet, applicant: str, lang: Lang) -> tuple[Sending, ...]:
    """How ``applicant`` sends an application, from every source that says so.

    >>> from betanketid_rules._tables import default_table_set
    >>> [s.form for s in sendings(default_table_set(), "social_welfare_board", "sv")]
    ['195011']
    """
    found = []
    for source in table_set.sources.values():
        submission = source.submission
        if submission is not None and submission.applicant == applicant:
            found.append(
                Sending(
                    text=_in(submission.text, lang),
                    form=submission.form,
                    form_title=submission.form_title,
                    email=submission.email,
                    fax=submission.fax,
                    source=source.title,
                    url=source.url,
                )
            )
    return tuple(found)


def _extension(
    table_set: TableSet, decision: Decision, permit: str, lang: Lang
) -> tuple[Point, ...]:
    """Who may apply to extend the permit: the notes of the rows of the standing table in
    force that concern its extension."""
    vocabulary = _vocabulary(table_set)
    extended = vocabulary.extensions.get(permit)  # type: ignore[call-overload]
    if extended is None:
        return ()
    standing = next(
        (step for step in decision.trace if step.table == decision.trace[0].table), None
    )
    if standing is None:  # pragma: no cover (every decision starts with its standing table)
        return ()
    table = table_set.table(f"{standing.table}@{standing.version}")
    points = []
    for row in table.spec.rows:
        allowed = row.when.get("permit")
        values = allowed if isinstance(allowed, list) else [allowed]
        if extended in values:
            points.append(
                Point(
                    text=_in(row.note, lang),
                    status=_status(table_set, row.status, lang),
                    provisions=tuple(provision(table_set, c, lang) for c in row.citations),
                )
            )
    return tuple(points)


def _if_refused(table_set: TableSet, decision: Decision, lang: Lang) -> tuple[Point, ...]:
    """What a refusal of the same application would bring instead (how it can be appealed):
    the rows the tables read after the outcome fire with the outcome ``refuse`` and the same
    other inputs, less those that fire for the decision itself."""
    if decision.outcome == "refuse":
        return ()
    vocabulary = _vocabulary(table_set)
    fired_now = {(step.table, row.id) for step in decision.trace for row in step.fired}
    points = []
    for step in decision.trace:
        if "outcome" not in step.inputs:
            continue
        table = table_set.table(f"{step.table}@{step.version}")
        values = {**step.inputs, "outcome": "refuse"}
        result = result_at(table, tuple(values[name] for name in table.column_names))
        for index in result.fired:
            row = table.spec.rows[index]
            if (step.table, row.id) in fired_now:
                continue
            label = "; ".join(
                vocabulary.output_words(column, [value], lang) for column, value in row.then.items()
            )
            points.append(
                Point(
                    label=capitalised(label),
                    text=_in(row.note, lang),
                    status=_status(table_set, row.status, lang),
                    provisions=tuple(provision(table_set, c, lang) for c in row.citations),
                )
            )
    return tuple(points)


def _effects(table_set: TableSet, decision: Decision, lang: Lang) -> tuple[Point, ...]:
    vocabulary = _vocabulary(table_set)
    points = []
    for effect in decision.effects:
        column = next(
            (name for name, values in vocabulary.outputs.items() if effect.effect in values),
            "",
        )
        points.append(
            Point(
                label=capitalised(vocabulary.output_words(column, [effect.effect], lang)),
                text=effect.text_sv if lang == "sv" else effect.text_en,
                status=_status(table_set, effect.status, lang),
                provisions=tuple(provision(table_set, c, lang) for c in effect.citations),
            )
        )
    return tuple(points)


def _questions(table_set: TableSet, ids: tuple[str, ...], lang: Lang) -> tuple[str, ...]:
    return tuple(
        _in(table_set.questions[q].question, lang) if q in table_set.questions else q
        for q in dict.fromkeys(ids)
    )


def decided_view(
    table_set: TableSet, answers: Answers, decision: Decision, lang: Lang
) -> DecidedView:
    """The result page of a decided case, from its decision and the tables.

    >>> import datetime as dt
    >>> from betanketid_rules._tables import default_table_set
    >>> from ._flow import decision_of
    >>> answers = Answers("leader", dt.date(2024, 2, 1), {"applicant":
    ...     "preliminary_investigation_leader", "permit": "evidence_person"})
    >>> table_set = default_table_set()
    >>> view = decided_view(table_set, answers, decision_of(table_set, answers), "en")
    >>> view.headline, len(view.unmet) > 0, view.draft
    ('Refused (the conditions are not met)', True, False)
    """
    vocabulary = _vocabulary(table_set)
    case_applicant = str(answers.known.get("applicant", ""))
    who: list[Point] = []
    met: list[Point] = []
    unmet: list[Point] = []
    for step in decision.trace:
        if step.conditions_met or step.conditions_unmet:
            met += [_point(table_set, step, c.id, answers, lang) for c in step.conditions_met]
            unmet += [_point(table_set, step, c.id, answers, lang) for c in step.conditions_unmet]
        elif step is decision.trace[0]:
            who += [_point(table_set, step, row.id, answers, lang) for row in step.fired]
    outcome_grants = decision.permit is not None
    questions = [*decision.open_questions]
    questions += [q for effect in decision.effects for q in effect.open_questions]
    permit = str(answers.known.get("permit", ""))
    how_to_send = sendings(table_set, case_applicant, lang)
    return DecidedView(
        decision=decision,
        headline=capitalised(_result(decision.outcome, decision.permit, lang, vocabulary)),
        context="; ".join(
            vocabulary.field_words(path, [answers.known[path]], lang)
            for path in ("applicant", "permit")
            if path in answers.known
        ),
        explanation=decision.explanation.sv if lang == "sv" else decision.explanation.en,
        answers=answer_words(table_set, answers, lang),
        who=tuple(who),
        met=tuple(met),
        unmet=tuple(unmet),
        sending=how_to_send if decision.outcome != "no_standing" else (),
        effects=_effects(table_set, decision, lang),
        extension=_extension(table_set, decision, permit, lang) if outcome_grants else (),
        if_refused=_if_refused(table_set, decision, lang) if outcome_grants else (),
        open_questions=_questions(table_set, tuple(questions), lang),
        draft=outcome_grants and bool(how_to_send),
        rules=decision.rules_fired,
    )


def undecided_view(
    table_set: TableSet, answers: Answers, assessment: Assessment, lang: Lang
) -> UndecidedView:
    """The result page of a case still undecided: what it can come to, and what settles it.

    >>> import datetime as dt
    >>> from betanketid_rules._tables import default_table_set
    >>> from ._flow import assessment_of
    >>> answers = Answers("board", dt.date(2024, 2, 1), {"applicant": "social_welfare_board",
    ...     "permit": "reflection_period"})
    >>> table_set = default_table_set()
    >>> view = undecided_view(table_set, answers, assessment_of(table_set, answers), "en")
    >>> view.settle[0]
    'What is there reason to believe the person was subjected to?'
    """
    vocabulary = _vocabulary(table_set)
    possible = []
    for result in assessment.results:
        where = []
        for region in result.where:
            parts = [
                vocabulary.field_words(
                    path, allowed if isinstance(allowed, list) else [allowed], lang
                )
                for path, allowed in region.items()
            ]
            where.append("; ".join(parts))
        possible.append(
            PossibleView(
                headline=capitalised(_result(result.outcome, result.permit, lang, vocabulary)),
                where=tuple(where),
                open_questions=_questions(table_set, result.open_questions, lang),
            )
        )
    settle = tuple(_in(table_set.catalogue[path].question, lang) for path in assessment.questions)
    return UndecidedView(tuple(possible), settle, answer_words(table_set, answers, lang))


@dataclass(frozen=True)
class DraftView:
    """What an application must show, as far as the tables and sources say, box by box."""

    applicant: str
    permit: str
    basis: tuple[Provision, ...]
    facts: tuple[Point, ...]
    sending: tuple[Sending, ...]


def _field_label(table_set: TableSet, answers: Answers, paths: tuple[str, ...], lang: Lang) -> str:
    vocabulary = _vocabulary(table_set)
    return "; ".join(
        vocabulary.field_words(path, [answers.known[path]], lang)
        for path in paths
        if path in answers.known
    )


def draft_view(table_set: TableSet, answers: Answers, decision: Decision, lang: Lang) -> DraftView:
    """The application draft of a decided case whose applicant can obtain the permit: the
    applicant, the permit, the legal basis, one box for the facts behind each condition the
    case rests on (who may apply, then each condition met), and how it is sent.

    >>> import datetime as dt
    >>> from betanketid_rules._tables import default_table_set
    >>> from ._flow import decision_of
    >>> answers = Answers("board", dt.date(2024, 2, 1), {"applicant": "social_welfare_board",
    ...     "permit": "reflection_period", "facts.presumed_offence": "trafficking",
    ...     "person.in_sweden": True, "facts.needed_for_investigation": True,
    ...     "facts.wants_reflection_period": True})
    >>> table_set = default_table_set()
    >>> sheet = draft_view(table_set, answers, decision_of(table_set, answers), "en")
    >>> sheet.applicant, sheet.permit, sheet.facts[0].label.split(": ")[1]
    ('The social welfare board', 'A reflection period', 'trafficking')
    """
    vocabulary = _vocabulary(table_set)
    applicant = str(answers.known.get("applicant", ""))
    facts: list[Point] = []
    for step in decision.trace:
        if step.conditions_met or step.conditions_unmet:
            for check in step.conditions_met:
                point = _point(table_set, step, check.id, answers, lang)
                label = _field_label(table_set, answers, point.fields, lang)
                facts.append(Point(point.text, point.status, point.provisions, label))
        elif step is decision.trace[0]:
            for row in step.fired:
                point = _point(table_set, step, row.id, answers, lang)
                if point.fields:  # a condition on the person or the facts, to be shown
                    label = _field_label(table_set, answers, point.fields, lang)
                    basis = tuple(
                        provision(table_set, c, lang)
                        for c in _row(table_set, step, row.id).citations
                        if c.role == "basis"
                    )
                    facts.append(Point(point.text, point.status, basis, label))
    asked = answers.known.get("permit")
    permit = "" if asked is None else capitalised(vocabulary.label("permit", asked, lang))
    return DraftView(
        applicant=capitalised(vocabulary.label("applicant", applicant, lang)),
        permit=permit,
        basis=tuple(
            provision(table_set, c, lang) for c in decision.legal_basis if c.role == "basis"
        ),
        facts=tuple(facts),
        sending=sendings(table_set, applicant, lang),
    )
