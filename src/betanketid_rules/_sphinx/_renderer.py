"""Table versions and families as nodes, and the base of the directives that render them.

A table version is its description (title, period in force, wording encoded, hit policy,
inputs, outputs, status counts, file) and its rows as a table; a family is one section per
wording, each with what changed from the wording before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from docutils import nodes
from docutils.nodes import Element, Node
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import _docs as docs
from .._tables import Table
from .._tables._columns import UpstreamOutput
from .._tables._format import Row, Vocabulary
from .._verify.diff import diff_table_versions
from ._citations import _citations
from ._diff import diff_nodes
from ._domain import anchor_id, domain_of
from ._nodes import (
    _bilingual,
    _bilingual_line,
    _counts,
    _field_list,
    _grid,
    _para,
    _section,
    _xref,
    status_marker,
)
from ._table_set import dependencies, table_set_of

logger = logging.getLogger(__name__)

_HEAD: dict[str, str] = {
    "row": "Rad / Row",
    "when": "När / When",
    "then": "Då / Then",
    "basis": "Rättslig grund / Legal basis",
    "note": "Förklaring / Note",
}


def _in_force(table: Table) -> str:
    end = table.spec.in_force_to
    return f"{table.version} – {end.isoformat() if end else '(gäller / in force)'}"


class _Renderer:
    """Builds the nodes of tables and families for one directive run."""

    def __init__(self, directive: SphinxDirective, register: bool) -> None:
        self.directive = directive
        self.register = register
        self.table_set = table_set_of(directive.config)
        self.domain = domain_of(directive.env)
        for path in dependencies(self.table_set):
            directive.env.note_dependency(str(path))

    def anchor(self, node: Element, kind: str, name: str, display: str) -> None:
        if self.register:
            node["ids"].append(self.domain.note(kind, name, display, node))

    def table_meta(self, table: Table) -> nodes.field_list:
        spec = table.spec
        policy = docs.HIT_POLICY_MEANING[spec.hit_policy]
        policy_sv, policy_en = policy["sv"], policy["en"]
        if spec.aggregation is not None:
            aggregation = docs.AGGREGATION_MEANING[spec.aggregation]
            policy_sv += f" Resultaten sammanställs {aggregation['sv']}."
            policy_en += f" Outputs are combined {aggregation['en']}."
        inputs: list[Node] = []
        for column in table.columns:
            paragraph = _para(nodes.literal(column.name, column.name), " ← ")
            source = column.source
            if isinstance(source, UpstreamOutput) and source.family in self.table_set.families:
                paragraph += _xref("family", source.family)
                paragraph += nodes.Text(f" ({source.output})")
            else:
                paragraph += nodes.literal(source.text, source.text)
            inputs.append(paragraph)
        outputs: list[Node] = [
            _para(
                nodes.literal(column.name, column.name),
                " ∈ {" + ", ".join(docs.format_value(value) for value in column.values) + "}",
            )
            for column in spec.outputs
        ]
        fields: list[tuple[str, Node | list[Node] | str]] = [
            ("Titel / Title", _bilingual_line(spec.title.sv, spec.title.en)),
            ("I kraft / In force", _in_force(table)),
            (
                "Lydelse / Wording encoded",
                _para(
                    _xref(
                        "source", spec.encodes, docs.source_name(self.table_set, spec.encodes, "sv")
                    )
                ),
            ),
            (
                "När flera rader passar / Hit policy",
                _bilingual_line(
                    policy_sv, policy_en, nodes.literal(spec.hit_policy, spec.hit_policy), ": "
                ),
            ),
            ("Uppgifter som prövas / Inputs", inputs),
            ("Resultat / Outputs", outputs),
        ]
        if spec.condition_scope:
            scope = ", ".join(spec.condition_scope)
            fields.append(
                (
                    "Villkorstabell / Conditions table",
                    _bilingual(
                        "Varje rad är ett rättsligt villkor: raden träffar när villkoret inte är "
                        f"uppfyllt. En rad vars {scope} stämmer men som inte träffar är ett "
                        "uppfyllt villkor.",
                        "Every row is a legal condition: the row fires when the condition is not "
                        f"met. A row whose {scope} matches but which does not fire is a "
                        "condition met.",
                    ),
                )
            )
        relative = table.path.relative_to(self.table_set.directory.parent).as_posix()
        fields += [
            ("Status", _counts(row.status for row in spec.rows)),
            (
                "Fil / File",
                _para(
                    nodes.literal(relative, relative),
                    " sha256 ",
                    nodes.literal(table.sha256[:16], table.sha256[:16]),
                ),
            ),
        ]
        return _field_list(fields)

    def row(self, table: Table, row: Row) -> nodes.row:
        key = docs.row_key(table, row)
        tr = nodes.row(classes=["bk-row", f"bk-row-{row.status}"])
        self.anchor(tr, "row", key, key)

        first = nodes.entry()
        first += _para(nodes.literal(row.id, row.id), classes=["bk-row-id"])
        first += _para(status_marker(row.status))
        if row.open_questions:
            paragraph = _para("Öppna frågor / Open questions: ", classes=["bk-questions"])
            for index, question in enumerate(row.open_questions):
                if index:
                    paragraph += nodes.Text(", ")
                paragraph += _xref("question", question)
            first += paragraph

        when = nodes.entry()
        if row.when:
            for column, values in row.conditions.items():
                when += _in_words(
                    table,
                    column,
                    values,
                    docs.format_cell(column, values),
                    "cond",
                    self.table_set.vocabulary,
                )
        else:
            when += _para("(alla / any)")

        then = nodes.entry()
        for column, value in row.then.items():
            text = f"{column} = {docs.format_value(value)}"
            then += _in_words(table, column, (value,), text, "out", self.table_set.vocabulary)

        basis = nodes.entry()
        basis += _citations(self.table_set, row)

        note = nodes.entry()
        note += _bilingual(row.note.sv, row.note.en)

        for entry in (first, when, then, basis, note):
            tr += entry
        return tr

    def table(self, table: Table) -> list[Node]:
        """A table version: its description and its rows."""
        caption = f"{table.key}: {table.spec.title.sv} / {table.spec.title.en}"

        grid, body = _grid(["bk-table", "colwidths-given"], _HEAD.values(), (12, 19, 14, 31, 24))
        grid.insert(0, nodes.title(caption, caption))
        for row in table.spec.rows:
            body += self.row(table, row)
        return [self.table_meta(table), grid]

    def table_section(self, table: Table) -> nodes.section:
        section = _section(
            anchor_id("table", table.key),
            f"Lydelse från / Wording from {table.version}",
            "bk-version",
        )
        if self.register:
            self.domain.note("table", table.key, table.key, section)
        section += self.table(table)
        return section

    def family(self, family: str) -> list[Node]:
        tables = self.table_set.families[family]
        newest = tables[-1].spec
        intro = nodes.container(classes=["bk-family"])
        self.anchor(intro, "family", family, family)
        intro += _bilingual(newest.title.sv, newest.title.en)
        intro += self.versions_table(tables)
        result: list[Node] = [intro]
        for index, table in enumerate(tables):
            section = self.table_section(table)
            if index:
                section += self.changes(tables[index - 1], table)
            result.append(section)
        return result

    def versions_table(self, tables: Sequence[Table]) -> nodes.table:
        grid, body = _grid(
            ["bk-versions"],
            ("Version", "I kraft / In force", "Rader / Rows", "Status"),
            (30, 30, 10, 30),
        )
        for table in tables:
            row = nodes.row()
            cells: list[Node] = [
                _para(_xref("table", table.key)),
                _para(_in_force(table)),
                _para(str(len(table.spec.rows))),
                _counts(r.status for r in table.spec.rows),
            ]
            for cell in cells:
                entry = nodes.entry()
                entry += cell
                row += entry
            body += row
        return grid

    def changes(self, old: Table, new: Table) -> nodes.section:
        """What the newer wording changes, from the semantic diff of the two tables."""
        section = _section(
            anchor_id("changes", new.key),
            f"Vad ändrades / What changed ({old.version} → {new.version})",
            "bk-changes",
        )
        section += _bilingual(
            f"Tabellen {old.key} jämförd med {new.key} för varje indata som någon av dem kan få: "
            "de områden där tabellens utdata eller de citerade bestämmelserna ändras, och "
            "därefter de ändringar som bara gäller en citerings lydelse, status eller källa.",
            f"{old.key} compared with {new.key} on every input either can receive: the regions "
            "where the table's outputs or the cited provisions change, then the changes only in "
            "a citation's wording, status or source.",
        )
        section += diff_nodes(diff_table_versions(self.table_set, old.key, new.key))
        return section


def _in_words(
    table: Table,
    column: str,
    values: Sequence[Any],
    identifier: str,
    kind: str,
    vocabulary: Vocabulary | None,
) -> nodes.paragraph:
    """A cell in legal words, Swedish / English, with its identifier after it in small type
    (for developers); the identifier alone where the vocabulary has no words for it."""
    sv = docs.cell_in_words(table, column, values, "sv", vocabulary)
    en = docs.cell_in_words(table, column, values, "en", vocabulary)
    ident = nodes.literal(identifier, identifier, classes=["bk-ident"])
    if sv is None or en is None:
        return _para(ident, classes=[f"bk-{kind}"])
    return _para(
        sv,
        " / ",
        nodes.inline(en, en, classes=["bk-en"]),
        " ",
        ident,
        classes=[f"bk-{kind}", "bk-words"],
    )


class _TablesDirective(SphinxDirective):
    option_spec: ClassVar[dict[str, Any]] = {"noindex": directives.flag}

    def renderer(self) -> _Renderer:
        return _Renderer(self, register="noindex" not in self.options)

    def fail(self, message: str) -> list[Node]:
        logger.warning(message, location=self.get_location())
        return []
