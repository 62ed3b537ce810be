#!/usr/bin/env python3
"""Table mutation score: how many realistic mistakes in the tables are caught at law level?

Each mutant is one mistake in a temporary copy of ``tables/``, built through the shared table
model (``tools/mutation/mutants.py``): a rule cell (``rule``), what a reviewer reads beside the
rule (``metadata``: status, note, citations, sources, pages, open questions) or the table
itself (``structure``: rows deleted, duplicated or swapped, hit policy, aggregation, in-force
dates). See ``tools/mutation/README.md`` for every operator.

A mutant that does not load is killed by the loader. Otherwise only law-level suites judge it:

* ``check``: for a metadata mutant, check's rules on rows (status, note, provenance, open
  questions; the functions ``betanketid-rules check`` calls); for a rule or structure mutant
  that the scenarios and properties let through, the whole ``check`` (gaps, overlaps, dead and
  subsumed rows, citations in force, every rule) without the engine comparison;
* the scenarios written from the law (``tests/scenarios/*.yaml``, via ``tests/scenarios_lib.py``);
* the legal properties (``tests/legal_properties.py``) over a fixed deterministic sample: for
  every version of the table set (first day, with no application date and with one lodged the
  day before), every applicant x permit x presumed offence x person combination, with the
  facts all favourable and with each single fact turned unfavourable.

A test that compares the tables with a copy of themselves is never run, so it never counts.

Impact analysis keeps it fast and is exact: a check's verdict is a function of the decisions
it consults, and a mutant changes a decision only for a case for which the mutated table gives
something else (other rows matched or fired, other fired rows' content, other outputs, or a
hit-policy violation). The baseline run (shipped tables) records which cases each (property,
case) consults and every case's inputs to every table; a mutant re-runs only the pairs that
consult an impacted case. A date mutant impacts the cases decided, lodged or (a permit held)
granted in the days it moves. ``--no-prune`` re-runs everything (the smoke test checks both agree).

Survivors must be 0: a survivor is a missing test (add a property, a scenario or a check rule)
or an equivalent mutant, listed with its reason in ``tools/mutation/equivalent.yaml``.

Usage (from the repository root)::

    .venv/bin/python tools/mutation/run.py                 # every mutant (local, full run)
    .venv/bin/python tools/mutation/run.py --subset 600    # the fixed subset CI runs
    .venv/bin/python tools/mutation/run.py --list          # mutant ids
    .venv/bin/python tools/mutation/run.py --only ID ...   # some mutants, with their killers
    .venv/bin/python tools/mutation/run.py --show ID       # the mutant as a diff

Exit status: 0 when no mutant survives and equivalent.yaml is current; 1 otherwise; 2 if the
shipped tables themselves fail the suites (nothing can be measured then).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import difflib
import hashlib
import itertools
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import legal_properties as lp  # noqa: E402
import revocation_law as rl  # noqa: E402
from mutants import KINDS, Mutant, enumerate_mutants, table_text  # noqa: E402
from ruamel.yaml import YAML  # noqa: E402

from betanketid_rules import Case, Decision, HitPolicyError, TableError  # noqa: E402
from betanketid_rules._engine import decide_with  # noqa: E402
from betanketid_rules._tables import Table, TableSet, load_table_set  # noqa: E402
from betanketid_rules._tables._columns import DerivedValue  # noqa: E402
from betanketid_rules._tables._evaluate import matching_rows, result_at  # noqa: E402
from betanketid_rules._tables._notes import note_problems  # noqa: E402
from betanketid_rules._tables._parsed_cache import CACHE_ENV  # noqa: E402
from betanketid_rules._tables._provenance import provenance_problems  # noqa: E402
from betanketid_rules._tables._questions import question_problems  # noqa: E402
from betanketid_rules._tables._resting import resting_problems  # noqa: E402
from betanketid_rules._tables._status import row_status_problems  # noqa: E402
from betanketid_rules._verify.check import check_tables  # noqa: E402
from betanketid_rules.testing import versions  # noqa: E402

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
#: The neighbouring permits (5 kap. 15 b, 16 a, 15 d §§) and their facts, all favourable.
NEIGHBOUR_PERMITS = ("protected_person", "protected_person_permanent", "pay_claim")
NEIGHBOUR_FAVOURABLE: dict[str, bool] = {
    "special_personal_security": True,
    "holds_protected_person_permit": True,
    "holds_15_permit": True,
    "cooperated_employer_investigation": True,
    "pay_claim_brought": True,
}


# --- Mutants (tools/mutation/mutants.py builds them through the table model) ----------------


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


#: The law of revocation as one property (``tests/revocation_law.py``), after the application
#: principles: each property runs only on cases of its own matter (:func:`applies`).
REVOCATION_PROPERTY = lp.LegalProperty(
    "revocation_by_law",
    lambda subject, case: rl.check_revocation_by_law(subject.decide, case),
    "7 kap. 7 b, 7 c §§, 14 kap. 4, 4 a §§ UtlL and SFS 2007:322 point 2 (statutes.md)",
    (),
)
PROPERTIES: list[lp.LegalProperty] = [*lp.PROPERTIES, REVOCATION_PROPERTY]


def applies(prop: lp.LegalProperty, case: Case) -> bool:
    """Whether ``prop`` speaks of ``case``: the application principles of applications, the
    revocation property of revocations."""
    return (prop is REVOCATION_PROPERTY) == (case.matter == "revocation")


def sample_cases(table_set: TableSet) -> list[Case]:
    """The fixed sample the properties run over (see the module docstring).

    For every version of the table set, decided on its first day: every applicant x permit x
    presumed offence x person, with the facts all favourable, with the person abroad, and with
    each fact alone turned unfavourable. Where a table of the version reads the application
    date, the same again with the application lodged the day before the version began.
    """
    # (in Sweden, EU citizen, facts): all favourable; abroad; an EU citizen; each fact turned.
    vectors: list[tuple[bool, bool, dict[str, bool]]] = [
        (True, False, FAVOURABLE),
        (False, False, FAVOURABLE),
        (True, True, FAVOURABLE),
    ]
    for name, value in FAVOURABLE.items():
        vectors.append((True, False, {**FAVOURABLE, name: not value}))
    cases: list[Case] = []
    for version in versions(table_set.directory):
        lodged_options: list[dt.date | None] = [None]
        if _reads_application_date(table_set, version.tables):
            lodged_options.append(version.first_day - dt.timedelta(days=1))
        for lodged in lodged_options:
            for applicant, permit, offence, (child, relation), (
                in_sweden,
                eu_citizen,
                facts,
            ) in itertools.product(APPLICANTS, PERMITS, OFFENCES, PEOPLE, vectors):
                person = {"in_sweden": in_sweden, "is_child": child, "relation": relation}
                fields: dict[str, Any] = {
                    "decision_date": version.first_day,
                    "applicant": applicant,
                    "permit": permit,
                    "person": {**person, "eu_citizen": eu_citizen},
                    "facts": {"presumed_offence": offence, **facts},
                }
                if lodged is not None:
                    fields["application_date"] = lodged
                cases.append(Case.model_validate(fields))
        # The neighbouring permits: every applicant, their facts all favourable, each turned,
        # with the 15 § facts favourable and unfavourable (they must not matter).
        turned = [NEIGHBOUR_FAVOURABLE] + [
            {**NEIGHBOUR_FAVOURABLE, name: False} for name in NEIGHBOUR_FAVOURABLE
        ]
        for applicant, permit, facts, section_15 in itertools.product(
            APPLICANTS, NEIGHBOUR_PERMITS, turned, (FAVOURABLE, {})
        ):
            data = {
                "decision_date": version.first_day,
                "applicant": applicant,
                "permit": permit,
                "person": {"in_sweden": bool(section_15)},
                "facts": {**section_15, **facts},
            }
            cases.append(Case.model_validate(data))
    # Revocations: every case their tables tell apart, on each revocation period's first day.
    revocation_days = [period.first_day for period in table_set.periods("revocation")]
    cases.extend(rl.revocation_sample(revocation_days))
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
        for index, prop in enumerate(PROPERTIES):
            if not applies(prop, case):
                continue
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
    """What happened to one mutant, and what killed it (every kill here is at law level)."""

    id: str
    operator: str
    #: The loader's first problem: the mutant never loads, so it never ships.
    loader: str | None = None
    #: The first ``check`` finding (``[kind] where: message``), and the kinds found.
    check: str | None = None
    check_kinds: tuple[str, ...] = ()
    #: The first scenario the mutant fails, and the first legal property it breaks.
    scenario: str | None = None
    prop: str | None = None
    impacted: int = 0
    pairs_run: int = 0
    #: For a mutant nothing killed: cases reaching the changed table whose decision differs
    #: from the shipped one (ignoring the echoes of the table data), and the first such case.
    #: 0 means equivalent on the sample.
    changed: int | None = None
    example: str | None = None
    seconds: float = 0.0

    @property
    def kind(self) -> str:
        return KINDS[self.operator]

    @property
    def law_level(self) -> bool:
        """Killed by a check finding, a scenario written from the law or a legal property."""
        return bool(self.check or self.scenario or self.prop)

    @property
    def killed(self) -> bool:
        return bool(self.loader) or self.law_level

    @property
    def killers(self) -> tuple[str, ...]:
        """What killed it: ``loader``, ``check``, ``scenarios``, ``properties``."""
        named = (
            ("loader", self.loader),
            ("check", self.check),
            ("scenarios", self.scenario),
            ("properties", self.prop),
        )
        return tuple(name for name, text in named if text)


def _signature(table: Table, values: tuple[Any, ...]) -> Any:
    """What ``table`` gives at ``values``: the rows matched and fired (whole rows, so a changed
    citation, note or status counts), and the outputs; or the rows of a hit-policy violation."""
    rows = table.spec.rows
    try:
        result = result_at(table, values)
    except HitPolicyError:
        return ("violation", tuple(rows[i] for i in matching_rows(table.cells, values)))
    return (
        tuple(rows[i].id for i in result.matched),
        tuple(rows[i] for i in result.fired),
        result.outputs,
    )


class Worker:
    """Applies mutants in a private copy of the tables and runs the law-level suites on them:
    ``check`` (without the engine comparison), the scenarios and the legal properties."""

    def __init__(self, tables: Path, baseline: Baseline, scenarios: list[Any], prune: bool):
        self.source = tables
        self.baseline = baseline
        self.scenarios = scenarios
        self.prune = prune
        # A mutant's file is parsed once, in this process: never kept in the on-disk cache.
        self._cache_setting = os.environ.get(CACHE_ENV)
        os.environ[CACHE_ENV] = "off"
        self.tmp = Path(tempfile.mkdtemp(prefix="betanketid-mutation-"))
        self.copy = self.tmp / "tables"
        shutil.copytree(tables, self.copy)

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self._cache_setting is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = self._cache_setting

    def _write(self, mutant: Mutant) -> dict[Path, bytes | None]:
        """Put the mutant's files in place; return what to restore (None: remove)."""
        saved: dict[Path, bytes | None] = {}
        for relative, text in mutant.files:
            target = self.copy / relative
            saved[target] = target.read_bytes() if target.exists() else None
            if text is None:
                target.unlink()
            else:
                target.write_text(text, encoding="utf-8")
        return saved

    @staticmethod
    def _restore(saved: dict[Path, bytes | None]) -> None:
        for target, data in saved.items():
            if data is None:
                target.unlink(missing_ok=True)
            else:
                target.write_bytes(data)

    def run(self, mutant: Mutant) -> Result:
        start = time.perf_counter()
        result = Result(mutant.id, mutant.operator)
        saved = self._write(mutant)
        try:
            try:
                loaded = load_table_set(self.copy)
            except TableError as error:
                result.loader = str(error.problems[0]) if error.problems else str(error)
                return result
            found = row_rule_finding(loaded) if mutant.kind == "metadata" else None
            if found is not None:
                # What a reviewer reads beside the rule is judged by check's row rules (the
                # functions check calls); the tables' input space is unchanged.
                result.check_kinds, result.check = (found[0],), found[1]
            if result.check is None:
                result.scenario, result.prop, result.impacted, result.pairs_run = self._suites(
                    mutant, loaded
                )
            if mutant.kind != "metadata" and not (result.scenario or result.prop):
                report = check_tables(self.copy, engines=False)
                if report.findings:
                    result.check = str(report.findings[0]).splitlines()[0]
                    result.check_kinds = tuple(sorted({f.kind for f in report.findings}))
        finally:
            self._restore(saved)
        if not result.killed:
            mutant_set = share_unchanged_tables(loaded, self.baseline.table_set)
            impacted = self._impacted(mutant, mutant_set)
            result.changed, result.example = self._changes(impacted, self._decide(mutant_set))
        result.seconds = time.perf_counter() - start
        return result

    @staticmethod
    def _decide(mutant_set: TableSet) -> Callable[[Case], Decision]:
        memo: dict[Case, Decision] = {}

        def decide(case: Case) -> Decision:
            found = memo.get(case)
            if found is None:
                found = memo[case] = decide_with(mutant_set, case, "native")
            return found

        return decide

    def _suites(self, mutant: Mutant, loaded: TableSet) -> tuple[str | None, str | None, int, int]:
        """The scenarios and the legal properties on the mutant: the first failure of each,
        the impacted cases and the (property, case) pairs run."""
        mutant_set = share_unchanged_tables(loaded, self.baseline.table_set)
        decide = self._decide(mutant_set)
        scenario = scenario_kills(self.scenarios, decide)
        impacted, pairs = self._pairs(mutant, mutant_set)
        prop, run = self._properties(pairs, mutant_set, decide)
        return scenario, prop, len(impacted), run

    def _changes(
        self, cases: set[int], decide: Callable[[Case], Decision]
    ) -> tuple[int, str | None]:
        """How many of ``cases`` the mutant decides differently, and the first of them."""
        changed, example = 0, None
        for case_id in sorted(cases):
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

    def _impacted(self, mutant: Mutant, mutant_set: TableSet) -> set[int]:
        """The consulted cases whose decision the mutant may change (exact, see the README)."""
        base = self.baseline
        if not self.prune:
            return set(range(len(base.cases)))
        if mutant.window is not None:
            low, high = mutant.window
            return {
                i
                for i, case in enumerate(base.cases)
                if low <= case.decision_date <= high
                or (case.application_date is not None and low <= case.application_date <= high)
                or (case.revocation is not None and low <= case.revocation.granted_on <= high)
            }
        original = base.table_set.table(mutant.table)
        changed = mutant_set.table(mutant.table)
        impacted: set[int] = set()
        for values, ids in base.inputs.get(mutant.table, {}).items():
            if _signature(original, values) != _signature(changed, values):
                impacted.update(ids)
        return impacted

    def _pairs(
        self, mutant: Mutant, mutant_set: TableSet
    ) -> tuple[set[int], list[tuple[int, int]]]:
        base = self.baseline
        if not self.prune:
            return set(range(len(base.cases))), sorted(base.footprints)
        impacted = self._impacted(mutant, mutant_set)
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
            prop = PROPERTIES[index]
            case = self.baseline.cases[case_id]
            try:
                message = prop.check(subject, case)
            except Exception as error:
                message = f"raised {type(error).__name__}: {error}"
            if message:
                return f"{prop.name}: {message}", run
        return None, len(pairs)


def row_rule_finding(table_set: TableSet) -> tuple[str, str] | None:
    """The first finding (kind, message) of check's rules on rows and what they cite: status,
    note, provenance and open questions, by the functions ``check`` itself calls."""
    vocabulary = table_set.vocabulary
    for table in table_set:
        for row in table.spec.rows:
            found = [
                *(("status", p) for p in row_status_problems(row, table_set.sources)),
                *(("note", p) for p in (note_problems(row, vocabulary) if vocabulary else [])),
                *(("citation", p) for p in provenance_problems(row, table_set.sources)),
                *(("open_question", p) for p in resting_problems(row, table_set)),
            ]
            if found:
                kind, problem = found[0]
                return kind, f"[{kind}] {table.key}: row {row.id}: {problem}"
    for question in question_problems(table_set):
        return "open_question", f"[open_question] {question.message}"
    return None


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
ECHOES = frozenset({"sha256", "required", "hit_policy"})


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
    """The mutation score: every kill counted here is a law-level kill (check, scenarios,
    properties) or the loader's; a test comparing the tables with a copy of themselves is
    never run, so it can never count."""

    total: int
    results: list[Result]
    equivalent: list[tuple[Result, str]]
    survivors: list[Result]
    stale_equivalent: list[str]
    equivalent_but_killed: list[str]
    equivalent_but_changed: list[str]
    seconds: float

    @property
    def loader(self) -> list[Result]:
        return [r for r in self.results if r.loader]

    @property
    def law_level(self) -> list[Result]:
        return [r for r in self.results if not r.loader and r.law_level]

    @property
    def ok(self) -> bool:
        return not (
            self.survivors
            or self.stale_equivalent
            or self.equivalent_but_killed
            or self.equivalent_but_changed
        )

    def by_kind(self) -> dict[str, dict[str, int]]:
        """Per kind of mutant and per operator: mutants, loader, law-level, equivalent,
        survivors."""
        table: dict[str, dict[str, int]] = {}
        equivalent = {r.id for r, _ in self.equivalent}
        survivors = {r.id for r in self.survivors}
        for result in self.results:
            for key in (result.kind, f"{result.kind}/{result.operator}"):
                row = table.setdefault(
                    key,
                    {"mutants": 0, "loader": 0, "law_level": 0, "equivalent": 0, "survivors": 0},
                )
                row["mutants"] += 1
                row["loader"] += bool(result.loader)
                row["law_level"] += bool(not result.loader and result.law_level)
                row["equivalent"] += result.id in equivalent
                row["survivors"] += result.id in survivors
        return dict(sorted(table.items()))

    def by_killer(self) -> dict[str, int]:
        """Law-level kills per suite, and those only that suite made."""
        counts: dict[str, int] = {}
        for result in self.law_level:
            killers = result.killers
            for name in killers:
                counts[name] = counts.get(name, 0) + 1
            if len(killers) == 1:
                counts[f"{killers[0]} only"] = counts.get(f"{killers[0]} only", 0) + 1
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "killed_by_loader": len(self.loader),
            "killed_at_law_level": len(self.law_level),
            "killed_by_self_comparison_only": 0,
            "law_level_by_suite": self.by_killer(),
            "by_kind": self.by_kind(),
            "equivalent": [{"id": r.id, "reason": reason} for r, reason in self.equivalent],
            "survivors": [
                {"id": r.id, "impacted": r.impacted, "changed": r.changed, "example": r.example}
                for r in self.survivors
            ],
            "stale_equivalent_entries": self.stale_equivalent,
            "equivalent_but_killed": self.equivalent_but_killed,
            "equivalent_but_changed": self.equivalent_but_changed,
            "seconds": round(self.seconds, 1),
            "results": [
                {**dataclasses.asdict(r), "kind": r.kind, "killers": list(r.killers)}
                for r in self.results
            ],
        }


def make_report(
    results: list[Result], equivalent: dict[str, str], all_ids: set[str], seconds: float
) -> Report:
    """Classify the results (the equivalent list applies to mutants that were not killed)."""
    alive = [r for r in results if not r.killed]
    return Report(
        total=len(results),
        results=results,
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
    law = len(report.law_level)
    print(f"mutants:                 {report.total}", file=out)
    print(f"killed by the loader:    {len(report.loader)} ({share(len(report.loader))})", file=out)
    print(f"killed at law level:     {law} ({share(law)})", file=out)
    killers = report.by_killer()
    for name in ("check", "scenarios", "properties"):
        print(
            f"  by {name + ':':<20} {killers.get(name, 0)} ({killers.get(name + ' only', 0)} only)",
            file=out,
        )
    print("killed by self-comparison only: 0 (such tests are not run: they never count)", file=out)
    print("by kind and operator (mutants / loader / law level / equivalent / survivors):", file=out)
    for key, row in report.by_kind().items():
        indent = "    " if "/" in key else "  "
        print(
            f"{indent}{key:<30} {row['mutants']:>5} {row['loader']:>5} {row['law_level']:>5} "
            f"{row['equivalent']:>4} {row['survivors']:>4}",
            file=out,
        )
    print(f"equivalent:              {len(report.equivalent)}", file=out)
    for result, reason in report.equivalent:
        print(f"  {result.id}: {reason.splitlines()[0]}", file=out)
    print(f"survivors:               {len(report.survivors)}", file=out)
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
    caught = len(report.loader) + law
    score = f"{100 * caught / counted:.1f}%" if counted else "-"
    print(f"mutation score:          {caught}/{counted} non-equivalent killed ({score})", file=out)
    print(f"time:                    {report.seconds:.1f}s", file=out)


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
        for label, text in (
            ("check", result.check),
            ("scenario", result.scenario),
            ("property", result.prop),
        )
        if text
    ]
    if verdicts:
        return " | ".join(verdicts)
    return f"SURVIVED (impacted {result.impacted}, decisions changed {result.changed})"


def show(tables: Path, mutant: Mutant) -> str:
    """The mutant as a unified diff of the files it changes (both sides as the model dumps
    them, so the diff shows the change and nothing else)."""
    shipped = {
        table.path.relative_to(tables).as_posix(): table_text(table.spec)
        for table in load_table_set(tables)
    }
    out: list[str] = []
    for relative, text in mutant.files:
        out.extend(
            difflib.unified_diff(
                shipped.get(relative, "").splitlines(keepends=True),
                (text or "").splitlines(keepends=True),
                f"a/tables/{relative}",
                f"b/tables/{relative}",
            )
        )
    return "".join(out)


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
        f"({len(setup.baseline.cases)} decided), {len(PROPERTIES)} properties, "
        f"{len(setup.scenarios)} scenarios, {time.perf_counter() - started:.1f}s",
        flush=True,
    )
    if setup.baseline_failures:
        print("the shipped tables fail the suites; nothing can be measured:", file=sys.stderr)
        for failure in setup.baseline_failures[:10]:
            print(f"  {failure}", file=sys.stderr)
        return 2
    print(f"running {len(chosen)} of {len(setup.mutants)} mutants, {args.jobs} job(s)", flush=True)

    done = [0]

    def progress(result: Result) -> None:
        done[0] += 1
        if args.verbose or args.only:
            print(f"{result.id}: {describe(result)[:400]}", flush=True)
        elif done[0] % 250 == 0:
            elapsed = time.perf_counter() - started
            print(f"  {done[0]} of {len(chosen)} mutants, {elapsed:.0f}s", flush=True)

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
