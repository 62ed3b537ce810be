"""Load and validate a table directory, collecting every problem with file and line."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .._contract import EARLIEST_DECISION_DATE
from .._errors import ProblemCode, TableError, TableFileError, TableProblem
from .._types import CellScalar
from ._catalogue import (
    CATALOGUE_FILE,
    VOCABULARY_FILE,
    catalogue_problems,
    vocabulary_problems,
)
from ._columns import DerivedValue, UpstreamOutput, parse_source
from ._evaluate import MAX_INPUT_SPACE
from ._format import (
    CaseQuestion,
    OpenQuestions,
    QuestionCatalogue,
    SourceRegistry,
    TableFile,
    Vocabulary,
)
from ._order import family_order
from ._tableset import Table, TableSet, hash_contents
from ._yaml import LocatedDocument, read_yaml

SOURCES_FILE = "sources.yaml"
QUESTIONS_FILE = "open-questions.yaml"
OUTCOME_COLUMN = "outcome"


@dataclass
class LoadResult:
    """What reading a table directory gave: the tables that parsed, and every problem."""

    directory: Path
    tables: list[Table] = field(default_factory=list)
    sources: SourceRegistry | None = None
    questions: OpenQuestions | None = None
    problems: list[TableProblem] = field(default_factory=list)
    #: The tables that loaded, as a set: also when other files had problems (then partial:
    #: ``complete`` is false), as long as the registries parsed and families form no cycle.
    table_set: TableSet | None = None
    #: True when nothing had a problem: ``table_set`` is then the whole directory.
    complete: bool = False
    #: The bytes of every file read, by its name relative to ``directory`` (what the table
    #: set's content hash is computed over: the bytes parsed, never a second read).
    contents: dict[str, bytes] = field(default_factory=dict)


def _describe(error: dict[str, Any]) -> str:
    location = ".".join(str(part) for part in error["loc"])
    return f"{location}: {error['msg']}" if location else str(error["msg"])


def _parse(document: LocatedDocument, model: type[BaseModel], problems: list[TableProblem]) -> Any:
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        for detail in error.errors():
            problems.append(document.problem(detail["loc"], _describe(dict(detail)), "schema"))
        return None


def _read(path: Path, result: LoadResult) -> LocatedDocument | None:
    """The document at ``path`` (inside ``result.directory``), its bytes kept in ``result``;
    None, with the problem added to ``result``, when it cannot be read."""
    try:
        document = read_yaml(path, result.directory)
    except TableFileError as error:
        result.problems.append(error.problem)
        return None
    except OSError as error:
        result.problems.append(
            TableProblem(path, None, f"cannot read: {error.strerror}", "unreadable")
        )
        return None
    result.contents[path.relative_to(result.directory).as_posix()] = document.content
    return document


def _fmt(value: CellScalar) -> str:
    return "null" if value is None else repr(value)


class _TableChecker:
    """Checks one parsed table against the registry, the questions and the column domains."""

    def __init__(
        self,
        document: LocatedDocument,
        spec: TableFile,
        source_ids: set[str],
        question_ids: set[str] | None,
        upstream_values: dict[str, tuple[CellScalar, ...]],
        problems: list[TableProblem],
    ) -> None:
        self.doc = document
        self.spec = spec
        self.sources = source_ids
        self.questions = question_ids
        self.upstream = upstream_values
        self.problems = problems
        self.domains: dict[str, tuple[CellScalar, ...]] = {}

    def problem(self, location: tuple[str | int, ...], reason: str, code: ProblemCode) -> None:
        self.problems.append(self.doc.problem(location, reason, code))

    def run(self) -> tuple[tuple[CellScalar, ...], ...] | None:
        before = len(self.problems)
        self._check_place()
        self._check_columns()
        self._check_policy()
        seen: dict[str, int] = {}
        for index, row in enumerate(self.spec.rows):
            where: tuple[str | int, ...] = ("rows", index)
            if row.id in seen:
                self.problem(
                    (*where, "id"),
                    f"duplicate row id {row.id!r} (first at row {seen[row.id]})",
                    "duplicate_id",
                )
            seen.setdefault(row.id, index)
            self._check_row(index, row.conditions, row.then)
            for c_index, citation in enumerate(row.citations):
                at = (*where, "citations", c_index)
                for name in ("act", "wording", "source"):
                    ref = getattr(citation, name)
                    if ref not in self.sources:
                        self.problem(
                            (*at, name),
                            f"citation {name} {ref!r} is not in {SOURCES_FILE}",
                            "unknown_source",
                        )
                for p_index, work in enumerate(citation.preparatory_works):
                    if work.source not in self.sources:
                        self.problem(
                            (*at, "preparatory_works", p_index, "source"),
                            f"preparatory work {work.source!r} is not in {SOURCES_FILE}",
                            "unknown_source",
                        )
            if self.questions is not None:
                for q_index, question in enumerate(row.open_questions):
                    if question not in self.questions:
                        self.problem(
                            (*where, "open_questions", q_index),
                            f"open question {question!r} is not in {QUESTIONS_FILE}",
                            "unknown_question",
                        )
        if self.spec.encodes not in self.sources:
            self.problem(
                ("encodes",), f"{self.spec.encodes!r} is not in {SOURCES_FILE}", "unknown_source"
            )
        if len(self.problems) > before:
            return None
        return self._bounded(tuple(self.domains[column.name] for column in self.spec.inputs))

    def _bounded(
        self, domains: tuple[tuple[CellScalar, ...], ...]
    ) -> tuple[tuple[CellScalar, ...], ...] | None:
        """``domains``, unless their product exceeds what may be enumerated (then a problem)."""
        size = math.prod(len(domain) for domain in domains)
        if size <= MAX_INPUT_SPACE:
            return domains
        reason = (
            f"its inputs take {size:,} combinations; at most {MAX_INPUT_SPACE:,} can be verified"
        )
        self.problem(("inputs",), reason, "too_large")
        return None

    def _check_place(self) -> None:
        spec, path = self.spec, self.doc.path
        expected = f"{spec.family}/{spec.in_force_from.isoformat()}.yaml"
        if path.parent.name != spec.family or path.name != f"{spec.in_force_from.isoformat()}.yaml":
            self.problem(("family",), f"table must be stored as {expected}", "misplaced")
        if spec.in_force_to is not None and spec.in_force_to < spec.in_force_from:
            self.problem(("in_force_to",), "in_force_to is before in_force_from", "misplaced")

    def _check_columns(self) -> None:
        names: set[str] = set()
        for index, column in enumerate(self.spec.inputs):
            if column.name in names:
                self.problem(
                    ("inputs", index, "name"), f"duplicate input column {column.name!r}", "column"
                )
            names.add(column.name)
            domain = self._domain(column.source)
            if domain is None:
                self.problem(
                    ("inputs", index, "from"),
                    f"unknown input source {column.source!r} (a finite case field, "
                    "'<family>.<output>' or 'derived.<name>')",
                    "column",
                )
                domain = ()
            self.domains[column.name] = domain
        for index, output in enumerate(self.spec.outputs):
            if output.name in names:
                self.problem(
                    ("outputs", index, "name"), f"{output.name!r} is also an input", "column"
                )
            if output.default is not None and output.default not in output.values:
                self.problem(
                    ("outputs", index, "default"), "default is not one of the values", "column"
                )
        for index, scoped in enumerate(self.spec.condition_scope):
            if scoped not in names:
                self.problem(
                    ("condition_scope", index), f"{scoped!r} is not an input column", "column"
                )

    def _domain(self, text: str) -> tuple[CellScalar, ...] | None:
        source = parse_source(text)
        if isinstance(source, UpstreamOutput):
            return self.upstream.get(source.text)
        return None if source is None else source.domain

    def _check_policy(self) -> None:
        spec = self.spec
        if spec.hit_policy == "COLLECT" and spec.aggregation is None:
            self.problem(
                ("hit_policy",),
                "COLLECT needs an aggregation (LIST, COUNT, MAX or MIN)",
                "hit_policy",
            )
        if spec.hit_policy != "COLLECT" and spec.aggregation is not None:
            self.problem(
                ("aggregation",),
                f"aggregation is only for COLLECT, not {spec.hit_policy}",
                "hit_policy",
            )
        if spec.aggregation in ("MAX", "MIN", "COUNT") and len(spec.outputs) != 1:
            self.problem(
                ("outputs",),
                f"{spec.aggregation} aggregates exactly one output column",
                "hit_policy",
            )

    def _check_row(
        self,
        index: int,
        conditions: dict[str, tuple[CellScalar, ...]],
        then: dict[str, CellScalar],
    ) -> None:
        where: tuple[str | int, ...] = ("rows", index)
        for column, values in conditions.items():
            if column not in self.domains:
                self.problem((*where, "when", column), f"unknown column {column!r}", "cell_value")
                continue
            if not values:
                self.problem(
                    (*where, "when", column), "an empty list matches nothing", "cell_value"
                )
            for value in values:
                if value not in self.domains[column] or isinstance(value, bool) != isinstance(
                    self.domains[column][0], bool
                ):
                    allowed = ", ".join(_fmt(v) for v in self.domains[column])
                    self.problem(
                        (*where, "when", column),
                        f"unknown value {_fmt(value)} for column {column!r} (allowed: {allowed})",
                        "cell_value",
                    )
        outputs = {output.name: output for output in self.spec.outputs}
        for name in outputs.keys() - then.keys():
            self.problem((*where, "then"), f"output {name!r} is missing", "output_value")
        for name, value in then.items():
            if name not in outputs:
                self.problem(
                    (*where, "then", name), f"unknown output column {name!r}", "output_value"
                )
            elif value not in outputs[name].values:
                allowed = ", ".join(_fmt(v) for v in outputs[name].values)
                self.problem(
                    (*where, "then", name),
                    f"unknown value {_fmt(value)} for output {name!r} (allowed: {allowed})",
                    "output_value",
                )


def _upstream_values(specs: list[TableFile]) -> dict[str, tuple[CellScalar, ...]]:
    """``family.output`` -> every value the family's tables may produce (declared values)."""
    values: dict[str, list[CellScalar]] = {}
    for spec in specs:
        if spec.aggregation in ("LIST", "COUNT"):
            continue
        for output in spec.outputs:
            bucket = values.setdefault(f"{spec.family}.{output.name}", [])
            extra = [output.default] if spec.hit_policy == "COLLECT" else []
            for value in (*output.values, *extra):
                if value not in bucket:
                    bucket.append(value)
    return {key: tuple(vals) for key, vals in values.items()}


def _needs(
    specs: dict[str, list[tuple[LocatedDocument, TableFile]]], problems: list[TableProblem]
) -> dict[str, set[str]]:
    """Family -> the families its tables read from; unknown and self references are problems."""
    needs: dict[str, set[str]] = {}
    for family, entries in specs.items():
        needs[family] = set()
        for document, spec in entries:
            for index, column in enumerate(spec.inputs):
                source = parse_source(column.source)
                if not isinstance(source, UpstreamOutput):
                    continue
                where = ("inputs", index, "from")
                if source.family not in specs:
                    problems.append(
                        document.problem(
                            where, f"unknown family {source.family!r}", "unknown_family"
                        )
                    )
                elif source.family == family:
                    problems.append(
                        document.problem(where, "a table cannot read itself", "reads_itself")
                    )
                elif (other := specs[source.family][0][1].matter) != spec.matter:
                    problems.append(
                        document.problem(
                            where,
                            f"a table of the {spec.matter} matter cannot read "
                            f"{source.family!r}, a family of the {other} matter",
                            "column",
                        )
                    )
                else:
                    needs[family].add(source.family)
    return needs


def _matters(
    parsed: dict[str, list[tuple[LocatedDocument, TableFile]]], problems: list[TableProblem]
) -> dict[str, str]:
    """Each family's matter; every version of a family must declare the same one."""
    matters: dict[str, str] = {}
    for family, entries in parsed.items():
        first = entries[0][1].matter
        matters[family] = first
        for document, spec in entries[1:]:
            if spec.matter != first:
                problems.append(
                    document.problem(
                        ("matter",),
                        f"{family} is of the {first} matter in another version, "
                        f"{spec.matter} here: a family keeps its matter",
                        "column",
                    )
                )
    return matters


def _outcome_families(
    directory: Path,
    parsed: dict[str, list[tuple[LocatedDocument, TableFile]]],
    matters: dict[str, str],
    problems: list[TableProblem],
) -> dict[str, str]:
    """Per matter, the one family outputting the outcome (a problem where not exactly one)."""
    outcome_of: dict[str, str] = {}
    for matter in sorted(set(matters.values()) | {"application"}):
        outcome_families = sorted(
            family
            for family, entries in parsed.items()
            if matters.get(family) == matter
            and any(output.name == OUTCOME_COLUMN for _, spec in entries for output in spec.outputs)
        )
        if len(outcome_families) != 1:
            of_matter = "" if matter == "application" else f" of the {matter} matter"
            problems.append(
                TableProblem(
                    directory,
                    None,
                    f"exactly one family{of_matter} must output {OUTCOME_COLUMN!r}, "
                    f"found {outcome_families or 'none'}",
                    "outcome_family",
                )
            )
        else:
            outcome_of[matter] = outcome_families[0]
    return outcome_of


def _earliest_readers(
    parsed: dict[str, list[tuple[LocatedDocument, TableFile]]],
) -> dict[str, dt.date]:
    """Per family, the first day a table reading one of its outputs is in force."""
    found: dict[str, dt.date] = {}
    for entries in parsed.values():
        for _, spec in entries:
            for column in spec.inputs:
                source = parse_source(column.source)
                if isinstance(source, UpstreamOutput):
                    day = found.get(source.family)
                    if day is None or spec.in_force_from < day:
                        found[source.family] = spec.in_force_from
    return found


def _check_versions(
    family: str,
    entries: list[tuple[LocatedDocument, TableFile]],
    problems: list[TableProblem],
    read_from: dt.date | None = None,
) -> None:
    """Versions of ``family`` follow each other without gap or overlap, to the present.

    A family may start after the act (its provision was enacted later: a neighbouring permit)
    when it outputs no outcome and no table in force before its first day reads from it
    (``read_from``: the first day a table reading it is in force, None when no table reads
    it); before that day the chain has no table of it.
    """
    entries.sort(key=lambda entry: entry[1].in_force_from)
    first_doc, first = entries[0]
    enacted_later = (read_from is None or read_from >= first.in_force_from) and all(
        output.name != OUTCOME_COLUMN for _, spec in entries for output in spec.outputs
    )
    if first.in_force_from > EARLIEST_DECISION_DATE and not enacted_later:
        problems.append(
            first_doc.problem(
                ("in_force_from",),
                f"version gap: {family} has no table in force from "
                f"{EARLIEST_DECISION_DATE.isoformat()} to "
                f"{first.in_force_from - dt.timedelta(days=1)}",
                "version_gap",
            )
        )
    for (_, before), (doc, after) in itertools.pairwise(entries):
        if before.in_force_to is None or before.in_force_to >= after.in_force_from:
            problems.append(
                doc.problem(
                    ("in_force_from",),
                    f"version overlap: {family}@{after.in_force_from} starts while "
                    f"{family}@{before.in_force_from} is still in force",
                    "version_overlap",
                )
            )
        elif before.in_force_to + dt.timedelta(days=1) < after.in_force_from:
            problems.append(
                doc.problem(
                    ("in_force_from",),
                    f"version gap: no table of {family} in force from "
                    f"{before.in_force_to + dt.timedelta(days=1)} to "
                    f"{after.in_force_from - dt.timedelta(days=1)}",
                    "version_gap",
                )
            )
    last_doc, last = entries[-1]
    if last.in_force_to is not None:
        problems.append(
            last_doc.problem(
                ("in_force_to",),
                f"version gap: no table of {family} in force after {last.in_force_to}",
                "version_gap",
            )
        )


def _duplicates(
    document: LocatedDocument | None, key: str, ids: list[str], problems: list[TableProblem]
) -> None:
    seen: set[str] = set()
    for index, item_id in enumerate(ids):
        if item_id in seen and document is not None:
            problems.append(
                document.problem((key, index, "id"), f"duplicate id {item_id!r}", "duplicate_id")
            )
        seen.add(item_id)


def _read_registries(directory: Path, result: LoadResult) -> tuple[set[str], set[str] | None]:
    """Read sources.yaml and open-questions.yaml into ``result``; return their ids."""
    problems = result.problems
    sources_doc = _read(directory / SOURCES_FILE, result)
    if sources_doc is not None:
        result.sources = _parse(sources_doc, SourceRegistry, problems)
    questions_doc = _read(directory / QUESTIONS_FILE, result)
    if questions_doc is not None:
        result.questions = _parse(questions_doc, OpenQuestions, problems)
    source_ids = [source.id for source in result.sources.sources] if result.sources else []
    question_ids = [q.id for q in result.questions.questions] if result.questions else []
    _duplicates(sources_doc, "sources", source_ids, problems)
    _duplicates(questions_doc, "questions", question_ids, problems)
    return set(source_ids), set(question_ids) if result.questions else None


def _read_catalogue(
    directory: Path, result: LoadResult, source_ids: set[str]
) -> dict[str, CaseQuestion]:
    """The question catalogue by field, with its problems added to ``result``."""
    document = _read(directory / CATALOGUE_FILE, result)
    if document is None:
        return {}
    catalogue = _parse(document, QuestionCatalogue, result.problems)
    if catalogue is None:
        return {}
    result.problems += catalogue_problems(document, catalogue, result.tables, source_ids)
    return {question.field: question for question in catalogue.questions}


def _read_vocabulary(directory: Path, result: LoadResult) -> Vocabulary | None:
    """The vocabulary of the case's values, with its problems added to ``result``."""
    document = _read(directory / VOCABULARY_FILE, result)
    if document is None:
        return None
    vocabulary: Vocabulary | None = _parse(document, Vocabulary, result.problems)
    if vocabulary is not None:
        registry = result.sources.sources if result.sources else ()
        statutes = sorted({s.sfs for s in registry if s.kind == "statute" and s.sfs})
        passed: dict[str, set[str]] = {}
        derived: set[str] = set()
        for table in result.tables:
            names = {output.name for output in table.spec.outputs}
            if OUTCOME_COLUMN not in names:
                for output in table.spec.outputs:
                    passed.setdefault(output.name, set()).update(map(str, output.values))
            derived.update(c.name for c in table.columns if isinstance(c.source, DerivedValue))
        result.problems += vocabulary_problems(document, vocabulary, statutes, passed, derived)
    return vocabulary


def table_set_files(directory: Path) -> list[Path]:
    """Every file a table set is read from: the tables (``<family>/<date>.yaml``), then the
    source registry, the open questions, the question catalogue and the vocabulary."""
    return [
        *sorted(directory.glob("*/*.yaml")),
        directory / SOURCES_FILE,
        directory / QUESTIONS_FILE,
        directory / CATALOGUE_FILE,
        directory / VOCABULARY_FILE,
    ]


def read_table_set(directory: Path) -> LoadResult:
    """Read every file of a table directory, collecting all problems instead of stopping.

    The result always holds what loaded: with problems, ``table_set`` holds the tables that
    loaded (partial), unless the registries did not parse or the families read each other in
    a cycle.
    """
    result = LoadResult(directory=directory)
    problems = result.problems
    source_ids, question_ids = _read_registries(directory, result)
    table_paths = sorted(directory.glob("*/*.yaml"))
    parsed: dict[str, list[tuple[LocatedDocument, TableFile]]] = {}
    for path in table_paths:
        document = _read(path, result)
        if document is None:
            continue
        spec = _parse(document, TableFile, problems)
        if spec is not None:
            parsed.setdefault(spec.family, []).append((document, spec))
    if not table_paths:
        problems.append(
            TableProblem(directory, None, "no table files (<family>/<date>.yaml)", "no_tables")
        )

    order, cyclic = family_order(_needs(parsed, problems))
    if cyclic:
        problems.append(
            TableProblem(
                ", ".join(cyclic), None, "families read from each other in a cycle", "cycle"
            )
        )
    read_from = _earliest_readers(parsed)
    for family, entries in parsed.items():
        _check_versions(family, entries, problems, read_from.get(family))
    upstream = _upstream_values([spec for entries in parsed.values() for _, spec in entries])
    for family in (*order, *cyclic):
        for document, spec in parsed.get(family, []):
            domains = _TableChecker(
                document, spec, source_ids, question_ids, upstream, problems
            ).run()
            if domains is not None:
                result.tables.append(Table(spec, document.path, document.sha256, domains))

    catalogue = _read_catalogue(directory, result, source_ids)
    vocabulary = _read_vocabulary(directory, result)
    matters = _matters(parsed, problems)
    outcome_of = _outcome_families(directory, parsed, matters, problems)
    if result.sources is None or result.questions is None or cyclic or not result.tables:
        return result
    result.complete = not problems
    families: dict[str, list[Table]] = {}
    for table in result.tables:
        families.setdefault(table.family, []).append(table)
    loaded_order = tuple(family for family in order if family in families)
    result.table_set = TableSet(
        directory=directory,
        families={
            family: tuple(sorted(tables, key=lambda table: table.spec.in_force_from))
            for family, tables in families.items()
        },
        order=loaded_order,
        sources={source.id: source for source in result.sources.sources},
        questions={question.id: question for question in result.questions.questions},
        content_hash=hash_contents(result.contents) if result.complete else "",
        outcome_family=outcome_of.get("application", loaded_order[-1]),
        catalogue=catalogue,
        vocabulary=vocabulary,
        matters={family: matters.get(family, "application") for family in loaded_order},
        outcome_families=outcome_of,
    )
    return result


def load_table_set(directory: Path) -> TableSet:
    """Load a table directory; raise :class:`TableError` listing every problem found."""
    result = read_table_set(directory)
    if result.table_set is None or not result.complete:
        raise TableError(result.problems)
    return result.table_set
