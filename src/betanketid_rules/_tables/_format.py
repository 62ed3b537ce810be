"""The table file format, defined once as pydantic models.

``betanketid-rules schema tables`` writes the JSON Schema of :class:`TableFile` so editors can
validate the YAML files under ``tables/``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .._contract import Status

CellScalar = str | bool | int | None

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
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(_Strict):
    """A text in Swedish and English."""

    sv: str = Field(min_length=1)
    en: str = Field(min_length=1)


class PreparatoryWorkRef(_Strict):
    """A page reference into a preparatory work (proposition, inquiry, committee report)."""

    source: str = Field(description="Source registry id, e.g. SRC-09.")
    pages: str | None = Field(None, description="Page or pages, e.g. '119' or '93-94'.")


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


class InputColumn(_Strict):
    """An input column: a case field, an upstream table's output or a derived value."""

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

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    family: str = Field(pattern=_ID)
    title: Bilingual
    in_force_from: dt.date
    in_force_to: dt.date | None = Field(description="Last day in force (inclusive), or null.")
    encodes: str = Field(description="Registry id of the act whose wording this table encodes.")
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
    brief_label: str | None = Field(None, description="The brief's evidence label, e.g. [C].")
    open_question: str | None = Field(
        None, description="The open question that names what is not known about this source."
    )
    note: str | None = None


class SourceRegistry(_Strict):
    """``tables/sources.yaml``."""

    sources: tuple[Source, ...]


class OpenQuestion(_Strict):
    """An open legal question from the brief that some rows rest on."""

    id: str = Field(pattern=r"^Q[0-9A-Z-]+$")
    brief_ref: str
    question: str
    why_it_matters: str
    where_to_verify: str
    rows: tuple[str, ...] = Field(
        description="'<family>@<version>/<row id>' of every row resting on it."
    )


class OpenQuestions(_Strict):
    """``tables/open-questions.yaml``."""

    questions: tuple[OpenQuestion, ...]
