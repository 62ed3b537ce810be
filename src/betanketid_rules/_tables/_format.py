"""The table file format, defined once as pydantic models.

``betanketid-rules schema tables`` writes the JSON Schema of :class:`TableFile` so editors can
validate the YAML files under ``tables/``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .._types import (
    Applicant,
    CellScalar,
    CitationRole,
    Matter,
    Outcome,
    PermitRequested,
    PermitType,
    Status,
)

HitPolicy = Literal["UNIQUE", "FIRST", "PRIORITY", "COLLECT"]
Aggregation = Literal["LIST", "COUNT", "MAX", "MIN"]
SourceKind = Literal[
    "statute",
    "amendment",
    "ordinance",
    "preparatory_work",
    "inquiry_report",
    "committee_report",
    "convention",
    "directive",
    "case_law",
    "guidance",
    "report",
    "commentary",
    "register",
]

_ID = r"^[a-z0-9][a-z0-9-]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Bilingual(_Strict):
    """A text in Swedish and English."""

    sv: str = Field(min_length=1)
    en: str = Field(min_length=1)


class PreparatoryWorkRef(_Strict):
    """A page reference into a preparatory work (proposition, inquiry, committee report).

    It is always context: it explains the provision cited and never lowers the row's status.
    """

    source: str = Field(description="Source registry id, e.g. SRC-09.")
    pages: str | None = Field(None, description="Page or pages, e.g. '119' or '93-94'.")
    status: Status = Field(description="How firm the reference is, by the rule of _status.py.")


class TableCitation(_Strict):
    """A citation as written in a table file; ids resolve in ``tables/sources.yaml``."""

    act: str = Field(description="Registry id of the act cited, e.g. UTLL.")
    chapter: int | None = None
    section: str | None = None
    paragraph: int | None = Field(None, description="Stycke, 1-based.")
    sentence: int | None = Field(None, description="Mening, 1-based.")
    point: int | None = Field(None, description="Punkt, 1-based.")
    wording: str = Field(description="Registry id of the act whose wording is cited.")
    source: str = Field(description="Registry id of the source the content was read in.")
    role: CitationRole = Field(
        description="'basis': a provision the row's outcome rests on (the row's status is its "
        "weakest basis citation); 'context': guidance, reports, preparatory works and the like, "
        "shown beside the basis without lowering the row."
    )
    status: Status
    preparatory_works: tuple[PreparatoryWorkRef, ...] = ()


class Row(_Strict):
    """One rule: conditions on the inputs (``when``), outputs (``then``) and its legal basis."""

    id: str = Field(pattern=_ID, description="Unique in the table, stable across versions.")
    when: dict[str, CellScalar | list[CellScalar]] = Field(
        default_factory=dict,
        description="Column -> value or list of values; a column left out matches any value.",
    )
    then: dict[str, CellScalar]
    status: Status
    open_questions: tuple[str, ...] = ()
    citations: tuple[TableCitation, ...] = Field(min_length=1)
    note: Bilingual

    @property
    def conditions(self) -> dict[str, tuple[CellScalar, ...]]:
        """``when`` with every cell as a tuple of the values it accepts, in the file's order.

        >>> Row.model_validate({"id": "r", "when": {"a": 1, "b": [2, 3]}, "then": {},
        ...     "status": "inferred", "citations": [{"act": "X", "wording": "X", "source": "X",
        ...     "role": "basis", "status": "inferred"}], "note": {"sv": "s", "en": "e"}}
        ... ).conditions
        {'a': (1,), 'b': (2, 3)}
        """
        return {
            column: tuple(cell) if isinstance(cell, list) else (cell,)
            for column, cell in self.when.items()
        }


class InputColumn(_Strict):
    """An input column: a case field, an upstream table's output or a derived value."""

    # Written as the table file writes it (``from``), so a dump validates as a table again.
    model_config = ConfigDict(
        extra="forbid", frozen=True, defer_build=True, serialize_by_alias=True
    )

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    source: str = Field(
        alias="from",
        description="'case.<path>', '<family>.<output>' or 'derived.<name>'.",
    )


class OutputColumn(_Strict):
    """An output column with its finite set of values (their order is PRIORITY's order)."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    values: tuple[CellScalar, ...] = Field(min_length=1)
    default: CellScalar = Field(
        None, description="Value of an aggregated COLLECT output when no row fires."
    )


class TableFile(_Strict):
    """One table: a decision step as worded from ``in_force_from`` to ``in_force_to``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, populate_by_name=True)

    family: str = Field(pattern=_ID)
    title: Bilingual
    in_force_from: dt.date
    in_force_to: dt.date | None = Field(description="Last day in force (inclusive), or null.")
    encodes: str = Field(description="Registry id of the act whose wording this table encodes.")
    matter: Matter = Field(
        "application",
        description="The matter the table decides a step of: `application` (the default) or "
        "`revocation`; a table reads only tables of its own matter.",
    )
    hit_policy: HitPolicy
    aggregation: Aggregation | None = Field(
        None, description="COLLECT only: LIST, COUNT, or MAX/MIN by the output's value order."
    )
    condition_scope: tuple[str, ...] = Field(
        (),
        description="Set on tables whose rows are legal conditions: a fired row is a condition "
        "not met; a row whose scope columns match but which does not fire is a condition met.",
    )
    inputs: tuple[InputColumn, ...] = Field(min_length=1)
    outputs: tuple[OutputColumn, ...] = Field(min_length=1)
    rows: tuple[Row, ...] = Field(min_length=1)

    @field_validator("in_force_from", "in_force_to", mode="before")
    @classmethod
    def _date_only(cls, value: object) -> object:
        if isinstance(value, dt.datetime):
            raise ValueError("expected a date (YYYY-MM-DD), not a date and time")
        return value


class TextRead(_Strict):
    """How and when the text of a source was read; a basis citation may be ``confirmed`` only
    when its source has this record and is a statute, an amendment or an ordinance."""

    on: dt.date | None = Field(description="The day it was read, if recorded.")
    via: str = Field(min_length=1, description="Where it was read (an edition or a mirror).")
    commit: str | None = Field(None, description="The mirror's commit, where it has one.")


class Location(_Strict):
    """Another place where a source is published."""

    name: str = Field(min_length=1)
    url: str = Field(min_length=1)


class RegisterEntry(_Strict):
    """An amending act's entry in the register of amending acts (SFSR)."""

    prop: str | None = None
    bet: str | None = None
    rskr: str | None = None
    amends: str | None = Field(None, description="The entry's scope (omfattning), as read.")
    read_in: str = Field(description="Registry id of the source the entry was read in.")


class PagesCited(_Strict):
    """A page reference a source makes to a preparatory work, as read in that source (e.g. a
    report's footnote citing a bill's page). A table may give a page of a preparatory work only
    where the source it read the citation in records citing that page (``check``)."""

    work: str = Field(description="Registry id of the preparatory work cited.")
    pages: str = Field(min_length=1, description="The page or pages cited, as written there.")
    at: str | None = Field(None, description="Where the source cites it, e.g. 'footnote 7'.")


class Submission(_Strict):
    """How a guidance source says an application is sent: by whom, on which of the
    authority's forms, to which address (only what the source states; unknown is null)."""

    applicant: Applicant = Field(description="Who sends it (a value of the case's applicant).")
    form: str | None = Field(
        None, description="The authority's form number, as the source gives it."
    )
    form_title: str | None = Field(None, description="The form's title, as the source gives it.")
    email: str | None = Field(None, description="The e-mail address it is sent to.")
    fax: str | None = Field(None, description="A fax number the source also gives.")
    text: Bilingual = Field(description="How it is sent, in words (shown to the one applying).")


class Source(_Strict):
    """An entry of the legal source registry ``tables/sources.yaml``."""

    id: str = Field(pattern=r"^[A-Z][A-Z0-9-]*$")
    title: str
    kind: SourceKind
    sfs: str | None = Field(None, description="SFS number where the source is a Swedish act.")
    short: Bilingual | None = Field(None, description="Short name used in citations.")
    date: dt.date | None = Field(None, description="Issue or publication date, if known.")
    in_force_from: dt.date | None = None
    in_force_to: dt.date | None = None
    url: str | None = None
    also_at: tuple[Location, ...] = ()
    consolidated_through: str | None = Field(
        None, description="A consolidated text: the last amending act (SFS) it includes."
    )
    register_entry: RegisterEntry | None = None
    text_read: TextRead | None = None
    brief_label: str | None = Field(None, description="The brief's evidence label, e.g. [C].")
    open_question: str | None = Field(
        None, description="The open question that names what is not known about this source."
    )
    pages_cited: tuple[PagesCited, ...] = Field(
        (), description="The pages of preparatory works this source cites, as read in it."
    )
    note: Bilingual | None = None
    submission: Submission | None = Field(
        None, description="Guidance on sending an application: how, on which form, where."
    )


class SourceRegistry(_Strict):
    """``tables/sources.yaml``."""

    sources: tuple[Source, ...]


class Answer(_Strict):
    """What settled a question, or the part of it that has been answered."""

    text: Bilingual
    sources: tuple[str, ...] = Field(min_length=1, description="Registry ids of what settled it.")
    read_on: dt.date | None = Field(None, description="When those sources were read.")


class OpenQuestion(_Strict):
    """A legal question from the brief: open (some rows or sources rest on it) or settled (kept
    as a record of what settled it; no row may rest on it).

    Which rows rest on a question is said once, by the rows (``open_questions``); the table
    set answers the other way round (:meth:`TableSet.rows_resting_on`)."""

    id: str = Field(pattern=r"^Q[0-9A-Z-]+$")
    state: Literal["open", "settled"]
    brief_ref: str
    question: Bilingual = Field(description="What is still open, or, when settled, what was asked.")
    why_it_matters: Bilingual
    where_to_verify: Bilingual | None = Field(None, description="Open questions: where to look.")
    answered: Answer | None = Field(
        None, description="Settled: what settled it. Open: the part already answered, if any."
    )

    @model_validator(mode="after")
    def _state_fits(self) -> OpenQuestion:
        if self.state == "settled":
            if self.answered is None:
                raise ValueError("a settled question needs 'answered': what settled it")
        elif self.where_to_verify is None:
            raise ValueError("an open question needs 'where_to_verify'")
        return self


class OpenQuestions(_Strict):
    """``tables/open-questions.yaml``."""

    questions: tuple[OpenQuestion, ...]


class CaseQuestion(_Strict):
    """The question a form or a questionnaire asks for one field of the case."""

    field: str = Field(description="The case field, by dotted path (facts.ties_broken).")
    question: Bilingual
    help: Bilingual = Field(description="What the answer means; cited where it states law.")
    citations: tuple[TableCitation, ...] = Field(
        (), description="The provisions and guidance the help text states, as a row cites them."
    )


class QuestionCatalogue(_Strict):
    """``tables/questions.yaml``: one question per case field an assessment may ask."""

    questions: tuple[CaseQuestion, ...]


class StatusLabel(_Strict):
    """What a status is called and what it means (the legend readers see)."""

    label: Bilingual
    meaning: Bilingual


class Vocabulary(_Strict):
    """``tables/vocabulary.yaml``: every label a reader sees, in Swedish and English.

    The case's values, the outcomes, the permits, the statuses with their meaning, a
    citation's role and the acts as named in running text. ``check`` reports any of them
    without a label (``missing_label``).
    """

    fields: dict[str, Bilingual] = Field(description="Each field of a case, by its path.")
    values: dict[str, dict[str, Bilingual]] = Field(
        description="Field path -> value -> its label, for every field that is not a yes/no."
    )
    booleans: dict[Literal["true", "false"], Bilingual]
    joins: dict[Literal["or", "and"], Bilingual] = Field(description="Words joining a region.")
    derived: dict[str, Bilingual] = Field(
        description="A value derived from the case, by column name; {date} is its day."
    )
    outputs: dict[str, dict[str, Bilingual]] = Field(
        description="Output column -> value -> label, for the outputs tables pass on."
    )
    outcomes: dict[Outcome, Bilingual] = Field(description="Each outcome, as a decision says it.")
    open_values: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Output column -> the values that mean an open legal question decides "
        "(a row giving one must name the question, unless it inherits it from its inputs).",
    )
    modal_verbs: dict[Outcome, Bilingual] = Field(
        default_factory=dict,
        description="The verb a row's note must use for its outcome (ska/shall, får/may).",
    )
    permit_types: dict[PermitType, Bilingual] = Field(description="Each kind of permit granted.")
    extensions: dict[PermitRequested, PermitRequested] = Field(
        default_factory=dict,
        description="A permit applied for -> the permit that extends it (the contract's values).",
    )
    statuses: dict[Status, StatusLabel] = Field(description="Each status and what it means.")
    roles: dict[CitationRole, Bilingual] = Field(description="A citation's role.")
    acts: dict[str, Bilingual] = Field(
        description="Each statute by its SFS number, as named in running text, e.g. "
        "'utlänningslagen (2005:716)'."
    )
    terms_of_art: tuple[str, ...] = Field(
        description="Swedish legal terms English text may keep (in parentheses after the "
        "English word), e.g. socialnämnd, betänketid."
    )

    def label(self, path: str, value: CellScalar, lang: Literal["sv", "en"]) -> str:
        """The label of ``value`` of the field ``path`` in ``lang``."""
        if isinstance(value, bool):
            text = self.booleans["true" if value else "false"]
        else:
            text = self.values[path][str(value)]
        return text.sv if lang == "sv" else text.en

    def _or(self, words: Iterable[str], lang: Literal["sv", "en"]) -> str:
        joined = self.joins["or"]
        return f" {joined.sv if lang == 'sv' else joined.en} ".join(words)

    def field_words(
        self, path: str, values: Iterable[CellScalar], lang: Literal["sv", "en"]
    ) -> str:
        """A case field and the values allowed, in words: ``vistas i Sverige: ja``.

        The one way assessments, diffs and the docs say a condition on a case field.
        """
        label = self.fields[path]
        named = self._or((self.label(path, value, lang) for value in values), lang)
        return f"{label.sv if lang == 'sv' else label.en}: {named}"

    def derived_words(
        self, name: str, values: Iterable[CellScalar], lang: Literal["sv", "en"], day: str
    ) -> str:
        """A derived yes/no value (``day``: the date it compares with) in words."""
        text = self.derived[name]
        label = (text.sv if lang == "sv" else text.en).format(date=day)
        return f"{label}: {self._or((self.label('', bool(v), lang) for v in values), lang)}"

    def output_words(
        self, output: str, values: Iterable[CellScalar], lang: Literal["sv", "en"]
    ) -> str:
        """The values a table passes on (or an outcome, a permit type) by their labels; a
        value without a label shows as itself."""
        table: dict[str, Bilingual] = dict(self.outputs.get(output, {}))
        if output == "outcome":
            table.update((str(k), v) for k, v in self.outcomes.items())
        elif output == "permit_type":
            table.update((str(k), v) for k, v in self.permit_types.items())

        def word(value: CellScalar) -> str:
            if isinstance(value, bool):
                return self.label("", value, lang)
            named = table.get(str(value))
            if named is None:
                return "–" if value is None else str(value)
            return named.sv if lang == "sv" else named.en

        return self._or(map(word, values), lang)
