"""The documentation is built like code and compared against the table data.

The docs are built once per session with ``sphinx-build -W`` (warnings are errors) into a
temporary directory, and the HTML is read back: every row of every table version must appear
on its family's page with its conditions, outcome, note, status and every citation (provision,
source, and a link to the registry URL); the sources, open-questions and social-services pages
must show every entry of the data; every link must resolve. Expected text is computed here
from the YAML data, independently of the extension's own formatting code. A second build
against a planted copy of the tables shows the pages really are generated from the data.
"""

from __future__ import annotations

import datetime as dt
import doctest
import html
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from support import DURABLE_AVAILABLE, DURABLE_SKIPPED_NOTE

pytest.importorskip("sphinx", reason="the docs extra (Sphinx) is not installed")
pytest.importorskip("furo", reason="the docs extra (furo theme) is not installed")

from betanketid_rules import Case
from betanketid_rules._schemas import schema_of
from betanketid_rules._tables import Table, TableSet, load_table_set
from betanketid_rules._tables._format import Row, TableCitation
from betanketid_rules._verify.diff import diff_dates, diff_table_versions
from betanketid_rules._verify.report import DiffReport

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
TABLES = ROOT / "tables"

_BUILDS: dict[tuple[str, str], Path] = {}


def sphinx_build(
    base: Path, builder: str, *overrides: str, name: str = "default"
) -> subprocess.CompletedProcess[str]:
    """Run ``sphinx-build -W`` as CI does (a separate process: no warning filters leak)."""
    out = base / f"{name}-{builder}"
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", builder]
    command += ["-d", str(out / ".doctrees"), *overrides, str(DOCS), str(out)]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)


def built(tmp_path_factory: pytest.TempPathFactory, builder: str, name: str = "default") -> Path:
    """The output directory of a successful build, built once per session."""
    key = (builder, name)
    if key not in _BUILDS:
        base = tmp_path_factory.getbasetemp() / "docs-builds"
        base.mkdir(exist_ok=True)
        result = sphinx_build(base, builder)
        assert result.returncode == 0, (
            f"sphinx-build -W -b {builder} failed:\n{result.stdout[-4000:]}\n{result.stderr}"
        )
        _BUILDS[key] = base / f"{name}-{builder}"
    return _BUILDS[key]


@pytest.fixture(scope="session")
def html_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(tmp_path_factory, "html")


@pytest.fixture(scope="session")
def table_set() -> TableSet:
    return load_table_set(TABLES)


# --------------------------------------------------------------------------- a tiny DOM


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = None

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        parts: list[str] = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text())
        return "".join(parts)

    def flat(self) -> str:
        """The text with whitespace collapsed."""
        return " ".join(self.text().split())

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag) and (cls is None or cls in element.classes)
        ]

    def by_id(self, element_id: str) -> Element | None:
        for element in self.iter():
            if element.attrs.get("id") == element_id:
                return element
        return None

    def hrefs(self) -> list[str]:
        return [a.attrs["href"] for a in self.find_all("a") if "href" in a.attrs]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, [], self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


_PAGES: dict[Path, Element] = {}


def page(path: Path) -> Element:
    if path not in _PAGES:
        parser = _Parser()
        parser.feed(path.read_text(encoding="utf-8"))
        _PAGES[path] = parser.root
    return _PAGES[path]


# --------------------------------------------------------------------------- expectations


def make_id(text: str) -> str:
    """docutils' id rule: lower case, runs of other characters to '-', start with a letter."""
    return re.sub(r"^[^a-z]+", "", re.sub(r"[^a-z0-9]+", "-", text.lower())).strip("-")


ORDINALS = ("första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde")


def provision_sv(cited: TableCitation) -> str:
    """The Swedish reference of a citation, e.g. ``5 kap. 15 § första stycket 2``."""
    parts = []
    if cited.chapter is not None:
        parts.append(f"{cited.chapter} kap.")
    if cited.section is not None:
        parts.append(f"{cited.section} §")
    if cited.paragraph is not None:
        parts.append(f"{ORDINALS[cited.paragraph - 1]} stycket")
    if cited.sentence is not None:
        parts.append(f"{ORDINALS[cited.sentence - 1]} meningen")
    if cited.point is not None:
        parts.append(str(cited.point))
    return " ".join(parts)


def cell_text(column: str, cell: object) -> str:
    def value(v: object) -> str:
        return "null" if v is None else ("true" if v is True else "false" if v is False else str(v))

    if isinstance(cell, list):
        return f"{column} ∈ {{{', '.join(value(v) for v in cell)}}}"
    return f"{column} = {value(cell)}"


def flat(text: str) -> str:
    return " ".join(text.split())


def table_page(html_dir: Path, table: Table) -> Path:
    return html_dir / "tables" / f"{table.family}.html"


def row_anchor(table: Table, row: Row) -> str:
    return make_id(f"row-{table.key}/{row.id}")


def all_rows(table_set: TableSet) -> list[tuple[Table, Row]]:
    return [(table, row) for table in table_set for row in table.spec.rows]


# --------------------------------------------------------------------------- the build


def test_html_build_passes_with_warnings_as_errors(html_dir: Path) -> None:
    # The fixture asserts sphinx-build -W exited 0; the pages must also all be there.
    for name in ("index", "reading", "sources", "open-questions", "social-services", "api"):
        assert (html_dir / f"{name}.html").is_file(), name
    for name in ("integrators", "engines", "errors", "batch", "ci"):
        assert (html_dir / "guide" / f"{name}.html").is_file(), name
    assert (html_dir / "_static" / "betanketid.css").is_file()


def test_every_family_has_its_page(html_dir: Path, table_set: TableSet) -> None:
    for family in table_set.order:
        body = page(html_dir / "tables" / f"{family}.html")
        assert body.by_id(make_id(f"family-{family}")) is not None, family
        index = page(html_dir / "tables" / "index.html")
        assert f"{family}.html" in index.hrefs() or any(
            href.endswith(f"{family}.html") for href in index.hrefs()
        )


def test_doctest_examples_in_the_docs_run(tmp_path_factory: pytest.TempPathFactory) -> None:
    out = built(tmp_path_factory, "doctest")
    report = (out / "output.txt").read_text(encoding="utf-8")
    totals = re.search(r"Doctest summary\n=+\n\s*(\d+) tests\n\s*(\d+) failures in tests", report)
    assert totals is not None, report[-2000:]
    tests, failures = int(totals.group(1)), int(totals.group(2))
    assert failures == 0, report
    # The guide's examples really ran: integrators, engines, errors and batch pages.
    assert tests >= 30, report
    for document in ("guide/integrators", "guide/engines", "guide/errors", "guide/batch"):
        assert f"Document: {document}" in report, document


# --------------------------------------------------------------------------- every row


@pytest.mark.parametrize("key", [t.key for t in load_table_set(TABLES)])
def test_every_row_appears_with_its_citations_and_status(
    html_dir: Path, table_set: TableSet, key: str
) -> None:
    table = table_set.table(key)
    body = page(table_page(html_dir, table))
    section = body.by_id(make_id(f"table-{table.key}"))
    assert section is not None, f"no section for {table.key}"
    section_text = section.flat()
    assert table.version in section_text
    assert flat(table.spec.title.sv) in section_text and flat(table.spec.title.en) in section_text
    assert table.spec.hit_policy in section_text

    rows = section.find_all("tr", "bk-row")
    assert [tr.attrs["id"] for tr in rows] == [row_anchor(table, r) for r in table.spec.rows]
    for row, tr in zip(table.spec.rows, rows, strict=True):
        where = f"{table.key}/{row.id}"
        text = tr.flat()
        assert row.id in text, where
        # Status: on the row and as a visible marker, and one marker per citation.
        assert f"bk-row-{row.status}" in tr.classes, where
        markers = [span for span in tr.find_all("span", "bk-status")]
        assert f"bk-status-{row.status}" in markers[0].classes, where
        assert row.status in markers[0].flat()
        # One marker per citation and per preparatory-work reference, with its own status.
        cited_statuses = sorted(
            [c.status for c in row.citations]
            + [w.status for c in row.citations for w in c.preparatory_works]
        )
        assert sorted(m.flat().split()[-1] for m in markers[1:]) == cited_statuses, where
        context = [c for c in row.citations if c.role == "context"]
        assert len(tr.find_all("span", "bk-role-context")) == len(context), where
        # Conditions, outputs, notes.
        for column, cell in row.when.items():
            assert cell_text(column, cell) in text, (where, column)
        if not row.when:
            assert "any" in text
        for column, value in row.then.items():
            assert cell_text(column, value) in text, (where, column)
        assert flat(row.note.sv) in text and flat(row.note.en) in text, where
        # Citations: provision, wording, source and its registry URL, preparatory works.
        citations = tr.find_all("li")
        assert len(citations) == len(row.citations), where
        for cited, li in zip(row.citations, citations, strict=True):
            item = li.flat()
            assert provision_sv(cited) in item, (where, provision_sv(cited))
            assert cited.source in item, where
            source = table_set.sources[cited.source]
            hrefs = [html.unescape(h) for h in li.hrefs()]
            if source.url is not None:
                assert source.url in hrefs, (where, source.url)
            else:
                assert "no URL" in item
            for ref in (cited.act, cited.wording, cited.source):
                assert f"../sources.html#{make_id('source-' + ref)}" in hrefs, (where, ref)
            for work in cited.preparatory_works:
                assert f"../sources.html#{make_id('source-' + work.source)}" in hrefs
                url = table_set.sources[work.source].url
                assert url is None or url in hrefs, (where, work.source)
                if work.pages:
                    assert work.pages in item
        for question in row.open_questions:
            assert f"../open-questions.html#{make_id('question-' + question)}" in tr.hrefs()


def test_no_row_is_shown_that_the_tables_do_not_have(html_dir: Path, table_set: TableSet) -> None:
    expected = {row_anchor(t, r) for t, r in all_rows(table_set)}
    shown = {
        tr.attrs.get("id", "")
        for family in table_set.order
        for tr in page(html_dir / "tables" / f"{family}.html").find_all("tr", "bk-row")
    }
    assert shown == expected


# --------------------------------------------------------------------------- sources


def test_sources_page_shows_every_source_its_url_and_what_cites_it(
    html_dir: Path, table_set: TableSet
) -> None:
    body = page(html_dir / "sources.html")
    citing: dict[str, set[str]] = {sid: set() for sid in table_set.sources}
    for table, row in all_rows(table_set):
        for cited in row.citations:
            refs = {cited.act, cited.wording, cited.source}
            refs |= {work.source for work in cited.preparatory_works}
            for ref in refs:
                citing[ref].add(f"tables/{table.family}.html#{row_anchor(table, row)}")
    assert len(table_set.sources) > 0
    for source in table_set.sources.values():
        section = body.by_id(make_id(f"source-{source.id}"))
        assert section is not None, source.id
        text = section.flat()
        assert flat(source.title) in text, source.id
        hrefs = {html.unescape(h) for h in section.hrefs()}
        if source.url is not None:
            assert source.url in hrefs, source.id
        assert citing[source.id] <= hrefs, (source.id, citing[source.id] - hrefs)
        if not citing[source.id]:
            assert "No table cites this entry" in text, source.id
        if source.open_question is not None:
            assert f"open-questions.html#{make_id('question-' + source.open_question)}" in hrefs


def _url_problem(url: str) -> str | None:
    if url != url.strip() or re.search(r"\s", url):
        return "whitespace"
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        return f"scheme {parts.scheme!r}"
    host = parts.hostname or ""
    if not re.fullmatch(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}", host):
        return f"host {host!r}"
    if re.search(r"%(?![0-9A-Fa-f]{2})", url):
        return "bad percent escape"
    return None


def test_every_registry_url_is_well_formed(table_set: TableSet) -> None:
    urls = [(s.id, s.url) for s in table_set.sources.values() if s.url is not None]
    assert urls
    problems = [(sid, url, _url_problem(url)) for sid, url in urls if _url_problem(url)]
    assert problems == []


def test_url_check_rejects_malformed_urls() -> None:
    for bad in (
        "lagen.nu/prop/2006/07:53",
        "ftp://example.org/x",
        "https://exa mple.org/",
        "https://localhost/x",
        "https://example.org/%zz",
        " https://example.org/",
    ):
        assert _url_problem(bad) is not None, bad
    assert _url_problem("https://lagen.nu/prop/2006/07:53") is None


def test_every_citation_resolves_in_the_registry(table_set: TableSet) -> None:
    unresolved = []
    for table, row in all_rows(table_set):
        for cited in row.citations:
            refs = [cited.act, cited.wording, cited.source]
            refs += [work.source for work in cited.preparatory_works]
            unresolved += [(table.key, row.id, r) for r in refs if r not in table_set.sources]
        unresolved += [
            (table.key, row.id, q) for q in row.open_questions if q not in table_set.questions
        ]
        if table.spec.encodes not in table_set.sources:
            unresolved.append((table.key, "encodes", table.spec.encodes))
    assert unresolved == []


def _internal_links(html_dir: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(html_dir.rglob("*.html")):
        if path.parent.name.startswith("_") or path.name in {"genindex.html", "search.html"}:
            continue
        for href in page(path).hrefs():
            yield path, href


def test_every_link_in_the_built_pages_resolves(html_dir: Path) -> None:
    broken = []
    external = set()
    for path, raw in _internal_links(html_dir):
        href = html.unescape(raw)
        parts = urlsplit(href)
        if parts.scheme in {"http", "https"}:
            external.add(href)
            continue
        if parts.scheme or href.startswith("mailto:"):
            broken.append((path.name, href, "unexpected scheme"))
            continue
        target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append((path.relative_to(html_dir).as_posix(), href, "no such file"))
            continue
        if (
            parts.fragment
            and target.suffix == ".html"
            and page(target).by_id(unquote(parts.fragment)) is None
        ):
            broken.append((path.relative_to(html_dir).as_posix(), href, "no such anchor"))
    assert broken == []
    assert [(u, _url_problem(u)) for u in sorted(external) if _url_problem(u)] == []


# --------------------------------------------------------------------------- what changed


def _shows_report(section: Element, report: DiffReport, where: str) -> None:
    text = section.flat()
    hrefs = {html.unescape(h) for h in section.hrefs()}
    assert report.comparisons, where
    for comparison in report.comparisons:
        assert f"{comparison.points} kombinationer av fakta / combinations of facts" in text, where
        for change in [*comparison.decision_changes, *comparison.basis_changes]:
            assert f"{change.before.label} → {change.after.label}" in text, where
            for region in change.regions:
                assert flat(str(region)) in text, (where, str(region))
            for scoped in (*change.rows_before, *change.rows_after):
                anchor = make_id(f"row-{scoped.item}")
                family = scoped.item.partition("@")[0]
                assert any(
                    h.partition("#")[2] == anchor
                    and h.partition("#")[0] in {"", f"{family}.html", f"tables/{family}.html"}
                    for h in hrefs
                ), scoped.item
        for citation in comparison.citation_changes:
            assert citation.subject in text, where
        if comparison.decision_changes:  # the plain-language summary, in each language
            assert "Sammanfattning:" in text and "Summary:" in text, where


def test_family_pages_show_what_changed_between_consecutive_wordings(
    html_dir: Path, table_set: TableSet
) -> None:
    pairs = 0
    for family in table_set.order:
        tables = table_set.families[family]
        body = page(html_dir / "tables" / f"{family}.html")
        for old, new in itertools.pairwise(tables):
            section = body.by_id(make_id(f"changes-{new.key}"))
            assert section is not None, new.key
            _shows_report(section, diff_table_versions(table_set, old.key, new.key), new.key)
            pairs += 1
    assert pairs >= 3


def test_decision_changes_page_shows_each_change_date(html_dir: Path, table_set: TableSet) -> None:
    body = page(html_dir / "changes.html")
    days = table_set.change_dates()[1:]
    assert days
    for day in days:
        section = body.by_id(f"decisions-{day.isoformat()}")
        assert section is not None, day
        _shows_report(section, diff_dates(table_set, day - dt.timedelta(days=1), day), str(day))
    # Since 2022-08-01 the board can obtain the 30-day permit (brief §2.4): the page shows it.
    section = body.by_id("decisions-2022-08-01")
    assert section is not None
    assert "no_standing → grant (reflection_period, 30 days)" in section.flat()


# --------------------------------------------------------------------------- open questions


def test_open_questions_page_shows_each_question_its_rows_and_where_to_verify(
    html_dir: Path, table_set: TableSet
) -> None:
    body = page(html_dir / "open-questions.html")
    assert table_set.questions
    for question in table_set.questions.values():
        section = body.by_id(make_id(f"question-{question.id}"))
        assert section is not None, question.id
        text = section.flat()
        texts = [question.question, question.why_it_matters, question.where_to_verify]
        if question.answered is not None:
            texts.append(question.answered.text)
        for part in texts:
            if part is not None:
                assert flat(part.sv) in text and flat(part.en) in text, question.id
        assert ("avgjord / settled" in text) == (question.state == "settled"), question.id
        hrefs = section.hrefs()
        resting = {
            f"{t.key}/{r.id}" for t, r in all_rows(table_set) if question.id in r.open_questions
        }
        for key in resting:
            table = table_set.table(key.split("/")[0])
            row = next(r for r in table.spec.rows if f"{table.key}/{r.id}" == key)
            assert f"tables/{table.family}.html#{row_anchor(table, row)}" in hrefs, key
        if not resting:
            assert "No row rests on it" in text


# --------------------------------------------------------------------------- social services


def _board_reflection_rows(table: Table) -> list[Row]:
    def allows(row: Row, column: str, value: str) -> bool:
        cell = row.when.get(column)
        return cell is None or cell == value or (isinstance(cell, list) and value in cell)

    return [
        row
        for row in table.spec.rows
        if "applicant" in row.when
        and allows(row, "applicant", "social_welfare_board")
        and allows(row, "permit", "reflection_period")
    ]


def test_social_services_page_is_drawn_from_the_rows(html_dir: Path, table_set: TableSet) -> None:
    body = page(html_dir / "social-services.html")
    standing = table_set.families["utl-5-15-standing"][-1]
    outcome = table_set.families[table_set.outcome_family][-1]
    board_rows = _board_reflection_rows(standing)
    assert board_rows, "the newest standing table has no row for the board's reflection period"
    granting = [
        r
        for r in outcome.spec.rows
        if r.then.get("outcome") == "grant" and r.then.get("permit_type") == "reflection_period"
    ]
    assert granting
    for lang, section_id in (("sv", "pa-svenska"), ("en", "in-english")):
        section = body.by_id(section_id)
        assert section is not None, section_id
        text = section.flat()
        hrefs = {html.unescape(h) for h in section.hrefs()}
        for table, rows in ((standing, board_rows), (outcome, granting)):
            for row in rows:
                note = row.note.sv if lang == "sv" else row.note.en
                assert flat(note) in text, (lang, row.id)
                assert f"tables/{table.family}.html#{row_anchor(table, row)}" in hrefs
                status = table_set.vocabulary.statuses[row.status].label  # type: ignore[union-attr]
                assert (status.sv if lang == "sv" else status.en) in text
                for cited in row.citations:
                    assert f"sources.html#{make_id('source-' + cited.source)}" in hrefs
        # One language per section: the Swedish section has no English status word and says
        # nothing of questions "formulated in English" (they exist in both languages).
        if lang == "sv":
            assert "confirmed" not in text and "inferred" not in text
            assert "engelska" not in text
        # The guidance it points to is the registry's, with its URL.
        cited_sources = {c.source for r in board_rows for c in r.citations}
        for sid in cited_sources:
            url = table_set.sources[sid].url
            assert url is None or url in hrefs, (lang, sid)


# --------------------------------------------------------------------------- generated from data


def test_pages_follow_a_change_in_the_data(
    tmp_path_factory: pytest.TempPathFactory, table_set: TableSet
) -> None:
    """Plant a changed note, a new source and a new question; the pages must show them."""
    planted = tmp_path_factory.mktemp("planted") / "tables"
    shutil.copytree(TABLES, planted)
    standing = table_set.families["utl-5-15-standing"][-1]
    row = _board_reflection_rows(standing)[0]
    path = planted / standing.family / f"{standing.version}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(row.note.en) == 1
    text = text.replace(row.note.en, "PLANTED english note for the board.")
    text = text.replace(row.note.sv, "PLANTAD svensk anteckning för nämnden.")
    path.write_text(text, encoding="utf-8")
    with (planted / "sources.yaml").open("a", encoding="utf-8") as registry:
        registry.write(
            "  - id: SRC-PLANTED\n    title: A planted source\n    kind: guidance\n"
            "    url: https://planted.example.org/source\n"
        )
    with (planted / "open-questions.yaml").open("a", encoding="utf-8") as questions:
        questions.write(
            "  - id: Q-PLANTED\n    state: open\n    brief_ref: none\n"
            "    question: {sv: Är detta en planterad fråga?, en: Is this a planted question?}\n"
            "    why_it_matters: {sv: Den visar att sidan genereras., en: It shows the page is "
            "generated.}\n"
            "    where_to_verify: {sv: Ingenstans alls., en: Nowhere at all.}\n"
        )
    base = tmp_path_factory.mktemp("planted-build")
    result = sphinx_build(base, "html", "-D", f"betanketid_tables_dir={planted}", name="planted")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    out = base / "planted-html"
    social = page(out / "social-services.html")
    assert "PLANTED english note for the board." in social.by_id("in-english").flat()
    assert "PLANTAD svensk anteckning för nämnden." in social.by_id("pa-svenska").flat()
    assert "PLANTED english note" in page(out / "tables" / f"{standing.family}.html").flat()
    sources = page(out / "sources.html").by_id("source-src-planted")
    assert sources is not None and "https://planted.example.org/source" in sources.hrefs()
    question = page(out / "open-questions.html").by_id("question-q-planted")
    assert question is not None and "Nowhere at all." in question.flat()


# --------------------------------------------------------------------------- contract


def _literal_blocks(body: Element) -> list[str]:
    return [pre.text() for pre in body.find_all("pre")]


def test_integrator_guide_shows_the_schemas_generated_from_the_models(html_dir: Path) -> None:
    blocks = []
    for text in _literal_blocks(page(html_dir / "guide" / "integrators.html")):
        try:
            blocks.append(json.loads(text))
        except ValueError:
            continue
    assert schema_of("case") in blocks  # what `betanketid-rules schema case` prints
    assert schema_of("decision") in blocks
    assert schema_of("case")["properties"] == Case.model_json_schema()["properties"]


# --------------------------------------------------------------------------- console sessions


def console_sessions() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every ``.. betanketid-console::`` block of the docs: (place, [(command, output)])."""
    sessions = []
    for path in sorted(DOCS.rglob("*.rst")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if line.strip() != ".. betanketid-console::":
                continue
            block: list[str] = []
            for body in lines[number + 1 :]:
                if body.strip() and not body.startswith("   "):
                    break
                block.append(body[3:])
            steps: list[tuple[str, list[str]]] = []
            for body in block:
                if body.startswith("$ "):
                    steps.append((body[2:], []))
                elif steps:
                    steps[-1][1].append(body)
            place = f"{path.relative_to(DOCS)}:{number + 1}"
            sessions.append(
                (place, [(cmd, "\n".join(out).strip("\n") + "\n") for cmd, out in steps])
            )
    return sessions


SESSIONS = console_sessions()


def printed_here(command: str, expected: str) -> str:
    """The docs show the output where both engines run; where the durable engine cannot
    (Python 3.13+), ``betanketid-rules check`` with the engines prints the skip note just before
    its summary line."""
    if DURABLE_AVAILABLE or "betanketid-rules check" not in command or "--no-engines" in command:
        return expected
    return re.sub(r"^(?=check: )", f"note: {DURABLE_SKIPPED_NOTE}\n", expected, flags=re.MULTILINE)


def test_the_docs_have_console_sessions() -> None:
    assert len(SESSIONS) >= 4
    assert all(steps for _, steps in SESSIONS)


@pytest.mark.parametrize(("place", "steps"), SESSIONS, ids=[place for place, _ in SESSIONS])
def test_console_session_prints_what_the_docs_show(
    place: str, steps: list[tuple[str, str]], tmp_path: Path
) -> None:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    checker = doctest.OutputChecker()
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    for command, expected in steps:
        result = subprocess.run(
            ["bash", "-c", command],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
            check=False,
        )
        got = result.stdout
        want = printed_here(command, expected)
        assert checker.check_output(want, got, flags), (
            f"{place}: $ {command}\nexpected:\n{want}\ngot:\n{got}"
        )


# --------------------------------------------------------------------------- CI examples


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=docs", "-c", "user.email=docs@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_ci_script_and_pre_commit_hook_of_the_guide_work(tmp_path: Path) -> None:
    """The guide's CI script and pre-commit hook, run on a repository keeping its own tables."""
    from ruamel.yaml import YAML  # noqa: PLC0415

    repo = tmp_path / "repo"
    shutil.copytree(TABLES, repo / "tables")
    _git(repo, "init", "-q")
    _git(repo, "add", "tables")
    _git(repo, "commit", "-q", "-m", "rules as released")
    # A change of a rule in the working tree: the granted reflection period loses its length.
    outcome = sorted((repo / "tables" / "utl-5-15-outcome").glob("*.yaml"))[-1]
    text = outcome.read_text(encoding="utf-8")
    granted = "then: {outcome: grant, permit_type: reflection_period, permit_days: 30,"
    assert text.count(granted) == 1
    outcome.write_text(
        text.replace(granted, granted.replace("permit_days: 30", "permit_days: null")),
        encoding="utf-8",
    )
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["OUT"] = str(repo.parent / "ci-out")
    script = DOCS.parent / "examples" / "ci" / "check-tables.sh"

    def run(command: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, cwd=repo, env=env, capture_output=True, text=True, timeout=600, check=False
        )

    result = run(["bash", str(script), "tables", "HEAD"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 findings" in result.stdout
    markdown = (repo.parent / "ci-out" / "diff.md").read_text(encoding="utf-8")
    assert "grant (reflection_period, 30 days)" in markdown
    assert "grant (reflection_period)" in markdown
    report = json.loads((repo.parent / "ci-out" / "diff.json").read_text(encoding="utf-8"))
    assert report["kind"] == "directories" and report["comparisons"]

    config = YAML(typ="safe").load((DOCS / "examples" / "pre-commit-config.yaml").read_text())
    hook = config["repos"][0]["hooks"][0]
    assert hook["language"] == "system" and re.search(hook["files"], "tables/x/2022-08-01.yaml")
    assert run(["bash", "-c", hook["entry"]]).returncode == 0

    # A planted finding (two rows with one id) fails both.
    standing = sorted((repo / "tables" / "utl-5-15-standing").glob("*.yaml"))[-1]
    text = standing.read_text(encoding="utf-8")
    standing.write_text(text.replace("id: 5-15-2st-fu\n", "id: 5-15-1st-fu\n", 1), "utf-8")
    assert run(["bash", str(script), "tables", "HEAD"]).returncode != 0
    assert run(["bash", "-c", hook["entry"]]).returncode != 0


def test_the_reading_page_says_how_firm_each_wording_is(
    html_dir: Path, table_set: TableSet
) -> None:
    """Seen: no page said how firm the wording in force is. Now every period names the
    wording each table encodes and whether its text was read; one not read names its open
    question (the original 2006 wording: Q-V1)."""
    body = page(html_dir / "reading.html")
    text = body.flat()
    for period in table_set.periods():
        assert period.first_day.isoformat() in text
        for table in period.tables:
            assert table.spec.encodes in text
    unread = [s for s in table_set.sources.values() if s.text_read is None and s.open_question]
    assert any(source.open_question == "Q-V1" for source in unread)
    assert "Texten har inte lästs / The text was not read." in text
    assert "Texten har lästs" in text


def test_table_pages_speak_legal_words_not_identifiers(html_dir: Path) -> None:
    """Seen: the conditions were identifiers only, and the page said "Träffpolicy",
    "Indata", "punkter" and "citeringar". Now the conditions read in words (the identifier
    after them), and the headings are natural Swedish."""
    text = page(html_dir / "tables" / "utl-5-15-standing.html").flat()
    assert "sökande: socialnämnden" in text and "applicant: the social welfare board" in text
    assert "applicant = social_welfare_board" in text  # for developers, after the words
    for word in ("Träffpolicy", "Indata", "punkter", "Citeringar", "citeringar"):
        assert word not in text, word
    social = page(html_dir / "social-services.html").flat()
    assert "Observera / Note" in social
