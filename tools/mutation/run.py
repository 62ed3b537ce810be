#!/usr/bin/env python3
"""Table mutation score: how many one-cell changes of the tables do the tests catch?

Each mutant changes ONE cell of one shipped table, in a temporary copy of ``tables/``:

* ``flip``    a boolean condition (``in_sweden: false`` -> ``true``);
* ``swap``    an enumerated condition value, one mutant per other value of the column's domain
  (a value in a list is swapped one at a time);
* ``output``  an output (outcome, route, effect, permit type or length, remark) -> each other
  declared value;
* ``length``  a permit length plus one (30 days -> 31, 6 months -> 7), the new length added to
  the output's declared values so the mutant still loads;
* ``drop-citation``       one citation of a row;
* ``drop-open-question``  one open question of a row;
* ``status``  a row's status -> each other status (the status rule of ``check`` must catch it);
* ``note``    a granting (or may-grant) row's note made to say the other outcome's modal verb,
  in Swedish or English (ska <-> får, shall <-> may: the note rule of ``check`` must catch it).

A mutant is loaded with ``load_table_set``; one that does not load, or whose mutated row breaks
the status rule that ``betanketid-rules check`` enforces, is killed by the loader.
Otherwise the scenario suite (``tests/scenarios/*.yaml`` via ``tests/scenarios_lib.py``) and
the legal properties (``tests/legal_properties.py``) run against it in-process, with
``decide = lambda case: decide_with(mutant, case, "native")``. The properties run over a fixed
deterministic sample: for every version of the table set (first day, with no application date
and with one lodged the day before), every applicant x permit x presumed offence x person
(child/relation) combination, with the facts all favourable and with each single fact
(in Sweden, the six facts) turned unfavourable, i.e. every condition alone.

Impact analysis keeps it fast and is exact: a check's verdict is a function of the decisions
it consults; a mutated row changes a decision only for cases whose inputs to the mutated table
match that row in the original or the mutant. The baseline run (shipped tables) records which
cases each (property, case) consults, and a mutant re-runs only the pairs that consult an
impacted case. ``--no-prune`` re-runs everything (the smoke test checks both agree).

Survivors must be 0: a survivor is a missing test (add a property, or a scenario) or an
equivalent mutant, listed with its reason in ``tools/mutation/equivalent.yaml``.

Usage (from the repository root)::

    .venv/bin/python tools/mutation/run.py                 # every mutant (local, full run)
    .venv/bin/python tools/mutation/run.py --subset 150    # CI: a fixed subset of 150
    .venv/bin/python tools/mutation/run.py --list          # mutant ids
    .venv/bin/python tools/mutation/run.py --only ID ...   # some mutants, with their reasons
    .venv/bin/python tools/mutation/run.py --show ID       # the mutant as a diff

Exit status: 0 when no mutant survives and equivalent.yaml is current; 1 otherwise; 2 if the
shipped tables themselves fail the suites (nothing can be measured then).
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import datetime as dt
import difflib
import hashlib
import io
import itertools
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

import legal_properties as lp  # noqa: E402
from ruamel.yaml import YAML  # noqa: E402

from betanketid_rules import Case, Decision, TableError  # noqa: E402
from betanketid_rules._engine import decide_with  # noqa: E402
from betanketid_rules._tables import Table, TableSet, load_table_set  # noqa: E402
from betanketid_rules._tables._columns import DerivedValue  # noqa: E402
from betanketid_rules._tables._evaluate import cell_matches  # noqa: E402
from betanketid_rules._tables._notes import note_problems  # noqa: E402
from betanketid_rules._tables._status import STATUSES, row_status_problems  # noqa: E402
from betanketid_rules._tables._yaml import read_yaml  # noqa: E402
from betanketid_rules.testing import versions  # noqa: E402

HERE = Path(__file__).resolve().parent
EQUIVALENT_FILE = HERE / "equivalent.yaml"
DEFAULT_TABLES = ROOT / "tables"
SCENARIO_DIR = TESTS / "scenarios"

APPLICANTS = ("preliminary_investigation_leader", "social_welfare_board", "police_authority",
              "the_person", "other")  # fmt: skip
PERMITS = ("reflection_period", "evidence_person", "reflection_period_extension",
           "evidence_person_extension")  # fmt: skip
OFFENCES = ("trafficking", "exploitation", "other_crime", "none")
PEOPLE = ((False, "self"), (False, "family_member"), (True, "self"),
          (True, "accompanying_child"), (True, "family_member"))  # fmt: skip
FAVOURABLE: dict[str, bool] = {
    "needed_for_investigation": True,
    "willing_to_cooperate": True,
    "ties_broken": True,
    "public_order_objection": False,
    "wants_reflection_period": True,
    "special_reasons_longer_reflection": True,
}


# --- Mutants -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutant:
    """One single-cell change of one table file."""

    id: str
    file: str  # relative to the tables directory
    table: str  # family@version
    row: int
    row_id: str
    operator: str
    location: tuple[str | int, ...]  # inside the row: ("when", col[, index]) | ("then", col) | ...
    old: Any
    new: Any


def _label(value: Any) -> str:
    return (
        "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    )


def _citation_label(citation: dict[str, Any]) -> str:
    parts = [f"{citation.get('act')} {citation.get('chapter')}:{citation.get('section')}"]
    for key, short in (("paragraph", "st"), ("sentence", "men"), ("point", "p")):
        if citation.get(key) is not None:
            parts.append(f"{short}{citation[key]}")
    parts.append(str(citation.get("source")))
    return " ".join(parts)


Change = tuple[str, tuple[str | int, ...], Any, Any, str]
"""(operator, location in the row, old value, new value, readable description)."""


def _condition_changes(
    row: dict[str, Any], domains: dict[str, tuple[Any, ...]]
) -> Iterator[Change]:
    for column, cell in row.get("when", {}).items():
        values = cell if isinstance(cell, list) else [cell]
        for position, value in enumerate(values):
            listed = isinstance(cell, list)
            where: tuple[str | int, ...] = (
                ("when", column, position) if listed else ("when", column)
            )
            shown = f"when.{column}" + (f"[{position}]" if listed else "")
            if isinstance(value, bool):
                yield (
                    "flip",
                    where,
                    value,
                    not value,
                    f"{shown}:{_label(value)}->{_label(not value)}",
                )
                continue
            for other in domains[column]:
                if other not in values and not isinstance(other, bool):
                    yield "swap", where, value, other, f"{shown}:{_label(value)}->{_label(other)}"


def _output_changes(row: dict[str, Any], outputs: dict[str, list[Any]]) -> Iterator[Change]:
    for column, value in row["then"].items():
        where: tuple[str | int, ...] = ("then", column)
        for other in outputs[column]:
            if not (other == value and type(other) is type(value)):
                yield (
                    "output",
                    where,
                    value,
                    other,
                    f"then.{column}:{_label(value)}->{_label(other)}",
                )
        if isinstance(value, int) and not isinstance(value, bool):
            yield "length", where, value, value + 1, f"then.{column}:{value}->{value + 1}"


def _dropped(row: dict[str, Any]) -> Iterator[Change]:
    for position, citation in enumerate(row["citations"]):
        label = f"drop-citation:{_citation_label(citation)}"
        yield "drop-citation", ("citations", position), citation, None, label
    for position, question in enumerate(row.get("open_questions", [])):
        label = f"drop-open-question:{question}"
        yield "drop-open-question", ("open_questions", position), question, None, label


def _metadata(row: dict[str, Any], verbs: dict[str, dict[str, str]]) -> Iterator[Change]:
    """What a reviewer reads besides the rule: the row's status and its note's modal verb."""
    for other in STATUSES:
        if other != row["status"]:
            label = f"status:{row['status']}->{other}"
            yield "status", ("status",), row["status"], other, label
    outcome = row.get("then", {}).get("outcome")
    if outcome in verbs:
        for lang in ("sv", "en"):
            own = verbs[outcome][lang]
            for other_outcome, other in verbs.items():
                word = other[lang]
                text = row["note"][lang]
                if other_outcome == outcome or word == own or f" {own} " not in f" {text} ":
                    continue
                changed = f" {text} ".replace(f" {own} ", f" {word} ", 1).strip()
                label = f"note.{lang}:{own}->{word}"
                yield "note", ("note", lang), text, changed, label


def _table_mutants(
    table: Table, relative: str, data: dict[str, Any], verbs: dict[str, dict[str, str]]
) -> Iterator[Mutant]:
    domains = dict(zip(table.column_names, table.domains, strict=True))
    outputs = {column["name"]: column["values"] for column in data["outputs"]}
    for index, row in enumerate(data["rows"]):
        changes = itertools.chain(
            _condition_changes(row, domains),
            _output_changes(row, outputs),
            _dropped(row),
            _metadata(row, verbs),
        )
        for operator, location, old, new, what in changes:
            mutant_id = f"{table.key}/{row['id']}/{what}"
            yield Mutant(
                mutant_id, relative, table.key, index, row["id"], operator, location, old, new
            )


def enumerate_mutants(table_set: TableSet) -> list[Mutant]:
    """Every mutant of every table of ``table_set``, in a stable order (ids are unique)."""
    mutants: list[Mutant] = []
    vocabulary = table_set.vocabulary
    verbs = (
        {o: {"sv": v.sv, "en": v.en} for o, v in vocabulary.modal_verbs.items()}
        if vocabulary is not None
        else {}
    )
    for table in table_set:
        relative = table.path.relative_to(table_set.directory).as_posix()
        data = read_yaml(table.path).data
        mutants.extend(_table_mutants(table, relative, data, verbs))
    ids = [mutant.id for mutant in mutants]
    if len(ids) != len(set(ids)):
        raise SystemExit("mutant ids are not unique")
    return mutants


def _null(representer: Any, _: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _yaml() -> YAML:
    """A round-trip YAML writer in the tables' own layout, so a mutant's diff is one line."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(type(None), _null)
    return yaml


_DOCUMENTS: dict[str, Any] = {}


def _apply(row: Any, outputs: Any, original_outputs: list[Any], mutant: Mutant) -> None:
    """Put ``mutant``'s change into ``row`` (a copy), and for ``length`` into ``outputs``."""
    kind, *rest = mutant.location
    if kind in ("citations", "open_questions"):
        del row[kind][rest[0]]
    elif kind == "status":
        row["status"] = mutant.new
    elif kind == "note":
        row["note"][rest[0]] = mutant.new
    elif kind == "when":
        if len(rest) == 2:
            row["when"][rest[0]][rest[1]] = mutant.new
        else:
            row["when"][rest[0]] = mutant.new
    else:
        row["then"][rest[0]] = mutant.new
        if mutant.operator == "length":
            for index, column in enumerate(original_outputs):
                if column["name"] == rest[0] and mutant.new not in column["values"]:
                    outputs[index] = copy.deepcopy(column)
                    outputs[index]["values"].append(mutant.new)


def mutate_text(text: str, mutant: Mutant) -> str:
    """The table file ``text`` with ``mutant`` applied (``text`` itself is not changed).

    The parsed document is kept per text; the mutated row (and, for ``length``, the output
    column) is a deep copy put in place only while the document is written out.
    """
    yaml = _yaml()
    document = _DOCUMENTS.get(text)
    if document is None:
        document = _DOCUMENTS[text] = yaml.load(text)
    rows, outputs = document["rows"], document["outputs"]
    original_row, original_outputs = rows[mutant.row], list(outputs)
    row = rows[mutant.row] = copy.deepcopy(original_row)
    try:
        _apply(row, outputs, original_outputs, mutant)
        buffer = io.StringIO()
        yaml.dump(document, buffer)
        return buffer.getvalue()
    finally:
        rows[mutant.row] = original_row
        for index, column in enumerate(original_outputs):
            outputs[index] = column


def normalised_text(text: str) -> str:
    """``text`` loaded and written back unchanged by the writer :func:`mutate_text` uses."""
    yaml = _yaml()
    buffer = io.StringIO()
    yaml.dump(yaml.load(text), buffer)
    return buffer.getvalue()


def subset(mutants: list[Mutant], size: int) -> list[Mutant]:
    """A fixed subset: the ``size`` mutants whose ids have the smallest sha256 (stable, spread)."""
    ranked = sorted(mutants, key=lambda m: hashlib.sha256(m.id.encode()).hexdigest())
    chosen = {m.id for m in ranked[:size]}
    return [m for m in mutants if m.id in chosen]


# --- The sample and the baseline ---------------------------------------------------------------


def _reads_application_date(table_set: TableSet, table_keys: Iterable[str]) -> bool:
    """Whether any of these tables reads a derived input (the application date's effect)."""
    return any(
        isinstance(column.source, DerivedValue)
        for key in table_keys
        for column in table_set.table(key).columns
    )


def sample_cases(table_set: TableSet) -> list[Case]:
    """The fixed sample the properties run over (see the module docstring).

    For every version of the table set, decided on its first day: every applicant x permit x
    presumed offence x person, with the facts all favourable, with the person abroad, and with
    each fact alone turned unfavourable. Where a table of the version reads the application
    date, the same again with the application lodged the day before the version began.
    """
    vectors: list[tuple[bool, dict[str, bool]]] = [(True, FAVOURABLE), (False, FAVOURABLE)]
    for name, value in FAVOURABLE.items():
        vectors.append((True, {**FAVOURABLE, name: not value}))
    cases: list[Case] = []
    for version in versions(table_set.directory):
        lodged_options: list[dt.date | None] = [None]
        if _reads_application_date(table_set, version.tables):
            lodged_options.append(version.first_day - dt.timedelta(days=1))
        for lodged in lodged_options:
            for applicant, permit, offence, (child, relation), (
                in_sweden,
                facts,
            ) in itertools.product(APPLICANTS, PERMITS, OFFENCES, PEOPLE, vectors):
                fields: dict[str, Any] = {
                    "decision_date": version.first_day,
                    "applicant": applicant,
                    "permit": permit,
                    "person": {"in_sweden": in_sweden, "is_child": child, "relation": relation},
                    "facts": {"presumed_offence": offence, **facts},
                }
                if lodged is not None:
                    fields["application_date"] = lodged
                cases.append(Case.model_validate(fields))
    return cases


@dataclass
class Baseline:
    """What the shipped tables give: every case consulted, and what each check consulted."""

    table_set: TableSet
    sample: list[Case]
    #: Every case some check consulted (the sample first); a case's index is its id.
    cases: list[Case] = field(default_factory=list)
    #: (property index, sample case id) -> ids of the cases the check consulted.
    footprints: dict[tuple[int, int], tuple[int, ...]] = field(default_factory=dict)
    #: consulted case id -> the (property, case) pairs that consulted it.
    consulted_by: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    #: table key -> that table's input tuple -> ids of consulted cases giving it.
    inputs: dict[str, dict[tuple[Any, ...], list[int]]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


@dataclass
class _Part:
    """A baseline over a slice of the sample, with ids local to the slice."""

    cases: list[Case]
    footprints: list[tuple[int, int, tuple[int, ...]]]
    inputs: dict[str, dict[tuple[Any, ...], list[int]]]
    failures: list[str]


def _baseline_part(table_set: TableSet, sample: list[Case]) -> _Part:
    ids: dict[Case, int] = {}
    cases: list[Case] = []
    decisions: list[Decision] = []
    consulted: set[int] = set()

    def case_id(case: Case) -> int:
        found = ids.get(case)
        if found is None:
            found = ids[case] = len(cases)
            cases.append(case)
            decisions.append(decide_with(table_set, case, "native"))
        return found

    def decide(case: Case) -> Decision:
        found = case_id(case)
        consulted.add(found)
        return decisions[found]

    subject = lp.Subject(decide, table_set)
    part = _Part(cases, [], {}, [])
    for case in sample:
        own = case_id(case)
        for index, prop in enumerate(lp.PROPERTIES):
            consulted.clear()
            consulted.add(own)
            try:
                message = prop.check(subject, case)
            except Exception as error:
                message = f"raised {type(error).__name__}: {error}"
            if message:
                part.failures.append(f"{prop.name}: {message}")
            part.footprints.append((index, own, tuple(sorted(consulted))))
    columns = {table.key: table.column_names for table in table_set}
    for own, decision in enumerate(decisions):
        for step in decision.trace:
            key = f"{step.table}@{step.version}"
            values = tuple(step.inputs[name] for name in columns[key])
            part.inputs.setdefault(key, {}).setdefault(values, []).append(own)
    return part


_BASELINE_JOB: tuple[TableSet, list[Case]] | None = None


def _baseline_slice(bounds: tuple[int, int]) -> _Part:
    assert _BASELINE_JOB is not None
    table_set, sample = _BASELINE_JOB
    return _baseline_part(table_set, sample[bounds[0] : bounds[1]])


def build_baseline(table_set: TableSet, sample: list[Case], jobs: int = 1) -> Baseline:
    """Run every property on every sample case against the shipped tables, recording footprints.

    With ``jobs`` > 1 the sample is split between processes and the results merged.
    """
    global _BASELINE_JOB  # noqa: PLW0603  (read by forked workers)
    if jobs <= 1:
        parts = [_baseline_part(table_set, sample)]
    else:
        _BASELINE_JOB = (table_set, sample)
        step = -(-len(sample) // jobs)
        bounds = [(i, min(i + step, len(sample))) for i in range(0, len(sample), step)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            parts = pool.map(_baseline_slice, bounds)
        _BASELINE_JOB = None
    base = Baseline(table_set, sample)
    ids: dict[Case, int] = {}
    for case in sample:
        ids.setdefault(case, len(base.cases))
        if len(base.cases) < len(ids):
            base.cases.append(case)
    for part in parts:
        local = []
        for case in part.cases:
            found = ids.get(case)
            if found is None:
                found = ids[case] = len(base.cases)
                base.cases.append(case)
            local.append(found)
        for index, own, footprint in part.footprints:
            global_footprint = tuple(sorted({local[i] for i in footprint}))
            pair = (index, local[own])
            base.footprints[pair] = global_footprint
            for other in global_footprint:
                base.consulted_by.setdefault(other, []).append(pair)
        for key, by_values in part.inputs.items():
            target = base.inputs.setdefault(key, {})
            for values, owners in by_values.items():
                target.setdefault(values, []).extend(local[i] for i in owners)
        base.failures.extend(part.failures)
    return base


# --- Scenarios ---------------------------------------------------------------------------------


def load_scenario_suite() -> list[Any]:
    """The scenarios of the scenario suite (``tests/scenarios``)."""
    import scenarios_lib  # noqa: PLC0415  (another helper's module; imported when needed)

    return list(scenarios_lib.load_scenarios(SCENARIO_DIR))


def scenario_kills(scenarios: list[Any], decide: Callable[[Case], Decision]) -> str | None:
    """The first scenario the decide function fails (or, if xfail, unexpectedly passes)."""
    import scenarios_lib  # noqa: PLC0415

    for scenario in scenarios:
        failures = scenarios_lib.check_scenario(scenario, decide)
        if scenario.xfail_reason is None and failures:
            return f"{scenario.id}: {failures[0]}"
        if scenario.xfail_reason is not None and not failures:
            return f"{scenario.id}: xfail scenario now passes (strict)"
    return None


# --- Running one mutant ------------------------------------------------------------------------


@dataclass
class Result:
    """What happened to one mutant."""

    id: str
    operator: str
    loader: str | None = None
    scenario: str | None = None
    prop: str | None = None
    impacted: int = 0
    pairs_run: int = 0
    #: For a mutant no test killed: impacted cases whose decision differs from the shipped one
    #: (ignoring table hashes), and the first such case. 0 means equivalent on the sample.
    changed: int | None = None
    example: str | None = None
    seconds: float = 0.0

    @property
    def killed(self) -> bool:
        return bool(self.loader or self.scenario or self.prop)


class Worker:
    """Applies mutants in a private copy of the tables and runs the suites against them."""

    def __init__(self, tables: Path, baseline: Baseline, scenarios: list[Any], prune: bool):
        self.source = tables
        self.baseline = baseline
        self.scenarios = scenarios
        self.prune = prune
        self.tmp = Path(tempfile.mkdtemp(prefix="betanketid-mutation-"))
        self.copy = self.tmp / "tables"
        shutil.copytree(tables, self.copy)

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run(self, mutant: Mutant) -> Result:
        start = time.perf_counter()
        result = Result(mutant.id, mutant.operator)
        target = self.copy / mutant.file
        original = target.read_text(encoding="utf-8")
        try:
            target.write_text(mutate_text(original, mutant), encoding="utf-8")
            try:
                loaded = load_table_set(self.copy)
            except TableError as error:
                result.loader = str(error.problems[0]) if error.problems else str(error)
                return result
        finally:
            target.write_text(original, encoding="utf-8")
        broken = status_rule_problem(loaded, mutant)
        if broken is None and mutant.operator == "note":
            # Only a note mutant meets the note rule first: a changed outcome must still be
            # caught by the tests (the suite's strength is what the score measures).
            broken = note_rule_problem(loaded, mutant)
        if broken is not None:
            result.loader = broken
            return result
        mutant_set = share_unchanged_tables(loaded, self.baseline.table_set)
        memo: dict[Case, Decision] = {}

        def decide(case: Case) -> Decision:
            found = memo.get(case)
            if found is None:
                found = memo[case] = decide_with(mutant_set, case, "native")
            return found

        result.scenario = scenario_kills(self.scenarios, decide)
        impacted, pairs = self._pairs(mutant, mutant_set)
        result.impacted = len(impacted)
        result.prop, result.pairs_run = self._properties(pairs, mutant_set, decide)
        if not result.killed:
            result.changed, result.example = self._changes(impacted, decide)
        result.seconds = time.perf_counter() - start
        return result

    def _changes(
        self, impacted: set[int], decide: Callable[[Case], Decision]
    ) -> tuple[int, str | None]:
        """How many impacted cases the mutant decides differently, and the first of them."""
        changed, example = 0, None
        for case_id in sorted(impacted):
            case = self.baseline.cases[case_id]
            shipped = decide_with(self.baseline.table_set, case, "native")
            try:
                mutated: Decision | None = decide(case)
            except Exception:  # counted as a change
                mutated = None
            if mutated is None or comparable(mutated) != comparable(shipped):
                changed += 1
                if example is None:
                    now = mutated.outcome if mutated else "an error"
                    example = (
                        f"{case.model_dump_json(exclude_defaults=True)}: {shipped.outcome} -> {now}"
                    )
        return changed, example

    def _pairs(
        self, mutant: Mutant, mutant_set: TableSet
    ) -> tuple[set[int], list[tuple[int, int]]]:
        base = self.baseline
        if not self.prune:
            return set(range(len(base.cases))), sorted(base.footprints)
        original = base.table_set.table(mutant.table)
        changed = mutant_set.table(mutant.table)
        before = original.cells[mutant.row]
        after = changed.cells[mutant.row]
        impacted: set[int] = set()
        for values, ids in base.inputs.get(mutant.table, {}).items():
            hits = (
                all(cell_matches(c, v) for c, v in zip(cells, values, strict=True))
                for cells in (before, after)
            )
            if any(hits):
                impacted.update(ids)
        pairs: set[tuple[int, int]] = set()
        for case_id in impacted:
            pairs.update(base.consulted_by.get(case_id, ()))
        return impacted, sorted(pairs, key=lambda pair: (pair[1], pair[0]))

    def _properties(
        self,
        pairs: list[tuple[int, int]],
        mutant_set: TableSet,
        decide: Callable[[Case], Decision],
    ) -> tuple[str | None, int]:
        subject = lp.Subject(decide, mutant_set)
        for run, (index, case_id) in enumerate(pairs, start=1):
            prop = lp.PROPERTIES[index]
            case = self.baseline.cases[case_id]
            try:
                message = prop.check(subject, case)
            except Exception as error:
                message = f"raised {type(error).__name__}: {error}"
            if message:
                return f"{prop.name}: {message}", run
        return None, len(pairs)


def status_rule_problem(table_set: TableSet, mutant: Mutant) -> str | None:
    """The first way the mutated row breaks the status rule that ``check`` enforces, if any.

    ``betanketid-rules check`` gates every change, so a mutant it rejects never lands: it is
    killed like one the loader rejects (for example a row left with context citations only).
    """
    table_key, _, rest = mutant.id.partition("/")
    row_id = rest.partition("/")[0]
    table = table_set.table(table_key)
    row = next(r for r in table.spec.rows if r.id == row_id)
    problems = row_status_problems(row, table_set.sources)
    return f"check (status rule): {table_key}/{row_id}: {problems[0]}" if problems else None


def note_rule_problem(table_set: TableSet, mutant: Mutant) -> str | None:
    """The first way the mutated row breaks the note rule that ``check`` enforces, if any."""
    if table_set.vocabulary is None:
        return None
    table_key, _, rest = mutant.id.partition("/")
    row_id = rest.partition("/")[0]
    row = next(r for r in table_set.table(table_key).spec.rows if r.id == row_id)
    problems = note_problems(row, table_set.vocabulary)
    return f"check (note rule): {table_key}/{row_id}: {problems[0]}" if problems else None


def share_unchanged_tables(mutant_set: TableSet, shipped: TableSet) -> TableSet:
    """``mutant_set`` with each table identical to a shipped one (same sha256) replaced by it.

    The decisions are the same (the tables are byte for byte the same); the engine's compiled
    lookups of the shipped tables are reused, so only the mutated table is compiled again.
    """
    families: dict[str, tuple[Table, ...]] = {}
    for family, tables in mutant_set.families.items():
        same = {t.version: t for t in shipped.families.get(family, ())}
        families[family] = tuple(
            same[t.version] if t.version in same and same[t.version].sha256 == t.sha256 else t
            for t in tables
        )
    return dataclasses.replace(mutant_set, families=families)


#: Parts of a Decision that only echo the table data itself: a table's hash, and the values a
#: fired row's condition lists (the trace's ``required``). A mutant that changes nothing else
#: for any case decides every case as the shipped tables do.
ECHOES = frozenset({"sha256", "required"})


def comparable(decision: Decision) -> Any:
    """The decision as data without the echoes of the table data (see :data:`ECHOES`)."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ECHOES}
        if isinstance(value, list | tuple):
            return [strip(v) for v in value]
        return value

    return strip(decision.model_dump(mode="json"))


# --- Parallel run ------------------------------------------------------------------------------

_WORKER: Worker | None = None


def _init(tables: Path, baseline: Baseline, scenarios: list[Any], prune: bool) -> None:
    global _WORKER  # noqa: PLW0603  (one worker per process)
    _WORKER = Worker(tables, baseline, scenarios, prune)


def _run_one(mutant: Mutant) -> Result:
    assert _WORKER is not None
    return _WORKER.run(mutant)


def run_mutants(
    mutants: list[Mutant],
    tables: Path,
    baseline: Baseline,
    scenarios: list[Any],
    *,
    jobs: int = 1,
    prune: bool = True,
    progress: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Run every mutant; in ``jobs`` processes (fork) when more than one."""
    results: list[Result] = []
    if jobs <= 1 or len(mutants) < 2:
        worker = Worker(tables, baseline, scenarios, prune)
        try:
            for mutant in mutants:
                results.append(worker.run(mutant))
                if progress:
                    progress(results[-1])
        finally:
            worker.close()
        return results
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, _init, (tables, baseline, scenarios, prune)) as pool:
        for result in pool.imap(_run_one, mutants, chunksize=4):
            results.append(result)
            if progress:
                progress(result)
    return results


# --- Equivalent mutants and the report ---------------------------------------------------------


def load_equivalent(path: Path = EQUIVALENT_FILE) -> dict[str, str]:
    """Mutant id -> reason, from ``equivalent.yaml`` (every entry needs a reason)."""
    if not path.exists():
        return {}
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    entries: dict[str, str] = {}
    for entry in data.get("equivalent") or []:
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("reason"):
            raise SystemExit(f"{path}: every entry needs an id and a reason: {entry!r}")
        if entry["id"] in entries:
            raise SystemExit(f"{path}: {entry['id']} is listed twice")
        entries[str(entry["id"])] = str(entry["reason"]).strip()
    return entries


@dataclass
class Report:
    """The mutation score."""

    total: int
    loader: list[Result]
    killed: list[Result]
    by_scenarios: int
    by_properties: int
    scenarios_only: int
    properties_only: int
    equivalent: list[tuple[Result, str]]
    survivors: list[Result]
    stale_equivalent: list[str]
    equivalent_but_killed: list[str]
    equivalent_but_changed: list[str]
    seconds: float

    @property
    def ok(self) -> bool:
        return not (
            self.survivors
            or self.stale_equivalent
            or self.equivalent_but_killed
            or self.equivalent_but_changed
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "killed_by_loader": len(self.loader),
            "killed_by_tests": len(self.killed),
            "killed_by_scenarios": self.by_scenarios,
            "killed_by_properties": self.by_properties,
            "killed_by_scenarios_only": self.scenarios_only,
            "killed_by_properties_only": self.properties_only,
            "equivalent": [{"id": r.id, "reason": reason} for r, reason in self.equivalent],
            "survivors": [
                {"id": r.id, "impacted": r.impacted, "changed": r.changed, "example": r.example}
                for r in self.survivors
            ],
            "stale_equivalent_entries": self.stale_equivalent,
            "equivalent_but_killed": self.equivalent_but_killed,
            "equivalent_but_changed": self.equivalent_but_changed,
            "seconds": round(self.seconds, 1),
            "results": [dataclasses.asdict(r) for r in self.loader + self.killed],
        }


def make_report(
    results: list[Result], equivalent: dict[str, str], all_ids: set[str], seconds: float
) -> Report:
    """Classify the results (the equivalent list applies to mutants that were not killed)."""
    loader = [r for r in results if r.loader]
    killed = [r for r in results if not r.loader and r.killed]
    alive = [r for r in results if not r.killed]
    return Report(
        total=len(results),
        loader=loader,
        killed=killed,
        by_scenarios=sum(1 for r in killed if r.scenario),
        by_properties=sum(1 for r in killed if r.prop),
        scenarios_only=sum(1 for r in killed if r.scenario and not r.prop),
        properties_only=sum(1 for r in killed if r.prop and not r.scenario),
        equivalent=[(r, equivalent[r.id]) for r in alive if r.id in equivalent],
        survivors=[r for r in alive if r.id not in equivalent],
        stale_equivalent=sorted(set(equivalent) - all_ids),
        equivalent_but_killed=sorted(r.id for r in results if r.killed and r.id in equivalent),
        equivalent_but_changed=sorted(r.id for r in alive if r.id in equivalent and r.changed),
        seconds=seconds,
    )


def print_report(report: Report, out: Any = sys.stdout) -> None:
    """The report in text."""
    share = lambda n: f"{100 * n / report.total:.1f}%" if report.total else "-"  # noqa: E731
    counted = report.total - len(report.equivalent)
    caught = len(report.loader) + len(report.killed)
    print(f"mutants:              {report.total}", file=out)
    print(
        f"killed by the loader or check's status or note rule: {len(report.loader)} "
        f"({share(len(report.loader))})",
        file=out,
    )
    print(f"killed by the tests:  {len(report.killed)} ({share(len(report.killed))})", file=out)
    print(f"  by scenarios:       {report.by_scenarios} ({report.scenarios_only} only)", file=out)
    print(f"  by properties:      {report.by_properties} ({report.properties_only} only)", file=out)
    print(f"equivalent:           {len(report.equivalent)}", file=out)
    for result, reason in report.equivalent:
        print(f"  {result.id}: {reason.splitlines()[0]}", file=out)
    print(f"survivors:            {len(report.survivors)}", file=out)
    for result in report.survivors:
        print(
            f"  SURVIVOR {result.id} (impacted cases {result.impacted}, decisions changed "
            f"{result.changed}{': ' + result.example if result.example else ''})",
            file=out,
        )
    for stale in report.stale_equivalent:
        print(f"  STALE equivalent.yaml entry (no such mutant): {stale}", file=out)
    for killed in report.equivalent_but_killed:
        print(f"  equivalent.yaml lists a mutant that IS killed: {killed}", file=out)
    for changed in report.equivalent_but_changed:
        print(f"  equivalent.yaml lists a mutant that changes decisions: {changed}", file=out)
    score = f"{100 * caught / counted:.1f}%" if counted else "-"
    print(f"mutation score:       {caught}/{counted} non-equivalent killed ({score})", file=out)
    print(f"time:                 {report.seconds:.1f}s", file=out)


@dataclass
class Setup:
    """Everything a run needs: the shipped tables, the mutants, the baseline and the scenarios."""

    tables: Path
    table_set: TableSet
    mutants: list[Mutant]
    baseline: Baseline
    scenarios: list[Any]
    #: Why the shipped tables fail the suites (nothing can be measured then); empty if they pass.
    baseline_failures: list[str]


def prepare(tables: Path, *, jobs: int = 1, sample: list[Case] | None = None) -> Setup:
    """Load the shipped tables, enumerate the mutants and run the suites on the shipped tables.

    ``sample`` replaces the standard sample (:func:`sample_cases`), e.g. for a quick test.
    """
    tables = tables.resolve()
    table_set = load_table_set(tables)
    cases = sample if sample is not None else sample_cases(table_set)
    baseline = build_baseline(table_set, cases, jobs=jobs)
    scenarios = load_scenario_suite()
    failures = list(baseline.failures)
    shipped = scenario_kills(scenarios, lambda case: decide_with(table_set, case, "native"))
    if shipped:
        failures.append(f"scenario {shipped}")
    return Setup(tables, table_set, enumerate_mutants(table_set), baseline, scenarios, failures)


def describe(result: Result) -> str:
    """One line: what killed the mutant, or that it survived."""
    if result.loader:
        return f"loader: {result.loader}"
    verdicts = [
        f"{label}: {text}"
        for label, text in (("scenario", result.scenario), ("property", result.prop))
        if text
    ]
    if verdicts:
        return " | ".join(verdicts)
    return f"SURVIVED (impacted {result.impacted}, decisions changed {result.changed})"


def show(tables: Path, mutant: Mutant) -> str:
    """The mutant as a unified diff of its table file (both sides written the same way)."""
    text = (tables / mutant.file).read_text(encoding="utf-8")
    return "".join(
        difflib.unified_diff(
            normalised_text(text).splitlines(keepends=True),
            mutate_text(text, mutant).splitlines(keepends=True),
            f"a/tables/{mutant.file}",
            f"b/tables/{mutant.file}",
        )
    )


def _arguments(argv: Iterable[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="tools/mutation/run.py",
        description="Mutate the tables one cell at a time and count the mutants the tests kill.",
    )
    parser.add_argument("--tables", type=Path, default=DEFAULT_TABLES, help="table directory")
    parser.add_argument("--subset", type=int, metavar="N", help="run the fixed subset of N")
    parser.add_argument("--only", nargs="+", metavar="ID", help="run only these mutants")
    parser.add_argument("--list", action="store_true", help="list the mutant ids and exit")
    parser.add_argument("--show", metavar="ID", help="print one mutant as a diff and exit")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--no-prune", action="store_true", help="no impact analysis (slow)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the report as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every mutant")
    return parser.parse_args(list(argv) if argv is not None else None)


def main(argv: Iterable[str] | None = None) -> int:
    """The command line (see the module docstring)."""
    args = _arguments(argv)
    started = time.perf_counter()
    tables = args.tables.resolve()
    if args.list or args.show:
        mutants = enumerate_mutants(load_table_set(tables))
        by_id = {m.id: m for m in mutants}
        if args.show:
            if args.show not in by_id:
                print(f"unknown mutant id {args.show!r} (see --list)", file=sys.stderr)
                return 2
            sys.stdout.write(show(tables, by_id[args.show]))
        else:
            sys.stdout.writelines(f"{m.id}\n" for m in mutants)
        return 0
    setup = prepare(tables, jobs=args.jobs)
    by_id = {m.id: m for m in setup.mutants}
    chosen = setup.mutants
    if args.only:
        unknown = [i for i in args.only if i not in by_id]
        if unknown:
            print(f"unknown mutant ids (see --list): {unknown}", file=sys.stderr)
            return 2
        chosen = [by_id[i] for i in args.only]
    elif args.subset is not None:
        chosen = subset(setup.mutants, args.subset)
    print(
        f"baseline: {len(setup.baseline.sample)} sample cases "
        f"({len(setup.baseline.cases)} decided), {len(lp.PROPERTIES)} properties, "
        f"{len(setup.scenarios)} scenarios, {time.perf_counter() - started:.1f}s",
        flush=True,
    )
    if setup.baseline_failures:
        print("the shipped tables fail the suites; nothing can be measured:", file=sys.stderr)
        for failure in setup.baseline_failures[:10]:
            print(f"  {failure}", file=sys.stderr)
        return 2
    print(f"running {len(chosen)} of {len(setup.mutants)} mutants, {args.jobs} job(s)", flush=True)

    def progress(result: Result) -> None:
        if args.verbose or args.only:
            print(f"{result.id}: {describe(result)[:400]}", flush=True)

    results = run_mutants(
        chosen,
        tables,
        setup.baseline,
        setup.scenarios,
        jobs=args.jobs,
        prune=not args.no_prune,
        progress=progress,
    )
    equivalent = load_equivalent()
    whole = not (args.only or args.subset is not None)
    report = make_report(
        results, equivalent, set(by_id) if whole else set(equivalent), time.perf_counter() - started
    )
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report.as_dict(), indent=2), encoding="utf-8")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
