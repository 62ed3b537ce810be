"""``check``: verify a table directory exhaustively and report every problem as a finding.

The input domains are finite, so every check is exact: each table is evaluated on every point
of its reachable input domain (:func:`~betanketid_rules._tables._reach.reachable_domains`).

* problems the loader finds (schema, unknown citation, duplicate id, version gap or overlap)
  are findings like the rest: loading does not stop at the first one;
* completeness: inputs no row matches (UNIQUE, FIRST and PRIORITY tables);
* overlap: inputs two rows of a UNIQUE table both match, per pair of rows;
* dead rows: rows that match no reachable input, and rows of a FIRST or PRIORITY table that
  match but never fire (masked by the rows that do);
* subsumed rows: a row that matches only inputs another row with the same outputs matches
  (not reported for UNIQUE tables, where the pair is already an overlap);
* citations: the act and the wording a row's basis citations cite (context citations are
  evidence, which may be later), and the act a table encodes, are in force
  on the table's dates (at the level of the act: the source's ``in_force_from``, else its date,
  as the lower bound, its ``in_force_to`` as the upper bound);
* statuses: each citation's status fits its source, and each row's status is its weakest basis
  citation (the rule of :mod:`betanketid_rules._tables._status`);
* provenance: each citation could have been read in its source, and a page of a preparatory
  work is one its source is recorded to cite (:mod:`betanketid_rules._tables._provenance`);
* open questions: each is named by a row or a source, and lists exactly the rows naming it; no
  row or source rests on a settled question; a row resting on one is not confirmed and cites a
  source the question is about (:mod:`betanketid_rules._tables._resting`);
* the native and durable engines agree on every point (skipped, with a note, where
  durable_rules cannot run).

>>> from betanketid_rules._tables import default_tables_dir
>>> report = check_tables(default_tables_dir())
>>> report.ok, report.tables
(True, 10)
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .._engine._equality import (
    EXHAUSTIVE_POINTS,
    SAMPLE_POINTS,
    EnginePair,
    compare_table,
    engine_pair,
)
from .._errors import EngineError, ProblemCode, TableFileError
from .._tables import Table, TableSet, read_table_set
from .._tables._atoms import Atom, box_positions, table_atoms
from .._tables._format import Source
from .._tables._load import QUESTIONS_FILE
from .._tables._notes import note_problems
from .._tables._provenance import provenance_problems
from .._tables._questions import question_problems
from .._tables._reach import reachable_domains
from .._tables._resting import resting_problems
from .._tables._status import row_status_problems
from .._tables._yaml import LocatedDocument, read_yaml
from .._types import Box
from .findings import CheckReport, Finding, FindingKind
from .regions import (
    POINTWISE_LIMIT,
    Column,
    Region,
    box_region,
    cover,
    format_value,
    merge_boxes,
)

#: The finding each kind of loader problem becomes; every other code is a ``load`` finding.
_FINDING_OF: Mapping[ProblemCode, FindingKind] = {
    "version_gap": "version",
    "version_overlap": "version",
    "unknown_source": "citation",
    "unknown_question": "open_question",
}


class _Lines:
    """Line numbers of rows and questions, read lazily from the files."""

    def __init__(self) -> None:
        self._documents: dict[Path, LocatedDocument | None] = {}

    def line(self, path: Path, location: tuple[str | int, ...]) -> int | None:
        if path not in self._documents:
            try:
                self._documents[path] = read_yaml(path)
            except (OSError, TableFileError):
                self._documents[path] = None
        document = self._documents[path]
        return document.line_of(location) if document is not None else None


@dataclass
class _TableRun:
    """One table over its reachable domain, as atoms: boxes on which the same rows match."""

    table: Table
    columns: tuple[Column, ...]
    atoms: list[Atom]

    @property
    def points(self) -> int:
        """How many points the reachable domain holds."""
        return sum(atom.points for atom in self.atoms)

    def regions(self, boxes: Sequence[Box]) -> list[Region]:
        """The points of ``boxes`` (disjoint) as few regions."""
        if sum(math.prod(mask.bit_count() for mask in box) for box in boxes) <= POINTWISE_LIMIT:
            return cover(self.columns, [p for box in boxes for p in box_positions(box)])
        return [box_region(self.columns, box) for box in merge_boxes(self.columns, boxes)]


def _run_table(table_set: TableSet, table: Table) -> _TableRun:
    domains = reachable_domains(table_set, table)
    columns = tuple(
        Column(name, domain) for name, domain in zip(table.column_names, domains, strict=True)
    )
    return _TableRun(table, columns, table_atoms(table, domains))


def _tally(
    run: _TableRun,
) -> tuple[list[list[int]], list[int], list[set[int]], dict[tuple[int, int], list[Box]]]:
    """Per row: the atoms it matches, on how many points it fires, the rows firing where it
    does not; per pair of rows of a UNIQUE table: the boxes both match."""
    rows = run.table.spec.rows
    unique = run.table.spec.hit_policy == "UNIQUE"
    matches: list[list[int]] = [[] for _ in rows]
    fires = [0] * len(rows)
    maskers: list[set[int]] = [set() for _ in rows]
    pairs: dict[tuple[int, int], list[Box]] = {}
    for number, atom in enumerate(run.atoms):
        fired = atom.fired
        for index in atom.matched:
            matches[index].append(number)
            if index not in fired:
                maskers[index].update(fired)
        for index in fired:
            fires[index] += atom.points
        if unique and len(atom.matched) > 1:
            for pair in itertools.combinations(atom.matched, 2):
                pairs.setdefault(pair, []).append(atom.box)
    return matches, fires, maskers, pairs


class _Checker:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.findings: list[Finding] = []
        self.notes: list[str] = []
        self.proofs: dict[str, str] = {}
        self.lines = _Lines()

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def row_finding(
        self,
        kind: FindingKind,
        table: Table,
        rows: Sequence[int],
        message: str,
        regions: Sequence[Region] = (),
    ) -> None:
        ids = tuple(table.spec.rows[index].id for index in rows)
        line = self.lines.line(table.path, ("rows", rows[0])) if rows else None
        self.add(Finding(kind, message, table.key, ids, tuple(regions), str(table.path), line))

    # -- tables over their reachable domain ---------------------------------------------------

    def check_table(self, run: _TableRun) -> None:
        """Gaps, overlaps, dead rows and subsumed rows of one table."""
        table = run.table
        policy = table.spec.hit_policy
        if policy != "COLLECT":
            gaps = [atom.box for atom in run.atoms if not atom.matched]
            if gaps:
                self.add(
                    Finding(
                        "gap",
                        f"no row matches these inputs ({policy} needs one)",
                        table.key,
                        regions=tuple(run.regions(gaps)),
                        file=str(table.path),
                    )
                )
        matches, fires, maskers, pairs = _tally(run)
        for (first, second), points in sorted(pairs.items()):
            rows = table.spec.rows
            self.row_finding(
                "overlap",
                table,
                (first, second),
                f"rows {rows[first].id} and {rows[second].id} both match (UNIQUE allows one)",
                run.regions(points),
            )
        dead = self._dead_rows(run, matches, fires, maskers)
        if policy != "UNIQUE":
            self._subsumed_rows(run, matches, dead)

    def _dead_rows(
        self,
        run: _TableRun,
        matches: list[list[int]],
        fires: list[int],
        maskers: list[set[int]],
    ) -> set[int]:
        table = run.table
        policy = table.spec.hit_policy
        rows = table.spec.rows
        dead: set[int] = set()
        for index, row in enumerate(rows):
            if not matches[index]:
                dead.add(index)
                self.row_finding(
                    "dead_row",
                    table,
                    (index,),
                    f"row {row.id} matches no reachable input: {self._why_unreachable(run, index)}",
                )
            elif policy in ("FIRST", "PRIORITY") and not fires[index]:
                dead.add(index)
                masking = sorted(maskers[index])
                names = ", ".join(rows[i].id for i in masking)
                self.row_finding(
                    "dead_row",
                    table,
                    (index, *masking),
                    f"row {row.id} never fires: wherever it matches, {policy} picks {names}",
                    run.regions([run.atoms[number].box for number in matches[index]]),
                )
        return dead

    def _subsumed_rows(self, run: _TableRun, matches: list[list[int]], dead: set[int]) -> None:
        rows = run.table.spec.rows
        # The atoms partition the domain and a row holds on the whole of an atom or none of
        # it: one row's points are within another's exactly when its atoms are.
        match_sets = [frozenset(atoms) for atoms in matches]
        for index, row in enumerate(rows):
            if index in dead:
                continue
            for other, wider in enumerate(rows):
                if other == index or wider.then != row.then:
                    continue
                if not match_sets[index] <= match_sets[other]:
                    continue
                if match_sets[index] == match_sets[other] and other > index:
                    continue  # equal rows: the later one is reported as subsumed
                self.row_finding(
                    "subsumed_row",
                    run.table,
                    (index, other),
                    f"row {row.id} is subsumed by row {wider.id}: it matches only inputs "
                    f"{wider.id} also matches, with the same outputs",
                    run.regions([run.atoms[number].box for number in matches[index]]),
                )
                break

    @staticmethod
    def _why_unreachable(run: _TableRun, index: int) -> str:
        row = run.table.spec.rows[index]
        reasons = []
        conditions = row.conditions
        for column in run.columns:
            if column.name not in conditions:
                continue
            wanted = conditions[column.name]
            if not any(value in column.domain for value in wanted):
                allowed = ", ".join(format_value(value) for value in column.domain) or "nothing"
                required = ", ".join(format_value(value) for value in wanted)
                reasons.append(f"{column.name} must be {required} but can only be {allowed}")
        return "; ".join(reasons) or "its cells exclude every reachable input"

    # -- engines ------------------------------------------------------------------------------

    def check_engines(
        self, table_set: TableSet, tables: Sequence[Table], engines: EnginePair
    ) -> None:
        other = engines.other
        if other is None:
            note = f"engine agreement not checked (durable leg skipped): {engines.unavailable}"
            self.notes.append(note)
            return
        for table in tables:
            try:
                agreement = compare_table(table_set, table, engines.reference, other)
            except EngineError as error:
                self.add(Finding("engine", f"durable engine failed: {error}", table.key))
                continue
            self.proofs[table.key] = agreement.proof
            if agreement.proof == "regions":
                self.notes.append(
                    f"{table.key}: engines compared region by region ({agreement.points} points:"
                    f" the first and last of every atom and {SAMPLE_POINTS} drawn), not on every"
                    f" point: its domain is larger than {EXHAUSTIVE_POINTS}"
                )
            mismatch = agreement.mismatch
            if mismatch is not None:
                domains = reachable_domains(table_set, table)
                columns = tuple(
                    Column(name, domain)
                    for name, domain in zip(table.column_names, domains, strict=True)
                )
                region = Region(columns, tuple((value,) for value in mismatch.inputs.values()))
                self.add(
                    Finding(
                        "engine",
                        f"engines disagree: native {mismatch.expected}, durable {mismatch.actual}",
                        table.key,
                        regions=(region,),
                        file=str(table.path),
                    )
                )

    # -- citations ----------------------------------------------------------------------------

    def check_citations(self, table_set: TableSet) -> None:
        for table in table_set:
            spec = table.spec
            uses: dict[tuple[str, str], list[int]] = {}
            for index, row in enumerate(spec.rows):
                for cited in row.citations:
                    if cited.role == "context":
                        continue  # evidence about the provision, not the law applied
                    uses.setdefault((cited.act, "act"), []).append(index)
                    if cited.wording != cited.act:
                        uses.setdefault((cited.wording, "wording"), []).append(index)
            problem = self._out_of_force(table, table_set.sources.get(spec.encodes))
            if problem:
                self.add(
                    Finding(
                        "citation",
                        f"the table encodes {spec.encodes}, which {problem}",
                        table.key,
                        file=str(table.path),
                        line=self.lines.line(table.path, ("encodes",)),
                    )
                )
            for (source_id, role), indices in uses.items():
                problem = self._out_of_force(table, table_set.sources.get(source_id))
                if problem:
                    rows = sorted(set(indices))
                    self.row_finding(
                        "citation",
                        table,
                        rows,
                        f"the {role} cited, {source_id}, {problem}",
                    )

    @staticmethod
    def _out_of_force(table: Table, source: Source | None) -> str | None:
        if source is None:
            return None  # unknown ids are the loader's finding
        start = source.in_force_from or source.date
        end = source.in_force_to
        table_start, table_end = table.spec.in_force_from, table.spec.in_force_to
        if start is not None and start > table_start:
            what = "in force" if source.in_force_from else "dated"
            return f"is {what} only from {start}, after the table starts on {table_start}"
        if end is not None and (table_end is None or end < table_end):
            until = table_end.isoformat() if table_end else "open-ended"
            return f"is in force only until {end}, but the table runs until {until}"
        return None

    # -- statuses -----------------------------------------------------------------------------

    def check_statuses(self, table_set: TableSet) -> None:
        """Every row and citation follows the status rule (:mod:`.._tables._status`)."""
        for table in table_set:
            for index, row in enumerate(table.spec.rows):
                for problem in row_status_problems(row, table_set.sources):
                    self.row_finding("status", table, (index,), f"row {row.id}: {problem}")

    # -- notes --------------------------------------------------------------------------------

    def check_notes(self, table_set: TableSet) -> None:
        """Every row's note uses its outcome's modal verb (:mod:`.._tables._notes`)."""
        if table_set.vocabulary is None:
            return
        for table in table_set:
            for index, row in enumerate(table.spec.rows):
                for problem in note_problems(row, table_set.vocabulary):
                    self.row_finding("note", table, (index,), f"row {row.id}: {problem}")

    def check_row_sources(self, table_set: TableSet) -> None:
        """Where each citation was read (:mod:`.._tables._provenance`) and the sources of the
        open questions a row rests on (:mod:`.._tables._resting`)."""
        for table in table_set:
            for index, row in enumerate(table.spec.rows):
                for problem in provenance_problems(row, table_set.sources):
                    self.row_finding("citation", table, (index,), f"row {row.id}: {problem}")
                for problem in resting_problems(row, table_set):
                    self.row_finding("open_question", table, (index,), problem)

    # -- open questions -----------------------------------------------------------------------

    def check_questions(self, table_set: TableSet, partial: bool) -> None:
        """The open-question rule (:mod:`.._tables._questions`); in a partial set a question
        may rest on a row that did not load, so an unused question is not reported there."""
        index_of = {question: i for i, question in enumerate(table_set.questions)}
        for problem in question_problems(table_set):
            if partial and problem.code == "unused":
                continue
            if problem.code == "unnamed" and problem.table and problem.row:
                table = table_set.table(problem.table)
                index = table.row_index[problem.row]
                self.row_finding("open_question", table, (index,), problem.message)
                continue
            path = self.directory / problem.file
            line = (
                self.lines.line(path, ("questions", index_of[problem.question]))
                if problem.question in index_of and problem.file == QUESTIONS_FILE
                else None
            )
            rows = (problem.row,) if problem.row else ()
            self.add(
                Finding("open_question", problem.message, problem.table, rows, (), str(path), line)
            )


def _table_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*/*.yaml"))


def check_tables(directory: Path, *, engines: EnginePair | bool = True) -> CheckReport:
    """Check the table directory ``directory``; every problem becomes a :class:`Finding`.

    ``engines`` are the two engines compared on every point: by default the native and (where
    durable_rules runs) the durable engine; ``False`` leaves the comparison out.

    >>> from betanketid_rules._tables import default_tables_dir
    >>> check_tables(default_tables_dir(), engines=False).findings
    []
    """
    started = time.perf_counter()
    checker = _Checker(directory)
    result = read_table_set(directory)
    for problem in result.problems:
        kind = _FINDING_OF.get(problem.code, "load")
        checker.add(Finding(kind, problem.reason, file=problem.file, line=problem.line))
    files = _table_files(directory)
    report = CheckReport(
        str(directory),
        tables=len({path.parent.name for path in files}),
        versions=len(files),
    )
    table_set = result.table_set
    if table_set is None:
        if result.problems:
            checker.notes.append("no table could be checked: fix the problems above first")
    else:
        loaded = {table.key for table in table_set}
        unloaded = {f"{p.parent.name}@{p.stem}" for p in files} - loaded
        incomplete = {key.partition("@")[0] for key in unloaded}
        checkable = _checkable(table_set, incomplete)
        skipped = [table.key for table in table_set if table not in checkable]
        if skipped:
            checker.notes.append(
                f"not checked, because a table they read from did not load: {', '.join(skipped)}"
            )
        for table in checkable:
            run = _run_table(table_set, table)
            report.points += run.points
            checker.check_table(run)
        checker.check_citations(table_set)
        checker.check_statuses(table_set)
        checker.check_notes(table_set)
        checker.check_row_sources(table_set)
        checker.check_questions(table_set, partial=bool(unloaded))
        if engines is False:
            checker.notes.append("engine agreement not checked (engines=False)")
        else:
            pair = engine_pair() if engines is True else engines
            checker.check_engines(table_set, checkable, pair)
    report.findings = checker.findings
    report.notes = checker.notes
    report.proofs = checker.proofs
    report.seconds = time.perf_counter() - started
    return report


def _checkable(table_set: TableSet, incomplete: set[str]) -> list[Table]:
    """Tables none of whose upstream families (however far up) lost a table to a problem."""
    blocked: set[str] = set()
    for family in table_set.order:
        upstream = set().union(*(t.upstream_families for t in table_set.families[family]))
        if upstream & (incomplete | blocked):
            blocked.add(family)
    return [table for table in table_set if table.family not in blocked]


__all__ = ["check_tables"]
