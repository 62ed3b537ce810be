"""Sphinx extension: documentation pages generated from the decision tables.

Everything a reviewer reads about the rules is rendered from the table data, so the pages
cannot drift from the tables the engines evaluate. Enable it in ``conf.py``::

    extensions = ["betanketid_rules.sphinx"]
    betanketid_tables_dir = "../tables"   # optional; default: the package's own tables

Directives
    ``.. betanketid-table:: FAMILY@VERSION``
        one table version: what it encodes, its hit policy and columns, and its rows as a
        table (conditions, outcome, citations linked to the registry's URLs, the status of
        each row and citation, the open questions it rests on, the note in Swedish and
        English).
    ``.. betanketid-family:: FAMILY``
        a family: one section per wording, each with the version's table and what changed
        from the wording before (the semantic diff of the two tables,
        :func:`betanketid_rules._verify.diff.diff_table_versions`).
    ``.. betanketid-decision-changes::``
        for every date a wording changes, what changes in decisions (the whole chain the day
        before against the chain that day).
    ``.. betanketid-sources::``
        the source registry: every entry, what cites it, its URL.
    ``.. betanketid-open-questions::``
        every open legal question, the rows that rest on it, where to verify it.
    ``.. betanketid-social-services:: sv|en``
        what the reflection period is, who may apply and what is examined, from the rows.
    ``.. betanketid-schema:: case|decision``
        the JSON Schema of a contract model (what ``betanketid-rules schema`` prints).
    ``.. betanketid-fields:: MODULE.MODEL``
        the fields of a pydantic model (type, default, description) as a table.
    ``.. betanketid-summary::`` and ``.. betanketid-legend::``
        counts and content hash of the table set; the status markers and what they mean.
    ``.. betanketid-console::``
        a shell session shown as a console block; the test-suite runs it and compares the
        output (``tests/test_docs.py``).

Roles (domain ``betanketid``)
    ``:betanketid:row:`FAMILY@VERSION/ROW```, ``:betanketid:table:`FAMILY@VERSION```,
    ``:betanketid:family:`FAMILY```, ``:betanketid:source:`ID```,
    ``:betanketid:question:`ID```.

With ``betanketid_require_complete = True`` (the default) the build warns — an error under
``sphinx-build -W`` — when a family, table version, row, source or open question of the
table set is not rendered anywhere, or a reference to one does not resolve.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import re
import types
import typing
from collections.abc import Iterable, Iterator, Sequence, Set
from pathlib import Path
from typing import Any, ClassVar, cast
from urllib.parse import urlsplit

from docutils import nodes
from docutils.nodes import Element, Node
from docutils.parsers.rst import directives
from pydantic import BaseModel
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.config import Config
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode
from sphinx.util.typing import ExtensionMetadata

from . import __version__
from . import _docs as docs
from ._contract import Status
from ._render import Lang
from ._tables import Table, TableSet, default_table_set, load_table_set
from ._tables._columns import UpstreamOutput
from ._tables._format import Answer, Row, Source, TableCitation
from ._verify.diff import diff_dates, diff_table_versions
from ._verify.report import CitationChange, Comparison, DecisionChange, DiffReport, Scoped

__all__ = ["BetanketidDomain", "anchor_id", "setup", "status_marker", "table_set_of", "type_text"]

logger = logging.getLogger(__name__)

DOMAIN = "betanketid"
KINDS = ("family", "table", "row", "source", "question")
CSS_FILE = "betanketid.css"

CSS = """\
/* betanketid_rules.sphinx: status markers and rule tables */
.bk-status { display: inline-block; padding: 0 .5em; border-radius: .7em; color: #fff;
  font-size: .8em; font-weight: 700; line-height: 1.5; white-space: nowrap; }
.bk-status-confirmed { background: #1a7f37; }
.bk-status-secondary { background: #9a6700; }
.bk-status-inferred { background: #cf222e; }
/* Pages with rule tables use the width between the two sidebars. */
.content:has(table.bk-table, div.bk-diff) { width: auto; flex: 1 1 0; min-width: 0;
  max-width: 90em; }
.main:has(table.bk-table, div.bk-diff) .toc-drawer { flex: 0 0 15em; }
dl.bk-fields { display: grid; grid-template-columns: minmax(9em, max-content) auto;
  gap: .15em 1em; }
dl.bk-fields > dt, dl.bk-fields > dd { margin: 0; padding: 0; }
dl.bk-fields > dd p { margin: 0 0 .2em 0; }
table.bk-table { font-size: .8em; table-layout: fixed; width: 100%; }
table.bk-table td, table.bk-table th { vertical-align: top; padding: .35em .45em;
  overflow-wrap: anywhere; }
table.bk-table td p { margin: 0 0 .35em 0; }
table.bk-table code.literal { white-space: normal; overflow-wrap: anywhere; }
tr.bk-row-confirmed > td:first-child { border-left: 5px solid #1a7f37; }
tr.bk-row-secondary > td:first-child { border-left: 5px solid #9a6700; }
tr.bk-row-inferred > td:first-child { border-left: 5px solid #cf222e; }
ul.bk-citations { margin: 0; padding-left: 1em; }
ul.bk-citations li { margin-bottom: .5em; }
.bk-en { color: var(--color-foreground-secondary, #555); }
.bk-lang { font-weight: 700; font-size: .75em; text-transform: uppercase; margin-right: .4em; }
"""

_HEAD: dict[str, str] = {
    "row": "Rad / Row",
    "when": "När / When",
    "then": "Då / Then",
    "basis": "Rättslig grund / Legal basis",
    "note": "Förklaring / Note",
}


# --------------------------------------------------------------------------- table set


@functools.cache
def _load(directory: str | None) -> TableSet:
    return default_table_set() if directory is None else load_table_set(Path(directory))


def table_set_of(config: Config) -> TableSet:
    """The table set a Sphinx project documents (``betanketid_tables_dir`` or the package's)."""
    directory = cast(str | None, config.betanketid_tables_dir)
    return _load(directory)


def _dependencies(table_set: TableSet) -> list[Path]:
    """The files generated pages depend on: the table set and the package's own code."""
    directory = table_set.directory
    package = Path(__file__).resolve().parent
    return [
        *sorted(directory.glob("*/*.yaml")),
        *sorted(directory.glob("*.yaml")),
        *sorted(package.rglob("*.py")),
    ]


def anchor_id(kind: str, name: str) -> str:
    """The HTML id of a rendered family, table, row, source or question.

    >>> anchor_id("row", "utl-5-15-standing@2022-08-01/5-15-2st-sn")
    'row-utl-5-15-standing-2022-08-01-5-15-2st-sn'
    >>> anchor_id("source", "SRC-20")
    'source-src-20'
    """
    return nodes.make_id(f"{kind}-{name}")


# --------------------------------------------------------------------------- domain


class BetanketidDomain(Domain):
    """Where each family, table, row, source and question is rendered, for cross-references."""

    name = DOMAIN
    label = "betanketid-rules tables"
    object_types: ClassVar[dict[str, ObjType]] = {kind: ObjType(kind, kind) for kind in KINDS}
    roles: ClassVar[dict[str, Any]] = {kind: XRefRole(warn_dangling=True) for kind in KINDS}
    initial_data: ClassVar[dict[str, Any]] = {"anchors": {}}
    data_version = 1

    @property
    def anchors(self) -> dict[str, tuple[str, str, str]]:
        """``kind:name`` -> (docname, anchor id, display text)."""
        return cast(dict[str, tuple[str, str, str]], self.data.setdefault("anchors", {}))

    def note(self, kind: str, name: str, display: str, location: Node) -> str:
        """Record that ``name`` is rendered in the current document; return its anchor id."""
        key = f"{kind}:{name}"
        anchor = anchor_id(kind, name)
        previous = self.anchors.get(key)
        if previous is not None and previous[0] != self.env.docname:
            logger.warning(
                "%s %s is rendered twice (also in %s); use :noindex: on one",
                kind,
                name,
                previous[0],
                location=location,
            )
        self.anchors[key] = (self.env.docname, anchor, display)
        return anchor

    def clear_doc(self, docname: str) -> None:
        for key, (doc, _, _) in list(self.anchors.items()):
            if doc == docname:
                del self.anchors[key]

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key, entry in otherdata.get("anchors", {}).items():
            if entry[0] in docnames:
                self.anchors[key] = entry

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        entry = self.anchors.get(f"{typ}:{target}")
        if entry is None:
            return None
        docname, anchor, display = entry
        return make_refnode(builder, fromdocname, docname, anchor, contnode, display)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        found: list[tuple[str, nodes.reference]] = []
        for kind in KINDS:
            ref = self.resolve_xref(env, fromdocname, builder, kind, target, node, contnode)
            if ref is not None:
                found.append((f"{DOMAIN}:{kind}", ref))
        return found

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for key, (docname, anchor, display) in sorted(self.anchors.items()):
            kind, _, name = key.partition(":")
            yield name, display, kind, docname, anchor, 1

    def check_consistency(self) -> None:
        if not self.env.config.betanketid_require_complete:
            return
        table_set = table_set_of(self.env.config)
        expected = [f"family:{family}" for family in table_set.order]
        for table in table_set:
            expected.append(f"table:{table.key}")
            expected.extend(f"row:{table.key}/{row.id}" for row in table.spec.rows)
        expected += [f"source:{source}" for source in table_set.sources]
        expected += [f"question:{question}" for question in table_set.questions]
        for key in expected:
            if key not in self.anchors:
                kind, _, name = key.partition(":")
                logger.warning(
                    "%s %s of the table set is not rendered on any page "
                    "(betanketid_require_complete is on)",
                    kind,
                    name,
                )


def _domain(env: BuildEnvironment) -> BetanketidDomain:
    return cast(BetanketidDomain, env.get_domain(DOMAIN))


# --------------------------------------------------------------------------- small nodes


def _text(text: str, *classes: str) -> nodes.inline:
    return nodes.inline(text, text, classes=list(classes))


def _para(*children: Node | str, classes: Sequence[str] = ()) -> nodes.paragraph:
    paragraph = nodes.paragraph(classes=list(classes))
    for child in children:
        paragraph += nodes.Text(child) if isinstance(child, str) else child
    return paragraph


def _grid(
    classes: list[str], labels: Iterable[str], widths: Sequence[int]
) -> tuple[nodes.table, nodes.tbody]:
    """A table with a header row of ``labels`` and column ``widths``; returns it and its body."""
    grid = nodes.table(classes=classes)
    tgroup = nodes.tgroup(cols=len(widths))
    grid += tgroup
    for width in widths:
        tgroup += nodes.colspec(colwidth=width)
    head = nodes.row()
    for label in labels:
        entry = nodes.entry()
        entry += _para(label)
        head += entry
    tgroup += nodes.thead("", head)
    body = nodes.tbody()
    tgroup += body
    return grid, body


def _xref(kind: str, target: str, text: str | None = None) -> pending_xref:
    """A reference to a rendered family, table, row, source or question."""
    shown = text if text is not None else target
    ref = pending_xref(
        "",
        refdomain=DOMAIN,
        reftype=kind,
        reftarget=target,
        refexplicit=True,
        refwarn=True,
    )
    ref += nodes.inline(shown, shown, classes=["xref", f"bk-xref-{kind}"])
    return ref


def _link(url: str, text: str) -> nodes.reference:
    return nodes.reference(text, text, refuri=url, classes=["bk-url"])


def _url_link(url: str | None) -> Node:
    """The registry URL as a link showing its host, or a note that there is none."""
    if url is None:
        return _text("ingen URL / no URL", "bk-no-url")
    host = urlsplit(url).hostname or url
    return _link(url, f"{host} ↗")


def status_marker(status: Status) -> nodes.inline:
    """The visible marker of a verification status: ``● confirmed`` and so on."""
    text = f"{docs.STATUS_MARK[status]} {status}"
    return nodes.inline(text, text, classes=["bk-status", f"bk-status-{status}"])


def _bilingual(sv: str, en: str) -> list[Node]:
    return [
        _para(_text("sv", "bk-lang"), sv, classes=["bk-sv", "language-sv"]),
        _para(_text("en", "bk-lang"), en, classes=["bk-en", "language-en"]),
    ]


def _bilingual_line(sv: str, en: str, *lead: Node | str) -> nodes.paragraph:
    """Swedish and English on one line: ``sv-text / en-text``."""
    return _para(*lead, sv, " / ", _text(en, "bk-en"), classes=["bk-bilingual"])


def _field_list(fields: Iterable[tuple[str, Node | list[Node] | str]]) -> nodes.field_list:
    field_list = nodes.field_list(classes=["bk-fields"])
    for name, value in fields:
        body = nodes.field_body()
        if isinstance(value, str):
            body += _para(value)
        elif isinstance(value, list):
            body += value
        elif isinstance(value, nodes.Inline | nodes.Text):
            body += _para(value)
        else:
            body += value
        field_list += nodes.field("", nodes.field_name(name, name), body)
    return field_list


def _bullets(items: Iterable[Node | list[Node]], *classes: str) -> nodes.bullet_list:
    bullet_list = nodes.bullet_list(classes=list(classes))
    for item in items:
        list_item = nodes.list_item()
        list_item += item
        bullet_list += list_item
    return bullet_list


def _section(section_id: str, title: str, *classes: str) -> nodes.section:
    section = nodes.section(ids=[section_id], names=[nodes.fully_normalize_name(section_id)])
    section["classes"] = list(classes)
    section += nodes.title(title, title)
    return section


def _in_force(table: Table) -> str:
    end = table.spec.in_force_to
    return f"{table.version} – {end.isoformat() if end else '(gäller / in force)'}"


def _counts(statuses: Iterable[Status]) -> nodes.paragraph:
    paragraph = nodes.paragraph(classes=["bk-counts"])
    for status, count in docs.status_counts(statuses).items():
        paragraph += status_marker(status)
        paragraph += nodes.Text(f" {count}   ")
    return paragraph


# --------------------------------------------------------------------------- citations


def _citation(table_set: TableSet, cited: TableCitation) -> list[Node]:
    """One citation: status, provision (sv and en), wording, source and its URL."""
    sv = docs.provision(table_set, cited, "sv")
    en = docs.provision(table_set, cited, "en")
    strong = nodes.strong()
    strong += _xref("source", cited.act, sv)
    role = docs.ROLE_LABEL[cited.role]
    head = _para(
        status_marker(cited.status),
        " ",
        strong,
        " ",
        _text(f"({role['sv']} / {role['en']})", f"bk-role-{cited.role}"),
        classes=["bk-provision", f"bk-citation-{cited.role}"],
    )
    english = _para(en, classes=["bk-en", "language-en"])
    wording = _para(
        "lydelse / wording: ",
        _xref("source", cited.wording, docs.source_name(table_set, cited.wording, "sv")),
        classes=["bk-wording"],
    )
    source = table_set.sources[cited.source]
    origin = _para(
        "källa / source: ",
        _xref("source", cited.source),
        " ",
        _url_link(source.url),
        classes=["bk-source"],
    )
    result: list[Node] = [head, english, wording, origin]
    for work in cited.preparatory_works:
        entry = table_set.sources[work.source]
        pages = f", s. / p. {work.pages}" if work.pages else ""
        result.append(
            _para(
                status_marker(work.status),
                " förarbete / preparatory work: ",
                _xref("source", work.source),
                f"{pages} ",
                _url_link(entry.url),
                classes=["bk-prep"],
            )
        )
    return result


def _citations(table_set: TableSet, row: Row) -> nodes.bullet_list:
    return _bullets(
        (_citation(table_set, cited) for cited in row.citations), "bk-citations", "simple"
    )


def _short_basis(table_set: TableSet, key: str, row: Row, lang: Lang) -> nodes.paragraph:
    """The citations of a row in one line (provisions and source ids), and the row."""
    label, row_word = ("Grund", "rad") if lang == "sv" else ("Basis", "row")
    paragraph = _para(f"{label}: ", classes=["bk-basis", "bk-en"])
    for index, cited in enumerate(row.citations):
        if index:
            paragraph += nodes.Text("; ")
        paragraph += nodes.Text(docs.provision(table_set, cited, lang) + " (")
        paragraph += _xref("source", cited.source)
        if cited.role == "context":
            paragraph += nodes.Text(f", {docs.ROLE_LABEL['context'][lang]}")
        paragraph += nodes.Text(")")
    paragraph += nodes.Text(f" · {row_word} ")
    paragraph += _xref("row", key)
    return paragraph


# --------------------------------------------------------------------------- table versions


class _Renderer:
    """Builds the nodes of tables and families for one directive run."""

    def __init__(self, directive: SphinxDirective, register: bool) -> None:
        self.directive = directive
        self.register = register
        self.table_set = table_set_of(directive.config)
        self.domain = _domain(directive.env)
        for path in _dependencies(self.table_set):
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
            policy_sv += f" Utdata sammanställs {aggregation['sv']}."
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
                "Träffpolicy / Hit policy",
                _bilingual_line(
                    policy_sv, policy_en, nodes.literal(spec.hit_policy, spec.hit_policy), ": "
                ),
            ),
            ("Indata / Inputs", inputs),
            ("Utdata / Outputs", outputs),
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
            for column, cell in row.when.items():
                text = docs.format_cell(column, cell)
                when += _para(nodes.literal(text, text), classes=["bk-cond"])
        else:
            when += _para("(alla / any)")

        then = nodes.entry()
        for column, value in row.then.items():
            text = f"{column} = {docs.format_value(value)}"
            then += _para(nodes.literal(text, text), classes=["bk-out"])

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
        section += self.report(diff_table_versions(self.table_set, old.key, new.key))
        return section

    def report(self, report: DiffReport) -> list[Node]:
        """A semantic diff as nodes: its comparisons, with links to the rows and questions."""
        if not report.comparisons:
            return [_para("Ingen skillnad. / No difference.", classes=["bk-no-change"])]
        result: list[Node] = []
        for comparison in report.comparisons:
            result += self.comparison(comparison, report.kind)
        return result

    def comparison(self, comparison: Comparison, kind: str) -> list[Node]:
        columns = ", ".join(
            f"{column.name} ({column.note})" if column.note else column.name
            for column in comparison.columns
        )
        container = nodes.container(classes=["bk-diff"])
        container += _para(
            f"Indata / Input space: {comparison.points} punkter / points ({columns}). "
            f"{len(comparison.decision_changes)} ändringar / changes "
            f"({comparison.changed_points} punkter / points); "
            f"{len(comparison.citation_changes)} ändringar endast i citeringar / "
            f"citation-only changes ({comparison.cited_points} punkter / points).",
            classes=["bk-diff-summary"],
        )
        if comparison.decision_changes:
            title = (
                "Ändrade beslut / Changed decisions"
                if kind != "tables"
                else "Ändrade utdata eller bestämmelser / Changed outputs or provisions"
            )
            container += nodes.rubric(title, title)
            listing = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
            for change in comparison.decision_changes:
                listing += self.decision_change(change)
            container += listing
        if comparison.citation_changes:
            title = "Ändringar endast i citeringar / Citation-only changes"
            container += nodes.rubric(title, title)
            listing = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
            for citation in comparison.citation_changes:
                listing += self.citation_change(citation)
            container += listing
        return [container]

    def decision_change(self, change: DecisionChange) -> nodes.list_item:
        item = nodes.list_item(classes=["bk-decision-change"])
        label = f"{change.before.label} → {change.after.label}"
        item += _para(nodes.strong(label, label), f" ({change.points} punkter / points)")
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

    def citation_change(self, citation: CitationChange) -> nodes.list_item:
        item = nodes.list_item(classes=["bk-citation-change"])
        head = _para(nodes.strong(citation.subject, citation.subject), ", rad / row ")
        if citation.row_before is not None:
            head += _xref("row", citation.row_before)
        if citation.row_after is not None and citation.row_after != citation.row_before:
            if citation.row_before is not None:
                head += nodes.Text(" → ")
            head += _xref("row", citation.row_after)
        head += nodes.Text(f" ({citation.points} punkter / points)")
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


class _TablesDirective(SphinxDirective):
    option_spec: ClassVar[dict[str, Any]] = {"noindex": directives.flag}

    def renderer(self) -> _Renderer:
        return _Renderer(self, register="noindex" not in self.options)

    def fail(self, message: str) -> list[Node]:
        logger.warning(message, location=self.get_location())
        return []


class TableDirective(_TablesDirective):
    """``.. betanketid-table:: FAMILY@VERSION``: one table version and its rows."""

    required_arguments = 1

    def run(self) -> list[Node]:
        renderer = self.renderer()
        key = self.arguments[0].strip()
        try:
            table = renderer.table_set.table(key)
        except KeyError:
            return self.fail(f"betanketid-table: no table {key!r} in the table set")
        container = nodes.container(classes=["bk-table-version"])
        renderer.anchor(container, "table", table.key, table.key)
        container += renderer.table(table)
        return [container]


class FamilyDirective(_TablesDirective):
    """``.. betanketid-family:: FAMILY``: every wording of a family, and what changed."""

    required_arguments = 1

    def run(self) -> list[Node]:
        renderer = self.renderer()
        family = self.arguments[0].strip()
        if family not in renderer.table_set.families:
            return self.fail(f"betanketid-family: no family {family!r} in the table set")
        return renderer.family(family)


# --------------------------------------------------------------------------- sources


_ROLE_LABEL: dict[str, str] = {
    "encoded wording": "lydelse som tabellen kodar / wording a table encodes",
    "act": "lag som citeras / act cited",
    "wording": "lydelse som citeras / wording cited",
    "source": "källa där innehållet lästes / source the content was read in",
    "preparatory work": "förarbete / preparatory work",
}


def _source_record(source: Source) -> list[tuple[str, Node | list[Node] | str]]:
    """Where else a source is published, how its text was read, and its register entry."""
    fields: list[tuple[str, Node | list[Node] | str]] = []
    for place in source.also_at:
        fields.append(("Även på / Also at", _para(f"{place.name}: ", _link(place.url, place.url))))
    if source.consolidated_through is not None:
        fields.append(
            ("Ändringar införda t.o.m. / Amended up to", f"SFS {source.consolidated_through}")
        )
    if source.text_read is not None:
        read = source.text_read
        parts = [read.via]
        if read.commit:
            parts.append(f"commit {read.commit}")
        parts.append(f"läst / read {read.on}" if read.on else "läsdag okänd / day read unknown")
        fields.append(("Texten läst / Text read", "; ".join(parts)))
    entry = source.register_entry
    if entry is not None:
        works = ", ".join(part for part in (entry.prop, entry.bet, entry.rskr) if part)
        text = "; ".join(part for part in (works, entry.amends) if part)
        fields.append(
            ("Registret / Register (SFSR)", _para(f"{text} (", _xref("source", entry.read_in), ")"))
        )
    return fields


class SourcesDirective(_TablesDirective):
    """``.. betanketid-sources::``: every registry entry, its URL and what cites it."""

    def run(self) -> list[Node]:
        renderer = self.renderer()
        table_set = renderer.table_set
        uses = docs.source_uses(table_set)
        result: list[Node] = [self.overview(table_set, uses)]
        for source in table_set.sources.values():
            section = _section(anchor_id("source", source.id), f"{source.id}: {source.title}")
            section["classes"].append("bk-source-entry")
            if renderer.register:
                renderer.domain.note("source", source.id, source.id, section)
            fields: list[tuple[str, Node | list[Node] | str]] = [
                ("Id", _para(nodes.literal(source.id, source.id))),
                ("Slag / Kind", source.kind.replace("_", " ")),
                ("URL", _para(_link(source.url, source.url)) if source.url else "—"),
            ]
            if source.short is not None:
                fields.append(("Kortnamn / Short", _bilingual(source.short.sv, source.short.en)))
            for label, value in (
                ("SFS", source.sfs),
                ("Datum / Date", source.date),
                ("I kraft från / In force from", source.in_force_from),
                ("I kraft till / In force to", source.in_force_to),
                ("Underlag / Evidence (brief)", source.brief_label),
                ("Anmärkning / Note", source.note),
            ):
                if value is not None:
                    fields.append((label, str(value)))
            fields.extend(_source_record(source))
            if source.open_question is not None:
                fields.append(
                    ("Öppen fråga / Open question", _para(_xref("question", source.open_question)))
                )
            fields.append(("Citeras av / Cited by", self.cited_by(uses[source.id])))
            section += _field_list(fields)
            result.append(section)
        return result

    def overview(self, table_set: TableSet, uses: dict[str, list[docs.SourceUse]]) -> nodes.table:
        grid, body = _grid(
            ["bk-sources"], ("Id", "Titel / Title", "Rader / Rows", "URL"), (15, 45, 15, 25)
        )
        for source in table_set.sources.values():
            cited_rows = {use.key for use in uses[source.id] if use.row is not None}
            row = nodes.row()
            for cell in (
                _para(_xref("source", source.id)),
                _para(source.title),
                _para(str(len(cited_rows))),
                _para(_url_link(source.url)),
            ):
                entry = nodes.entry()
                entry += cell
                row += entry
            body += row
        return grid

    def cited_by(self, uses: list[docs.SourceUse]) -> list[Node]:
        if not uses:
            return [
                _para(
                    "Ingen tabell citerar posten; den finns med som bakgrund. / "
                    "No table cites this entry; it is kept as background.",
                    classes=["bk-uncited"],
                )
            ]
        items: list[list[Node]] = []
        for role, role_label in _ROLE_LABEL.items():
            by_table: dict[str, list[docs.SourceUse]] = {}
            for use in uses:
                if use.role == role:
                    by_table.setdefault(use.table.key, []).append(use)
            for table_key, table_uses in by_table.items():
                paragraph = _para(f"{role_label}: ", _xref("table", table_key))
                seen: list[str] = []
                for use in table_uses:
                    if use.row is None or use.key in seen:
                        continue
                    seen.append(use.key)
                    paragraph += nodes.Text(", " if len(seen) > 1 else ": ")
                    paragraph += _xref("row", use.key, use.row.id)
                    if use.pages:
                        paragraph += nodes.Text(f" (s. / p. {use.pages})")
                items.append([paragraph])
        return [_bullets(items, "bk-cited-by")]


# --------------------------------------------------------------------------- open questions


def _first_sentence(text: str) -> str:
    """Up to the first ``?`` or ``.`` that ends a sentence (``5 kap. 15 §`` does not)."""
    found = re.search(r"[?.](?=\s+[A-ZÅÄÖ])", text)
    return text[: found.end()] if found else text


_ANSWER_LABEL = {
    "settled": "Avgjord genom / Settled by",
    "open": "Redan besvarat / Already answered",
}


class OpenQuestionsDirective(_TablesDirective):
    """``.. betanketid-open-questions::``: each question, the rows on it, where to verify."""

    def run(self) -> list[Node]:
        renderer = self.renderer()
        table_set = renderer.table_set
        by_rows = docs.question_rows(table_set)
        by_sources = docs.question_sources(table_set)
        result: list[Node] = []
        for question in table_set.questions.values():
            title = f"{question.id}: {_first_sentence(question.question.en)}"
            if question.state == "settled":
                title = f"{title} (avgjord / settled)"
            section = _section(anchor_id("question", question.id), title, "bk-question")
            if renderer.register:
                renderer.domain.note("question", question.id, question.id, section)
            resting = by_rows.get(question.id, [])
            rows_node: Node | list[Node]
            if resting:
                rows_node = [self.rows_table(table_set, resting)]
            else:
                rows_node = _para(
                    "Ingen rad vilar på frågan; den gäller registrets uppgifter. / "
                    "No row rests on it; it concerns the registry's facts.",
                    classes=["bk-no-rows"],
                )
            state = "avgjord / settled" if question.state == "settled" else "öppen / open"
            fields: list[tuple[str, Node | list[Node] | str]] = [
                ("Läge / State", _para(_text(state, f"bk-question-{question.state}"))),
                ("Fråga / Question", _bilingual(question.question.sv, question.question.en)),
                (
                    "Varför den spelar roll / Why it matters",
                    _bilingual(question.why_it_matters.sv, question.why_it_matters.en),
                ),
            ]
            if question.where_to_verify is not None:
                where = question.where_to_verify
                fields.append(
                    ("Var den kan kontrolleras / Where to verify", _bilingual(where.sv, where.en))
                )
            if question.answered is not None:
                fields.append((_ANSWER_LABEL[question.state], self.answer(question.answered)))
            fields.append(("I utredningen / In the brief", question.brief_ref))
            if by_sources.get(question.id):
                paragraph = _para()
                for index, source in enumerate(by_sources[question.id]):
                    if index:
                        paragraph += nodes.Text(", ")
                    paragraph += _xref("source", source)
                fields.append(("Registerposter / Registry entries", paragraph))
            fields.append(("Rader som vilar på den / Rows resting on it", rows_node))
            section += _field_list(fields)
            result.append(section)
        return result

    @staticmethod
    def answer(answered: Answer) -> list[Node]:
        sources = _para("källor / sources: ", classes=["bk-answer-sources"])
        for index, source_id in enumerate(answered.sources):
            if index:
                sources += nodes.Text(", ")
            sources += _xref("source", source_id)
        if answered.read_on is not None:
            sources += nodes.Text(f"; lästa / read {answered.read_on}")
        return [*_bilingual(answered.text.sv, answered.text.en), sources]

    def rows_table(self, table_set: TableSet, resting: list[tuple[Table, Row]]) -> nodes.table:
        grid, body = _grid(
            ["bk-question-rows"], (_HEAD["row"], "Status", _HEAD["note"]), (40, 15, 45)
        )
        for table, row in resting:
            tr = nodes.row()
            key = docs.row_key(table, row)
            for cell in (
                [_para(_xref("row", key))],
                [_para(status_marker(row.status))],
                _bilingual(row.note.sv, row.note.en),
            ):
                entry = nodes.entry()
                entry += cell
                tr += entry
            body += tr
        return grid


# --------------------------------------------------------------------------- social services

_SOCIAL: dict[Lang, dict[str, str]] = {
    "sv": {
        "what": "Vad är betänketid?",
        "who": "Vem får ansöka?",
        "who_intro": "Enligt lydelsen som gäller från {date} ({table}):",
        "since": "Sedan när får socialnämnden ansöka?",
        "since_text": "Socialnämnden får ansöka enligt lydelsen som gäller från {date} ({table}). "
        "Före dess gällde:",
        "conditions": "Vad prövas när socialnämnden ansöker?",
        "conditions_intro": "Varje punkt är ett villkor; tabellerna prövar det för ansökan:",
        "questions": "Frågor som ännu är öppna",
        "questions_intro": "Där svaret beror på en öppen fråga svarar biblioteket "
        "needs_review i stället för att gissa. Frågorna är formulerade på engelska:",
        "sources": "Läs mer",
        "sources_intro": "Källorna som raderna ovan bygger på:",
        "board": "Socialnämnden",
        "others": "Andra sökande",
    },
    "en": {
        "what": "What is the reflection period?",
        "who": "Who may apply?",
        "who_intro": "Under the wording in force from {date} ({table}):",
        "since": "Since when may the social welfare board apply?",
        "since_text": "The social welfare board may apply under the wording in force from "
        "{date} ({table}). Before that:",
        "conditions": "What is examined when the board applies?",
        "conditions_intro": "Each point is a condition the tables examine for the application:",
        "questions": "Questions still open",
        "questions_intro": "Where the answer turns on an open question the library answers "
        "needs_review instead of guessing:",
        "sources": "Read more",
        "sources_intro": "The sources the rows above rest on:",
        "board": "The social welfare board",
        "others": "Other applicants",
    },
}


class DecisionChangesDirective(_TablesDirective):
    """``.. betanketid-decision-changes::``: what each change of wording changes in decisions.

    For every date on which some family's wording changes, the whole chain in force the day
    before is compared with the chain in force that day (``betanketid-rules diff`` of the two
    dates).
    """

    def run(self) -> list[Node]:
        renderer = self.renderer()
        table_set = renderer.table_set
        result: list[Node] = []
        for period in table_set.periods()[1:]:
            day = period.first_day
            before = day - dt.timedelta(days=1)
            section = _section(
                nodes.make_id(f"decisions-{day.isoformat()}"),
                f"{before.isoformat()} → {day.isoformat()}",
                "bk-decision-changes",
            )
            tables = ", ".join(t.key for t in period.starting)
            section += _bilingual(
                f"Från {day.isoformat()} gäller {tables}. Alla beslut enligt kedjan som gällde "
                f"{before.isoformat()} jämförda med kedjan som gäller {day.isoformat()}.",
                f"From {day.isoformat()}, {tables} apply. Every decision of the chain in force on "
                f"{before.isoformat()} compared with the chain in force on {day.isoformat()}.",
            )
            section += renderer.report(diff_dates(table_set, before, day))
            result.append(section)
        return result


class SocialServicesDirective(_TablesDirective):
    """``.. betanketid-social-services:: sv|en``: the reflection period for social workers."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {
        "noindex": directives.flag,
        "date": directives.unchanged,
    }

    def run(self) -> list[Node]:
        lang_arg = self.arguments[0].strip()
        if lang_arg not in docs.LANGS:
            return self.fail(
                f"betanketid-social-services: language must be sv or en, not {lang_arg!r}"
            )
        lang: Lang = "sv" if lang_arg == "sv" else "en"
        renderer = self.renderer()
        table_set = renderer.table_set
        day = dt.date.fromisoformat(self.options["date"]) if "date" in self.options else None
        view = docs.social_services_view(table_set, day)
        words = _SOCIAL[lang]
        prefix = f"social-{lang}"
        result: list[Node] = []

        def items(selected: Sequence[docs.Item]) -> nodes.bullet_list:
            entries: list[list[Node]] = []
            for item in selected:
                note = item.row.note.sv if lang == "sv" else item.row.note.en
                entries.append(
                    [
                        _para(
                            status_marker(item.row.status), " ", note, classes=["bk-social-note"]
                        ),
                        _short_basis(table_set, item.key, item.row, lang),
                    ]
                )
            return _bullets(entries, "bk-social")

        what = _section(f"{prefix}-what", words["what"])
        what += items(view.what)
        result.append(what)

        who = _section(f"{prefix}-who", words["who"])
        if view.who:
            standing = view.who[0].table
            who += _para(words["who_intro"].format(date=standing.version, table=standing.key))
            board = tuple(item for item in view.who if docs.concerns_board(item.row))
            others = tuple(item for item in view.who if not docs.concerns_board(item.row))
            for suffix, title, group in (
                ("board", words["board"], board),
                ("others", words["others"], others),
            ):
                if group:
                    sub = _section(f"{prefix}-who-{suffix}", title)
                    sub += items(group)
                    who += sub
        result.append(who)

        if view.since is not None:
            since = _section(f"{prefix}-since", words["since"])
            since += _para(
                words["since_text"].format(date=view.since.version, table=view.since.key)
            )
            since += items(view.before)
            result.append(since)

        conditions = _section(f"{prefix}-conditions", words["conditions"])
        conditions += _para(words["conditions_intro"])
        conditions += items(view.conditions)
        result.append(conditions)

        if view.questions:
            questions = _section(f"{prefix}-questions", words["questions"])
            questions += _para(words["questions_intro"])
            questions += _bullets(
                [
                    _bilingual_line(
                        table_set.questions[qid].question.sv,
                        table_set.questions[qid].question.en,
                        _xref("question", qid),
                        ": ",
                    )
                    for qid in view.questions
                ]
            )
            result.append(questions)

        sources = _section(f"{prefix}-sources", words["sources"])
        sources += _para(words["sources_intro"])
        sources += _bullets(
            [
                _para(
                    _xref("source", sid),
                    f": {table_set.sources[sid].title} ",
                    _url_link(table_set.sources[sid].url),
                )
                for sid in view.sources
            ]
        )
        result.append(sources)
        return result


# --------------------------------------------------------------------------- small directives


class SchemaDirective(SphinxDirective):
    """``.. betanketid-schema:: case|decision``: a JSON Schema of the contract."""

    required_arguments = 1

    def run(self) -> list[Node]:
        from ._cli.schema import SCHEMAS, schema_text  # noqa: PLC0415

        which = self.arguments[0].strip()
        if which not in SCHEMAS:
            logger.warning(
                "betanketid-schema: %r is not one of %s",
                which,
                ", ".join(sorted(SCHEMAS)),
                location=self.get_location(),
            )
            return []
        text = schema_text(which)
        block = nodes.literal_block(text, text, classes=["bk-schema"])
        block["language"] = "json"
        return [block]


def type_text(annotation: Any) -> str:
    """A field's type as a reader writes it: ``'a' | 'b'``, ``int | None``, ``tuple[X, ...]``.

    >>> from typing import Literal
    >>> type_text(Literal["grant", "refuse"] | None)
    "'grant' | 'refuse' | None"
    >>> type_text(tuple[int, ...])
    'tuple[int, ...]'
    """
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation is None or annotation is type(None):
        return "None"
    if origin is typing.Literal:
        return " | ".join(repr(arg) for arg in args)
    if origin is typing.Annotated:
        return type_text(args[0])
    if origin is typing.Union or origin is types.UnionType:
        return " | ".join(type_text(arg) for arg in args)
    if origin is not None:
        inner = ", ".join("..." if arg is Ellipsis else type_text(arg) for arg in args)
        return f"{getattr(origin, '__name__', str(origin))}[{inner}]"
    return getattr(annotation, "__name__", str(annotation))


class FieldsDirective(SphinxDirective):
    """``.. betanketid-fields:: module.Model``: the fields of a pydantic model as a table."""

    required_arguments = 1

    def run(self) -> list[Node]:
        path = self.arguments[0].strip()
        module_name, _, name = path.rpartition(".")
        model = getattr(importlib.import_module(module_name), name, None)
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            logger.warning(
                "betanketid-fields: %s is not a pydantic model", path, location=self.get_location()
            )
            return []
        grid, body = _grid(
            ["bk-fields-table"], ("Field", "Type", "Default", "Description"), (20, 25, 15, 40)
        )
        for field_name, info in model.model_fields.items():
            if info.is_required():
                default = "required"
            elif info.default_factory is not None:
                default = f"{getattr(info.default_factory, '__name__', 'factory')}()"
            else:
                default = repr(info.default)
            type_name = type_text(info.annotation)
            row = nodes.row()
            for cell in (
                _para(nodes.literal(field_name, field_name)),
                _para(nodes.literal(type_name, type_name)),
                _para(default),
                _para(info.description or ""),
            ):
                entry = nodes.entry()
                entry += cell
                row += entry
            body += row
        return [grid]


class SummaryDirective(_TablesDirective):
    """``.. betanketid-summary::``: what the table set holds, and its content hash."""

    def run(self) -> list[Node]:
        table_set = self.renderer().table_set
        all_rows = list(docs.rows(table_set))
        fields: list[tuple[str, Node | list[Node] | str]] = [
            ("Paket / Package", f"betanketid-rules {__version__}"),
            (
                "Familjer / Families",
                [_para(_xref("family", family)) for family in table_set.order],
            ),
            ("Tabellversioner / Table versions", str(sum(1 for _ in table_set))),
            ("Rader / Rows", _counts(row.status for _, row in all_rows)),
            (
                "Citeringar / Citations",
                _counts(cited.status for _, row in all_rows for cited in row.citations),
            ),
            ("Källor / Sources", str(len(table_set.sources))),
            ("Öppna frågor / Open questions", str(len(table_set.questions))),
            (
                "Innehållshash / Content hash",
                _para(nodes.literal(table_set.content_hash, table_set.content_hash)),
            ),
        ]
        return [_field_list(fields)]


class LegendDirective(SphinxDirective):
    """``.. betanketid-legend::``: the status markers and what each means."""

    def run(self) -> list[Node]:
        items: list[list[Node]] = []
        for status in docs.STATUSES:
            label = docs.STATUS_LABEL[status]
            meaning = docs.STATUS_MEANING[status]
            items.append(
                [
                    _para(status_marker(status), f"  {label['sv']} / {label['en']}"),
                    *_bilingual(meaning["sv"], meaning["en"]),
                ]
            )
        rule = _para(classes=["bk-status-rule"])
        rule += _bilingual(docs.STATUS_RULE["sv"], docs.STATUS_RULE["en"])
        return [_bullets(items, "bk-legend"), rule]


class ConsoleDirective(SphinxDirective):
    """``.. betanketid-console::``: a shell session the test-suite runs and checks.

    Lines starting with ``$ `` are commands; the lines after one, up to the next command,
    are its expected output (``...`` matches anything, as in doctests).
    """

    has_content = True

    def run(self) -> list[Node]:
        text = "\n".join(self.content)
        block = nodes.literal_block(text, text, classes=["bk-console"])
        block["language"] = "console"
        self.set_source_info(block)
        return [block]


# --------------------------------------------------------------------------- setup


def _config_inited(app: Sphinx, config: Config) -> None:
    directory = cast(str | None, config.betanketid_tables_dir)
    if directory is not None:
        config.betanketid_tables_dir = str((Path(app.confdir) / directory).resolve())


def _write_css(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / CSS_FILE).write_text(CSS, encoding="utf-8")


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the directives, the ``betanketid`` domain and the stylesheet."""
    app.add_config_value("betanketid_tables_dir", None, "env", types=(str, type(None)))
    app.add_config_value("betanketid_require_complete", True, "env", types=(bool,))
    app.add_domain(BetanketidDomain)
    app.add_directive("betanketid-table", TableDirective)
    app.add_directive("betanketid-family", FamilyDirective)
    app.add_directive("betanketid-sources", SourcesDirective)
    app.add_directive("betanketid-open-questions", OpenQuestionsDirective)
    app.add_directive("betanketid-social-services", SocialServicesDirective)
    app.add_directive("betanketid-decision-changes", DecisionChangesDirective)
    app.add_directive("betanketid-schema", SchemaDirective)
    app.add_directive("betanketid-summary", SummaryDirective)
    app.add_directive("betanketid-fields", FieldsDirective)
    app.add_directive("betanketid-legend", LegendDirective)
    app.add_directive("betanketid-console", ConsoleDirective)
    app.add_css_file(CSS_FILE)
    app.connect("config-inited", _config_inited)
    app.connect("build-finished", _write_css)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
