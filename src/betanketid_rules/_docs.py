"""What the documentation shows, derived from a table set (no Sphinx or docutils here).

:mod:`betanketid_rules.sphinx` turns these views into pages. Keeping the derivation apart lets
the same data feed the HTML and the tests that compare the HTML against the tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from ._render import provision_parts
from ._tables import Table, TableSet, _status, default_table_set
from ._tables._columns import CaseField, DerivedValue, UpstreamOutput
from ._tables._format import Row, TableCitation, Vocabulary
from ._types import CellScalar, CitationRole, Lang, Status

LANGS: tuple[Lang, ...] = ("sv", "en")

#: Statuses from firmest to weakest.
STATUSES: tuple[Status, ...] = _status.STATUSES

#: The visible marker of each status: full, half and empty circle, firmest first.
STATUS_MARK: dict[Status, str] = {"confirmed": "●", "secondary": "◐", "inferred": "○"}

#: How a row's status follows from its citations (the rule of ``_tables/_status.py``).
STATUS_RULE: dict[Lang, str] = {
    "sv": "Varje hänvisning är antingen grund (en bestämmelse som radens utfall vilar på) eller "
    "sammanhang (förarbeten, vägledning, rapporter, kommentarer, registret, konventioner, "
    "direktiv). En rads status är den svagaste statusen bland dess grunder; hänvisningar till "
    "sammanhang har egen status och sänker inte raden. betanketid-rules check håller regeln.",
    "en": "Every citation is either basis (a provision the row's outcome rests on) or context "
    "(preparatory works, guidance, reports, commentary, the register, conventions, directives). "
    "A row's status is the weakest status among its basis citations; context citations carry "
    "their own status and do not lower the row. betanketid-rules check enforces the rule.",
}

#: A citation's role as shown beside it.
ROLE_LABEL: dict[CitationRole, dict[Lang, str]] = {
    "basis": {"sv": "grund", "en": "basis"},
    "context": {"sv": "sammanhang", "en": "context"},
}

HIT_POLICY_MEANING: dict[str, dict[Lang, str]] = {
    "UNIQUE": {
        "sv": "Exakt en rad träffar varje tänkbar indata.",
        "en": "Exactly one row matches every possible input.",
    },
    "FIRST": {
        "sv": "Den första raden som träffar, i tabellens ordning, gäller.",
        "en": "The first matching row, in table order, applies.",
    },
    "PRIORITY": {
        "sv": "Av de rader som träffar gäller den vars utdata står först i utdatakolumnens "
        "värdelista.",
        "en": "Of the matching rows, the one whose output comes first in the output column's "
        "list of values applies.",
    },
    "COLLECT": {
        "sv": "Alla rader som träffar gäller och deras utdata sammanställs.",
        "en": "Every matching row applies and their outputs are combined.",
    },
}

AGGREGATION_MEANING: dict[str, dict[Lang, str]] = {
    "LIST": {"sv": "som en lista", "en": "as a list"},
    "COUNT": {"sv": "som ett antal", "en": "as a count"},
    "MAX": {
        "sv": "till det värde som står sist i värdelistan",
        "en": "into the value that comes last in the list of values",
    },
    "MIN": {
        "sv": "till det värde som står först i värdelistan",
        "en": "into the value that comes first in the list of values",
    },
}


#: What a source is to the row that names it.
Role = Literal["act", "wording", "source", "preparatory work", "encoded wording"]


def row_key(table: Table, row: Row) -> str:
    """``family@version/row``, the name a reviewer uses for a row (:meth:`Table.row_key`)."""
    return table.row_key(row.id)


def rows(table_set: TableSet) -> Iterator[tuple[Table, Row]]:
    """Every row of every table version, in evaluation order and by date."""
    for table in table_set:
        for row in table.spec.rows:
            yield table, row


def format_value(value: CellScalar) -> str:
    """A cell value as written in a table file (``null``, ``true``, ``30``, ``trafficking``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def format_cell(column: str, values: tuple[CellScalar, ...]) -> str:
    """One condition of a row (a column of :attr:`Row.conditions <._tables._format.Row>`).

    >>> format_cell("applicant", ("the_person",)), format_cell("x", (True, "a"))
    ('applicant = the_person', 'x ∈ {true, a}')
    """
    if len(values) == 1:
        return f"{column} = {format_value(values[0])}"
    return f"{column} ∈ {{{', '.join(format_value(value) for value in values)}}}"


def cell_in_words(
    table: Table,
    column: str,
    values: Sequence[CellScalar],
    lang: Lang,
    vocabulary: Vocabulary | None = None,
) -> str | None:
    """A row's condition (input ``column``) or output in legal words from the ``vocabulary``
    (by default the package's), or None where it has no label (then only the identifier is
    shown).

    >>> from betanketid_rules._tables import default_table_set
    >>> standing = default_table_set().families["utl-5-15-standing"][-1]
    >>> cell_in_words(standing, "applicant", ("social_welfare_board",), "sv")
    'sökande: socialnämnden'
    >>> cell_in_words(standing, "route", ("board_reflection",), "en")
    'the social welfare board applies for a reflection period'
    """
    if vocabulary is None:
        vocabulary = default_table_set().vocabulary
    if vocabulary is None:
        return None
    found = next((c for c in table.columns if c.name == column), None)
    if found is None:  # an output of this table
        labelled = column in vocabulary.outputs or column in ("outcome", "permit_type")
        return vocabulary.output_words(column, values, lang) if labelled else None
    source = found.source
    if isinstance(source, CaseField) and source.path in vocabulary.fields:
        return vocabulary.field_words(source.path, values, lang)
    if isinstance(source, UpstreamOutput):
        return vocabulary.output_words(source.output, values, lang)
    if isinstance(source, DerivedValue) and column in vocabulary.derived:
        return vocabulary.derived_words(column, values, lang, table.spec.in_force_from.isoformat())
    return None


def source_name(table_set: TableSet, source_id: str, lang: Lang) -> str:
    """The short name of a registry entry (its ``short`` text, else its title)."""
    entry = table_set.sources[source_id]
    if entry.short is not None:
        return entry.short.sv if lang == "sv" else entry.short.en
    return entry.title


def provision(table_set: TableSet, cited: TableCitation, lang: Lang) -> str:
    """The provision a citation points at, as a lawyer writes it.

    Swedish: ``5 kap. 15 § första stycket 2 utlänningslagen``; English:
    ``chapter 5 section 15 paragraph 1 point 2, Aliens Act`` (the form of the decisions'
    text output).
    """
    act = source_name(table_set, cited.act, lang)
    parts = provision_parts(
        cited.chapter, cited.section, cited.paragraph, cited.sentence, cited.point, lang
    )
    if lang == "sv":
        return " ".join([*parts, act])
    return f"{' '.join(parts)}, {act}" if parts else act


@dataclass(frozen=True)
class SourceUse:
    """One place a registry entry is named: a row's citation or a table's encoded wording."""

    source: str
    role: Role
    table: Table
    row: Row | None = None
    status: Status | None = None
    pages: str | None = None

    @property
    def key(self) -> str:
        """The row key, or the table key for a table's encoded wording."""
        return row_key(self.table, self.row) if self.row is not None else self.table.key


def source_uses(table_set: TableSet) -> dict[str, list[SourceUse]]:
    """For every registry id, every place it is named (empty list when nothing names it)."""
    uses: dict[str, list[SourceUse]] = {source_id: [] for source_id in table_set.sources}

    def add(use: SourceUse) -> None:
        uses.setdefault(use.source, []).append(use)

    for table in table_set:
        add(SourceUse(table.spec.encodes, "encoded wording", table))
        for row in table.spec.rows:
            for cited in row.citations:
                add(SourceUse(cited.act, "act", table, row, cited.status))
                add(SourceUse(cited.wording, "wording", table, row, cited.status))
                add(SourceUse(cited.source, "source", table, row, cited.status))
                for work in cited.preparatory_works:
                    add(
                        SourceUse(
                            work.source, "preparatory work", table, row, cited.status, work.pages
                        )
                    )
    return uses


def question_rows(table_set: TableSet) -> dict[str, list[tuple[Table, Row]]]:
    """For every open question, the rows that name it (in the tables themselves)."""
    found: dict[str, list[tuple[Table, Row]]] = {qid: [] for qid in table_set.questions}
    for table, row in rows(table_set):
        for qid in row.open_questions:
            found.setdefault(qid, []).append((table, row))
    return found


def question_sources(table_set: TableSet) -> dict[str, list[str]]:
    """For every open question, the registry entries whose facts it leaves open."""
    found: dict[str, list[str]] = {qid: [] for qid in table_set.questions}
    for source in table_set.sources.values():
        if source.open_question is not None:
            found.setdefault(source.open_question, []).append(source.id)
    return found


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a well-formed absolute http(s) URL, or ``None`` if it is."""
    if url != url.strip() or any(char.isspace() for char in url):
        return "contains whitespace"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError as error:
        return str(error)
    if parts.scheme not in {"http", "https"}:
        return f"scheme {parts.scheme!r} is not http or https"
    host = parts.hostname or ""
    labels = host.split(".")
    if len(labels) < 2 or not all(labels) or not labels[-1].isalpha():
        return f"host {host!r} is not a domain name"
    return None


def status_counts(statuses: Iterable[Status]) -> dict[Status, int]:
    """How many of each status, in the order firmest first."""
    counts: dict[Status, int] = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        counts[status] += 1
    return counts


# --------------------------------------------------------------------------- social services

BOARD = "social_welfare_board"
REFLECTION_PERMITS = ("reflection_period", "reflection_period_extension")


def _cell_values(row: Row, column: str) -> tuple[CellScalar, ...] | None:
    """The values ``row`` requires in ``column``, or ``None`` if it matches any value."""
    return row.conditions.get(column)


def _matches(row: Row, column: str, value: CellScalar) -> bool:
    values = _cell_values(row, column)
    return values is None or value in values


def _family_reading(table_set: TableSet, path: str) -> str:
    """The first family whose tables read the case field at ``path`` (``applicant``)."""
    wanted = CaseField(path)
    for family in table_set.order:
        if any(c.source == wanted for t in table_set.families[family] for c in t.columns):
            return family
    raise LookupError(f"no family reads case.{path}")


def concerns_board(row: Row) -> bool:
    """Whether ``row`` names the social welfare board as (one of) its applicants."""
    values = _cell_values(row, "applicant")
    return values is not None and BOARD in values


@dataclass(frozen=True)
class Item:
    """One row as a social worker reads it: its note, status, citations and questions."""

    table: Table
    row: Row

    @property
    def key(self) -> str:
        return row_key(self.table, self.row)


@dataclass(frozen=True)
class SocialServicesView:
    """The rows that answer a social worker's questions about the reflection period."""

    day: dt.date
    #: What the permit is: the outcome rows that grant a reflection period.
    what: tuple[Item, ...]
    #: Who may (and may not) apply for a reflection period or its extension.
    who: tuple[Item, ...]
    #: What Migrationsverket examines when the board applies.
    conditions: tuple[Item, ...]
    #: The wording since which the board may apply, and the row before it.
    since: Table | None
    before: tuple[Item, ...]
    questions: tuple[str, ...] = field(default=())
    sources: tuple[str, ...] = field(default=())


def social_services_view(table_set: TableSet, day: dt.date | None = None) -> SocialServicesView:
    """Select, from the tables in force on ``day`` (default: the newest wordings), the rows
    that say what the reflection period is, who may apply and what is examined.

    Everything comes from the rows: their ``when`` cells decide which rows concern the social
    welfare board and the reflection period; their notes are the text.
    """
    standing_family = _family_reading(table_set, "applicant")
    if day is None:
        day = max(t.spec.in_force_from for t in table_set)
    standing = table_set.select(standing_family, day)
    outcome = table_set.select(table_set.outcome_family, day)
    route_column = standing.spec.outputs[0].name

    what = tuple(
        Item(outcome, row)
        for row in outcome.spec.rows
        if row.then.get("outcome") == "grant" and row.then.get("permit_type") == "reflection_period"
    )
    who = tuple(
        Item(standing, row)
        for row in standing.spec.rows
        if any(_matches(row, "permit", permit) for permit in REFLECTION_PERMITS)
    )
    granting_routes = {
        value
        for row in outcome.spec.rows
        if row.then.get("outcome") in {"grant", "may_grant"}
        for value in _cell_values(row, route_column) or ()
    }
    board_routes = {
        row.then[route_column]
        for row in standing.spec.rows
        if _matches(row, "applicant", BOARD) and _matches(row, "permit", "reflection_period")
    } & granting_routes
    conditions: list[Item] = []
    for family in table_set.order:
        table = table_set.select(family, day)
        if route_column not in table.spec.condition_scope:
            continue
        conditions.extend(
            Item(table, row)
            for row in table.spec.rows
            if any(_matches(row, route_column, route) for route in board_routes)
        )

    since: Table | None = None
    before: tuple[Item, ...] = ()
    previous: Table | None = None
    for table in table_set.families[standing_family]:
        if any(
            _matches(row, "applicant", BOARD) and row.then[route_column] in board_routes
            for row in table.spec.rows
        ):
            since = table
            if previous is not None:
                before = tuple(
                    Item(previous, row)
                    for row in previous.spec.rows
                    if _matches(row, "applicant", BOARD)
                    and _matches(row, "permit", "reflection_period")
                )
            break
        previous = table

    items = [*what, *who, *conditions, *before]
    questions = sorted({q for item in items for q in item.row.open_questions})
    sources: list[str] = []
    for item in items:
        for cited in item.row.citations:
            if cited.source not in sources:
                sources.append(cited.source)
    return SocialServicesView(
        day=day,
        what=what,
        who=who,
        conditions=tuple(conditions),
        since=since,
        before=before,
        questions=tuple(questions),
        sources=tuple(sources),
    )
