"""The table mutation runner (tools/mutation/run.py) works: so a broken runner fails the suite.

A handful of specific mutants must be killed (by the loader, or by the tests with a property
among the killers), an equivalent mutant must survive without changing any decision, and the
impact analysis must agree with running everything. A small sample keeps this fast; the full
measurement is ``tools/mutation/run.py`` (see tools/mutation/README.md).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutation_run", ROOT / "tools/mutation/run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


run = _load_runner()
mutants = sys.modules["mutants"]

#: Mutants of what a row decides the tests must kill (a property among the killers).
KILLED_BY_TESTS = {
    "utl-5-15-outcome@2022-08-01/5-15-2st-grant/then.permit_days:30->31": "31-day reflection",
    "utl-5-15-outcome@2007-07-01/5-15-1st-grant/then.permit_min_months:6->7": "7-month minimum",
    "utl-5-15-conditions@2007-07-01/5-15-1st-in-sweden/when.in_sweden:false->true": "flip",
    "utl-5-15-standing@2022-08-01/5-15-2st-sn/when.presumed_offence[0]:trafficking->other_crime": (
        "board for a victim of another crime"
    ),
    "utl-5-15-outcome@2022-08-01/outcome-refuse/then.outcome:refuse->grant": "refusal granted",
}

#: Issue 19: five realistic mistakes that once passed the whole suite and a clean check. Each
#: loads (it would ship) and must be killed at law level: a check finding, a scenario or a
#: legal property.
FIVE_MISTAKES = {
    "utl-5-15-outcome@2022-08-01/5-15-2st-grant/note.sv:ska->får": (
        "a grant's note says the permit may be granted"
    ),
    "utl-5-15-standing@2022-08-01/5-15-4st-sn-child/work-pages:"
    "UTLL 5:15 st4 REPORT-2024:SRC-09 p119->p120": "a preparatory-works page moved",
    "utl-5-15-standing@2022-08-01/5-15-2st-sn/cite-source:UTLL 5:15 st2 UTLL-CONS->SRC-02": (
        "the board's second-paragraph citation given another existing source"
    ),
    "utl-5-15-standing@2022-08-01/5-15-sn-transitional/status:inferred->confirmed": (
        "an inferred row marked confirmed"
    ),
    "utl-5-15-standing@2022-08-01/5-15-sn-transitional/drop-open-question:Q4": (
        "an open question dropped from the board's route resting on it"
    ),
}
#: A row's only citation dropped: the table no longer loads.
KILLED_BY_LOADER = (
    "utl-5-15-conditions@2022-08-01/5-15-1st-p2/drop-citation:UTLL 5:15 st1 p2 UTLL-CONS"
)


@pytest.fixture(scope="module")
def setup() -> Any:
    """The runner prepared on a small sample: three applicants, two offences, two persons."""
    table_set = run.load_table_set(run.DEFAULT_TABLES)
    sample = [
        case
        for case in run.sample_cases(table_set)
        if case.applicant in ("preliminary_investigation_leader", "social_welfare_board", "other")
        and case.facts.presumed_offence in ("trafficking", "other_crime")
        and case.person.relation in ("self", "accompanying_child")
        and case.person.is_child == (case.person.relation == "accompanying_child")
    ]
    return run.prepare(run.DEFAULT_TABLES, sample=sample)


def _run(setup: Any, mutant_id: str, *, prune: bool = True) -> Any:
    mutant = {m.id: m for m in setup.mutants}[mutant_id]
    worker = run.Worker(setup.tables, setup.baseline, setup.scenarios, prune)
    try:
        return worker.run(mutant)
    finally:
        worker.close()


def test_the_shipped_tables_pass_the_suites(setup: Any) -> None:
    """Otherwise every mutant would count as killed and the score would mean nothing."""
    assert setup.baseline_failures == []
    assert len(setup.scenarios) > 0


@pytest.mark.parametrize("mutant_id", KILLED_BY_TESTS, ids=list(KILLED_BY_TESTS.values()))
def test_a_wrong_rule_is_killed_by_the_properties(setup: Any, mutant_id: str) -> None:
    result = _run(setup, mutant_id)
    assert result.loader is None, result.loader
    assert result.prop is not None, f"no property noticed {mutant_id}: {run.describe(result)}"
    assert result.killed


@pytest.mark.parametrize("mutant_id", FIVE_MISTAKES, ids=list(FIVE_MISTAKES.values()))
def test_each_of_the_five_realistic_mistakes_is_killed_at_law_level(
    setup: Any, mutant_id: str
) -> None:
    result = _run(setup, mutant_id)
    assert result.loader is None, f"the mistake must load (it would ship): {result.loader}"
    assert result.law_level, f"{mutant_id} is not killed at law level: {run.describe(result)}"


def test_the_thirty_day_mutant_is_also_killed_by_the_scenarios(setup: Any) -> None:
    result = _run(setup, "utl-5-15-outcome@2022-08-01/5-15-2st-grant/then.permit_days:30->31")
    assert result.scenario is not None
    assert "31" in result.scenario


def test_a_table_that_does_not_load_is_killed_by_the_loader(setup: Any) -> None:
    result = _run(setup, KILLED_BY_LOADER)
    assert result.loader is not None
    assert "citations" in result.loader
    assert result.scenario is None and result.prop is None


def test_an_unchanged_table_survives_without_changing_a_decision(setup: Any) -> None:
    """A runner that killed everything would fail here. The guard is a mutant that writes
    back the table it found (through the model's dump, as every mutant is written): it goes
    through the loader, check, the scenarios and every property, and must survive with no
    decision changed; so must every mutant listed as equivalent."""
    found = {m.id: m for m in setup.mutants}[
        "utl-5-15-conditions@2007-07-01/5-15-1st-in-sweden/when.in_sweden:false->true"
    ]
    table = setup.table_set.table(found.table)
    relative = table.path.relative_to(setup.table_set.directory).as_posix()
    identity = dataclasses.replace(
        found, id=f"{found.id}/identity", files=((relative, mutants.table_text(table.spec)),)
    )
    worker = run.Worker(setup.tables, setup.baseline, setup.scenarios, True)
    try:
        result = worker.run(identity)
    finally:
        worker.close()
    assert not result.killed, run.describe(result)
    assert result.changed == 0
    assert _run(setup, found.id).impacted > 0, "the sample must reach the row"
    for mutant_id in run.load_equivalent():  # any listed equivalent mutant must survive too
        assert not _run(setup, mutant_id).killed, mutant_id


@pytest.mark.parametrize(
    "mutant_id",
    [
        "utl-5-15-conditions@2022-08-01/5-15-1st-p4/when.route[4]:board_reflection->none",
        "utl-5-15-standing@2022-08-01/delete-row:5-15-2st-sn",
        "utl-5-15-remarks@2006-03-31/swap-rows:remark-eu-citizen<->remark-child",
    ],
)
def test_impact_analysis_agrees_with_running_everything(setup: Any, mutant_id: str) -> None:
    pruned = _run(setup, mutant_id, prune=True)
    everything = _run(setup, mutant_id, prune=False)
    assert (pruned.killed, bool(pruned.prop)) == (everything.killed, bool(everything.prop))


def test_every_equivalent_entry_names_an_existing_mutant_with_a_reason(setup: Any) -> None:
    ids = {m.id for m in setup.mutants}
    for mutant_id, reason in run.load_equivalent().items():
        assert mutant_id in ids, f"stale entry in equivalent.yaml: {mutant_id}"
        assert len(reason) > 20


def test_mutants_are_unique_and_cover_every_operator(setup: Any) -> None:
    ids = [m.id for m in setup.mutants]
    assert len(ids) == len(set(ids))
    operators = {m.operator for m in setup.mutants}
    assert operators == set(mutants.KINDS)


def test_a_mutant_changes_one_cell(setup: Any) -> None:
    mutant = {m.id: m for m in setup.mutants}[
        "utl-5-15-conditions@2007-07-01/5-15-1st-in-sweden/when.in_sweden:false->true"
    ]
    diff = run.show(setup.tables, mutant).splitlines()
    removed = [line for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line for line in diff if line.startswith("+") and not line.startswith("+++")]
    assert len(removed) == len(added) == 1
    assert '"in_sweden": false' in removed[0] and '"in_sweden": true' in added[0]


def test_a_date_mutant_moves_the_boundary_and_still_loads(setup: Any) -> None:
    """The version starts a day later, its file is renamed, and the version before it ends a
    day later: the set loads, so only the tests can tell."""
    mutant_id = "utl-5-15-standing@2022-08-01/in-force-from:2022-08-01->2022-08-02 (+1d)"
    mutant = {m.id: m for m in setup.mutants}[mutant_id]
    assert [path for path, _ in mutant.files] == [
        "utl-5-15-standing/2022-08-01.yaml",
        "utl-5-15-standing/2022-08-02.yaml",
        "utl-5-15-standing/2015-01-01.yaml",  # the version before it (SFS 2014:655)
    ]
    result = _run(setup, mutant_id)
    assert result.loader is None
    assert result.law_level, run.describe(result)


def test_the_ci_subset_is_fixed(setup: Any) -> None:
    """The subset depends only on the mutant ids, and a smaller subset is part of a larger one."""
    first = {m.id for m in run.subset(setup.mutants, 50)}
    assert len(first) == 50
    assert first == {m.id for m in run.subset(list(reversed(setup.mutants)), 50)}
    assert {m.id for m in run.subset(setup.mutants, 20)} <= first


@pytest.mark.parametrize(
    ("mutant_id", "kind"),
    [
        ("utl-5-15-outcome@2022-08-01/5-15-2st-grant/note.en:shall->may", "note"),
        ("utl-5-15-standing@2022-08-01/5-15-2st-sn/status:confirmed->inferred", "status"),
        ("utl-5-15-standing@2022-08-01/5-15-2st-sn/add-open-question:Q4", "open_question"),
        (
            "utl-5-15-standing@2022-08-01/5-15-4st-sn-child/work-source:"
            "UTLL 5:15 st4 REPORT-2024:SRC-09->SRC-05",
            "citation",
        ),
        ("utl-5-15-standing@2022-08-01/hit-policy:UNIQUE->COLLECT MAX", "gap"),
    ],
)
def test_check_runs_inside_the_runner(setup: Any, mutant_id: str, kind: str) -> None:
    """check's findings are law-level kills: a rule of what a reviewer reads, or a gap or an
    overlap a structural change opens."""
    result = _run(setup, mutant_id)
    assert result.loader is None, result.loader
    assert kind in result.check_kinds, run.describe(result)
