"""The two engines are proven equal, and the durable engine fails loudly instead of wrongly.

* every table version: both engines agree at every point of the table's reachable input domain;
* a planted disagreement is reported at exactly the input where it was planted;
* whole decisions are equal on random valid cases (hypothesis), scenario and demo cases;
* durable_rules' pitfalls (research note ``durable-rules.md``) surface as errors: an action
  that raises, values the engine would coerce, tables it cannot build, no durable_rules at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import math
import re
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from support import DURABLE_AVAILABLE, durable_missing, needs_durable

from betanketid_rules import (
    BetanketidError,
    Case,
    Decision,
    EngineError,
    EngineUnavailableError,
    evaluate,
)
from betanketid_rules._contract import EARLIEST_DECISION_DATE
from betanketid_rules._engine import get_engine
from betanketid_rules._engine._chain import Engine, decide
from betanketid_rules._engine._equality import compare_engines, compare_table
from betanketid_rules._tables import Table, TableSet, default_table_set, load_table_set
from betanketid_rules._tables._columns import CASE_DOMAINS, CaseField, DerivedValue, UpstreamOutput
from betanketid_rules._tables._evaluate import HitResult, apply_hit_policy, result_at
from betanketid_rules._tables._format import TableFile
from betanketid_rules._tables._reach import reachable_domains
from betanketid_rules._types import CellScalar, EngineName, Values

TABLE_SET = default_table_set()
TABLES = list(TABLE_SET)
NATIVE = get_engine("native")


@pytest.fixture
def durable() -> Engine:
    """The process's durable engine (the one ``evaluate(engine="durable")`` uses)."""
    return get_engine("durable")


# --- every table, every reachable input ------------------------------------------------------


def _produced(table_set: TableSet, family: str, output: str, consumer: Table) -> set[CellScalar]:
    """What ``family``'s tables in force alongside ``consumer`` give for ``output`` when RUN
    over their own reachable domains (independent of how the domains are derived)."""
    values: set[CellScalar] = set()
    end = consumer.spec.in_force_to or dt.date.max
    for table in table_set.families[family]:
        if table.spec.in_force_from > end or (table.spec.in_force_to or dt.date.max) < (
            consumer.spec.in_force_from
        ):
            continue
        for point in itertools.product(*reachable_domains(table_set, table)):
            value = NATIVE.hit(table, point).outputs[output]
            assert not isinstance(value, tuple)
            values.add(value)
    return values


@pytest.mark.parametrize("table", TABLES, ids=[table.key for table in TABLES])
def test_reachable_domain_holds_every_value_a_case_or_upstream_table_can_give(
    table: Table,
) -> None:
    """The equality check is only as good as its domain: it must miss no real input."""
    for column, domain in zip(table.columns, reachable_domains(TABLE_SET, table), strict=True):
        source = column.source
        if isinstance(source, CaseField):
            assert domain == CASE_DOMAINS[source.path], column.name
        elif isinstance(source, DerivedValue):
            assert domain == source.domain, column.name
        else:
            produced = _produced(TABLE_SET, source.family, source.output, table)
            assert produced <= set(domain), (column.name, produced - set(domain))


@needs_durable
@pytest.mark.parametrize("table", TABLES, ids=[table.key for table in TABLES])
def test_engines_agree_at_every_reachable_input(table: Table, durable: Engine) -> None:
    agreement = compare_table(TABLE_SET, table, NATIVE, durable)
    assert agreement.mismatch is None, str(agreement.mismatch)
    implied = math.prod(len(domain) for domain in reachable_domains(TABLE_SET, table))
    assert agreement.points == implied
    assert agreement.table == table.key


def test_every_table_file_is_a_version_the_comparison_covers() -> None:
    on_disk = {f"{path.parent.name}@{path.stem}" for path in TABLE_SET.directory.glob("*/*.yaml")}
    assert {table.key for table in TABLES} == on_disk


@needs_durable
def test_compare_engines_reports_one_agreement_per_table_in_chain_order(durable: Engine) -> None:
    agreements = compare_engines(TABLE_SET, NATIVE, durable)
    assert [agreement.table for agreement in agreements] == [table.key for table in TABLES]
    assert all(agreement.mismatch is None for agreement in agreements)
    # The 2022 conditions table: every route the 2022 standing table gives, times every value
    # of every other column as the contract (or the derived value) allows.
    conditions = TABLE_SET.table("utl-5-15-conditions@2022-08-01")
    routes = {
        row.then["route"] for row in TABLE_SET.table("utl-5-15-standing@2022-08-01").spec.rows
    }
    others = [
        column.source.domain
        for column in conditions.columns
        if not isinstance(column.source, UpstreamOutput)
        if column.name != "route"
    ]
    expected = len(routes) * math.prod(len(domain) for domain in others)
    assert {a.table: a.points for a in agreements}[conditions.key] == expected


# --- a planted disagreement is found where it was planted ------------------------------------


@dataclasses.dataclass
class DropsARow:
    """The native engine, except that for the planted inputs the last matching row is lost."""

    table: Table
    planted: set[Values]
    name: EngineName = "durable"

    def hit(self, table: Table, values: Values) -> HitResult:
        result = NATIVE.hit(table, values)
        if table is self.table and values in self.planted:
            return apply_hit_policy(table, result.matched[:-1], values)
        return result


def _points_matching_rows(table: Table, at_least: int) -> list[Values]:
    return [
        point
        for point in itertools.product(*reachable_domains(TABLE_SET, table))
        if len(NATIVE.hit(table, point).matched) >= at_least
    ]


@pytest.mark.parametrize(
    ("key", "rows"),
    [("utl-5-15-conditions@2022-08-01", 2), ("utl-5-15-standing@2022-08-01", 1)],
    ids=["COLLECT-row-lost", "UNIQUE-row-lost"],
)
def test_planted_disagreement_is_reported_at_the_first_planted_input(key: str, rows: int) -> None:
    table = TABLE_SET.table(key)
    candidates = _points_matching_rows(table, rows)
    first, later = candidates[len(candidates) // 2], candidates[-1]
    order = list(itertools.product(*reachable_domains(TABLE_SET, table)))

    agreement = compare_table(TABLE_SET, table, NATIVE, DropsARow(table, {later, first}))

    mismatch = agreement.mismatch
    assert mismatch is not None
    assert mismatch.table == key
    assert mismatch.inputs == dict(zip(table.column_names, first, strict=True))
    assert agreement.points == order.index(first) + 1  # stops at the first differing input
    expected_rows = [table.spec.rows[i].id for i in NATIVE.hit(table, first).matched]
    assert mismatch.expected.startswith(f"rows {expected_rows}")
    if table.spec.hit_policy == "UNIQUE":
        assert mismatch.actual == "hit-policy violation on rows []"
    else:
        assert mismatch.actual.startswith(f"rows {expected_rows[:-1]}")
    assert str(mismatch.inputs) in str(mismatch)


def test_an_honest_wrapper_reports_no_mismatch() -> None:
    """The control for the planted test: the wrapper alone changes nothing."""
    table = TABLE_SET.table("utl-5-15-conditions@2022-08-01")
    agreement = compare_table(TABLE_SET, table, NATIVE, DropsARow(table, set()))
    assert agreement.mismatch is None
    assert agreement.points == math.prod(len(d) for d in reachable_domains(TABLE_SET, table))


# --- whole decisions --------------------------------------------------------------------------

LAST_DAY = dt.date(2035, 12, 31)
BOUNDARIES = sorted(
    {day for change in TABLE_SET.change_dates() for day in (change - dt.timedelta(1), change)}
    - {EARLIEST_DECISION_DATE - dt.timedelta(1)}
)


def _dates(first: dt.date, last: dt.date) -> st.SearchStrategy[dt.date]:
    near_changes = [day for day in BOUNDARIES if first <= day <= last]
    uniform = st.dates(min_value=first, max_value=last)
    return st.one_of(uniform, st.sampled_from(near_changes)) if near_changes else uniform


@st.composite
def valid_cases(draw: st.DrawFn) -> Case:
    """Any valid case: every contract value, dates anywhere and at the wording changes."""
    decision_date = draw(_dates(EARLIEST_DECISION_DATE, LAST_DAY))
    relation = draw(st.sampled_from(CASE_DOMAINS["person.relation"]))
    data: dict[str, Any] = {
        "decision_date": decision_date,
        "applicant": draw(st.sampled_from(CASE_DOMAINS["applicant"])),
        "permit": draw(st.sampled_from(CASE_DOMAINS["permit"])),
        "person": {
            "relation": relation,
            "is_child": relation == "accompanying_child" or draw(st.booleans()),
            "in_sweden": draw(st.booleans()),
            "eu_citizen": draw(st.booleans()),
        },
        "facts": {
            "presumed_offence": draw(st.sampled_from(CASE_DOMAINS["facts.presumed_offence"]))
        },
    }
    for path, domain in CASE_DOMAINS.items():
        if path.startswith("facts.") and domain == (False, True):
            data["facts"][path.rsplit(".", 1)[1]] = draw(st.booleans())
    if draw(st.booleans()):
        data["application_date"] = draw(_dates(EARLIEST_DECISION_DATE, decision_date))
    return Case.model_validate(data)


def _same_decision(case: Case) -> None:
    native = evaluate(case)
    durable = evaluate(case, engine="durable")
    assert (native.engine, durable.engine) == ("native", "durable")
    assert durable.model_copy(update={"engine": "native"}) == native, case.model_dump_json()


@needs_durable
@given(case=valid_cases())
def test_whole_decisions_are_equal_on_random_valid_cases(case: Case) -> None:
    _same_decision(case)


@given(case=valid_cases())
def test_native_cached_decisions_equal_a_fresh_run_of_the_chain(case: Case) -> None:
    """The native engine's decision caches (by case values, by trace steps) never change the
    answer: each decision equals one assembled afresh from the table chain."""
    fresh = decide(TABLE_SET, case, NATIVE)
    assert evaluate(case) == fresh
    assert evaluate(case) == fresh  # the second time from the by-case cache


def _scenario_cases() -> Iterator[Any]:
    try:
        from scenarios_lib import SCENARIO_DIR, load_scenarios  # noqa: PLC0415
    except ImportError:  # pragma: no cover - the scenario suite is not in this checkout
        return
    for scenario in load_scenarios(SCENARIO_DIR):
        yield pytest.param(scenario.case, id=scenario.id)


def _demo_cases() -> list[Any]:
    demo = resources.files("betanketid_rules").joinpath("demo_cases.json").read_text("utf-8")
    return [pytest.param(item["case"], id=item["title"]["en"]) for item in json.loads(demo)]


@needs_durable
@pytest.mark.parametrize("data", [*_scenario_cases(), *_demo_cases()])
def test_whole_decisions_are_equal_on_every_scenario_and_demo_case(data: dict[str, Any]) -> None:
    _same_decision(Case.model_validate(data))


# --- durable_rules' pitfalls surface as errors --------------------------------------------------

PIL_EVIDENCE = Case.model_validate(
    {
        "decision_date": "2023-03-15",
        "applicant": "preliminary_investigation_leader",
        "permit": "evidence_person",
        "person": {"in_sweden": True},
        "facts": {
            "needed_for_investigation": True,
            "willing_to_cooperate": True,
            "ties_broken": True,
        },
    }
)
PIL_REFLECTION = PIL_EVIDENCE.model_copy(update={"permit": "reflection_period"})


#: The row whose action is made to raise: standing@2022's investigation leader applying for an
#: evidence-person permit (named by id, so the tests hold whatever the rows' order).
FAILING_ROW = ("utl-5-15-standing@2022-08-01", "5-15-1st-fu")


def _raising_engine(fails: Callable[[Table, int], bool]) -> Engine:
    """A durable engine whose action for row ``index`` of ``table`` raises after recording,
    wherever ``fails(table, index)`` (the sentinel rule's index is ``SENTINEL``)."""
    from betanketid_rules._engine._durable import DurableEngine  # noqa: PLC0415

    class RaisingActions(DurableEngine):
        building: Table | None = None

        def _compiled(self, table: Table) -> Any:
            self.building = table  # the actions of this table's rules are made next
            return super()._compiled(table)

        def _action(self, index: int) -> Any:
            record = super()._action(index)
            if self.building is None or not fails(self.building, index):
                return record

            def action(c: Any) -> None:
                record(c)
                raise RuntimeError("planted failure in a row action")

            return action

    return RaisingActions()


def _fails_at_row(table: Table, index: int) -> bool:
    key, row_id = FAILING_ROW
    rows = table.spec.rows
    return table.key == key and 0 <= index < len(rows) and rows[index].id == row_id


@needs_durable
def test_an_action_that_raises_surfaces_as_engine_error_naming_table_and_cause() -> None:
    engine = _raising_engine(_fails_at_row)
    with pytest.raises(EngineError) as caught:
        decide(TABLE_SET, PIL_EVIDENCE, engine)
    message = str(caught.value)
    assert message.startswith("utl-5-15-standing@2022-08-01: a durable_rules action failed")
    assert "planted failure in a row action" in message
    assert isinstance(caught.value, BetanketidError)


@needs_durable
def test_after_a_failed_action_the_engine_keeps_deciding_correctly() -> None:
    """Sessions are deleted even when an action raised: 1,100 failures (durable allows 1,024
    live sessions per ruleset) and the next case is still decided, and decided right."""
    engine = _raising_engine(_fails_at_row)
    for _ in range(1100):
        with pytest.raises(EngineError, match="planted failure"):
            decide(TABLE_SET, PIL_EVIDENCE, engine)
    # The failing row does not fire for this case, so nothing raises.
    assert decide(TABLE_SET, PIL_REFLECTION, engine).model_copy(
        update={"engine": "native"}
    ) == decide(TABLE_SET, PIL_REFLECTION, NATIVE)


@needs_durable
def test_an_action_that_raises_in_the_sentinel_rule_fails_every_case() -> None:
    from betanketid_rules._engine._durable import SENTINEL  # noqa: PLC0415

    engine = _raising_engine(lambda table, index: index == SENTINEL)
    with pytest.raises(EngineError, match="planted failure"):
        decide(TABLE_SET, PIL_REFLECTION, engine)


@needs_durable
def test_an_action_with_two_parameters_is_refused_before_registration() -> None:
    """durable_rules would treat it as asynchronous: it returns before the action runs."""
    from betanketid_rules._engine._durable import DurableEngine  # noqa: PLC0415

    class TwoParameterActions(DurableEngine):
        def _action(self, index: int) -> Any:
            return lambda c, i=index: None

    with pytest.raises(EngineError, match="plain function of one parameter"):
        decide(TABLE_SET, PIL_REFLECTION, TwoParameterActions())


@needs_durable
@pytest.mark.parametrize("value", [1, "true", "True", None], ids=repr)
def test_durable_refuses_a_value_it_would_coerce_to_a_boolean(
    value: CellScalar, durable: Engine
) -> None:
    """Inside durable_rules ``1`` and ``"true"`` equal ``True``; only exact values are fed."""
    table = TABLE_SET.table("utl-5-15-conditions@2022-08-01")
    values = ("fu_evidence_person", value, True, True, True, False, True, True, "none")
    with pytest.raises(EngineError, match=rf"{value!r} is not a value of column 'in_sweden'"):
        durable.hit(table, values)


@needs_durable
def test_two_edited_versions_of_a_table_coexist_in_one_durable_engine(
    tables_copy: Path, durable: Engine
) -> None:
    """A registered ruleset can never be replaced; names carry the content hash instead."""
    path = tables_copy / "utl-5-15-conditions/2022-08-01.yaml"
    text = path.read_text(encoding="utf-8")
    old = (
        "when: {route: fu_reflection_extension, special_reasons_longer_reflection: false}\n"
        "    then: {effect: unmet}"
    )
    assert text.count(old) == 1
    path.write_text(text.replace(old, old.replace("unmet}", "met}")), encoding="utf-8")
    edited = load_table_set(tables_copy)
    case = Case.model_validate(
        {
            "decision_date": "2023-03-15",
            "applicant": "preliminary_investigation_leader",
            "permit": "reflection_period_extension",
            "facts": {"needed_for_investigation": True},
        }
    )
    outcomes = []
    for table_set in (TABLE_SET, edited, TABLE_SET):
        decision = decide(table_set, case, durable)
        assert decision.model_copy(update={"engine": "native"}) == decide(table_set, case, NATIVE)
        outcomes.append(decision.outcome)
    assert outcomes == ["refuse", "may_grant", "refuse"]


# --- tables durable_rules cannot build are refused when compiled --------------------------------


def _synthetic_table(
    columns: int,
    set_cells: int,
    rows: list[dict[str, Any]] | None = None,
    names: list[str] | None = None,
) -> Table:
    """A COLLECT table of ``columns`` string columns (values a, b, c; named c00, c01, ...
    unless ``names`` are given); its one row has ``set_cells`` set-membership cells [a, b]
    unless ``rows`` are given."""
    names = names or [f"c{index:02d}" for index in range(columns)]
    when = {name: ["a", "b"] for name in names[:set_cells]}
    spec = TableFile.model_validate(
        {
            "family": "synthetic",
            "title": {"sv": "Syntetisk", "en": "Synthetic"},
            "in_force_from": "2006-03-31",
            "in_force_to": None,
            "encodes": "UTLL",
            "hit_policy": "COLLECT",
            "aggregation": "LIST",
            "inputs": [{"name": name, "from": f"upstream.{name}"} for name in names],
            "outputs": [{"name": "hit", "values": ["yes"]}],
            "rows": [
                {
                    "id": f"row-{index}",
                    "when": row_when,
                    "then": {"hit": "yes"},
                    "status": "inferred",
                    "citations": [
                        {
                            "act": "UTLL",
                            "wording": "UTLL",
                            "source": "S",
                            "role": "basis",
                            "status": "inferred",
                        }
                    ],
                    "note": {"sv": "Rad.", "en": "Row."},
                }
                for index, row_when in enumerate(rows or [when])
            ],
        }
    )
    digest = hashlib.sha256(spec.model_dump_json().encode()).hexdigest()
    return Table(spec, Path("synthetic.yaml"), digest, tuple(("a", "b", "c") for _ in names))


@needs_durable
def test_a_row_with_15_set_membership_cells_is_refused_before_anything_is_registered() -> None:
    from betanketid_rules._engine._durable import DurableEngine  # noqa: PLC0415

    engine = DurableEngine()
    table = _synthetic_table(columns=15, set_cells=15)
    with pytest.raises(EngineError) as caught:
        engine.hit(table, ("a",) * 15)
    assert str(caught.value) == (
        "synthetic@2006-03-31: durable_rules cannot evaluate this table: row row-0 has 15 "
        "set-membership cells, more than 14 (durable_rules error 113)"
    )
    assert engine._host._ruleset_directory == {}


@needs_durable
def test_a_row_with_14_set_membership_cells_is_built_and_agrees_with_native() -> None:
    from betanketid_rules._engine._durable import DurableEngine  # noqa: PLC0415

    engine = DurableEngine()
    table = _synthetic_table(columns=15, set_cells=14)
    for values in [("a",) * 15, ("b",) * 14 + ("c",), ("a",) * 13 + ("c", "a"), ("c",) * 15]:
        expected = result_at(table, values)  # the reference row loop
        assert engine.hit(table, values) == expected, values
    assert engine.hit(table, ("a",) * 15).matched == (0,)
    assert engine.hit(table, ("c",) * 15).matched == ()


@needs_durable
def test_durable_rules_itself_fails_at_15_set_membership_cells() -> None:
    """The limit is durable_rules' own (error 113), not a guess of ours."""
    from betanketid_rules._engine._durable import _QuietHost, _rule  # noqa: PLC0415

    tests = [{"$or": [{f"c{index}": "a"}, {f"c{index}": "b"}]} for index in range(15)]
    with pytest.raises(Exception, match="error code: 113"):
        _QuietHost().register_rulesets({"raw-15-sets": {"r_0": _rule(tests, lambda c: None)}})


@needs_durable
def test_a_row_testing_nothing_fires_for_every_case_without_looping() -> None:
    """An all-"any" row still tests the marker field (a rule on ``sid`` alone never returns)."""
    from betanketid_rules._engine._durable import DurableEngine  # noqa: PLC0415

    table = _synthetic_table(columns=2, set_cells=0, rows=[{}, {"c00": "a"}])
    engine = DurableEngine()
    for values in itertools.product(("a", "b", "c"), repeat=2):
        expected = (0, 1) if values[0] == "a" else (0,)
        assert engine.hit(table, values).matched == expected
        assert NATIVE.hit(table, values).matched == expected


def _many_values_table(values: int) -> Table:
    """One column with ``values`` values, one row testing each."""
    table = _synthetic_table(columns=1, set_cells=0, rows=[{"c00": f"v{i}"} for i in range(values)])
    return dataclasses.replace(table, domains=(tuple(f"v{i}" for i in range(values)),))


@needs_durable
@pytest.mark.parametrize(
    ("table", "reason"),
    [
        (
            _synthetic_table(columns=2, set_cells=0, names=["sid", "id"]),
            "column names reserved by durable_rules: id, sid",
        ),
        (_many_values_table(512), "512 distinct tested values exceed 511 (the engine hangs)"),
    ],
    ids=["sid-and-id-columns", "512-tested-values"],
)
def test_a_table_durable_cannot_evaluate_safely_is_refused(table: Table, reason: str) -> None:
    """A rule on ``sid`` never returns; 512 values at one node hang the engine."""
    from betanketid_rules._engine._durable import check_compilable  # noqa: PLC0415

    with pytest.raises(EngineError, match=re.escape(reason)):
        check_compilable(table)


@needs_durable
def test_511_tested_values_are_built_and_agree_with_native() -> None:
    from betanketid_rules._engine._durable import DurableEngine  # noqa: PLC0415

    table = _many_values_table(511)
    engine = DurableEngine()
    for value in ("v0", "v255", "v510"):
        assert engine.hit(table, (value,)) == NATIVE.hit(table, (value,))
    assert engine.hit(table, ("v510",)).matched == (510,)


@needs_durable
def test_a_column_mixing_value_types_is_refused_since_durable_equates_them() -> None:
    from betanketid_rules._engine._durable import check_compilable  # noqa: PLC0415

    mixed = dataclasses.replace(
        _synthetic_table(columns=2, set_cells=0), domains=(("a", "b"), (False, True, 1, None))
    )
    with pytest.raises(EngineError, match=re.escape("column 'c01' mixes value types (bool, int)")):
        check_compilable(mixed)
    # One type plus None is fine, as is the string "true" in a column of strings.
    check_compilable(dataclasses.replace(mixed, domains=(("a", "true"), (False, True, None))))


# --- no durable_rules at all ----------------------------------------------------------------------

#: The documented error for ``engine="durable"`` where durable_rules cannot be imported.
UNAVAILABLE = (
    "engine 'durable' is unavailable here: {why}. durable_rules 2.0.28 installs and imports "
    "only on Python < 3.13; use engine='native'"
)


def test_durable_without_durable_rules_raises_the_documented_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As on Python 3.13, where durable_rules is not installed (or its C extension does not
    import): the error says why and what to use instead; the native engine is unaffected."""
    with durable_missing(monkeypatch):
        with pytest.raises(EngineUnavailableError) as caught:
            evaluate(PIL_EVIDENCE, engine="durable")
        why = "import of durable halted; None in sys.modules"
        assert str(caught.value) == UNAVAILABLE.format(why=why)
        assert isinstance(caught.value, BetanketidError)
        assert isinstance(caught.value, RuntimeError)
        assert isinstance(caught.value.__cause__, ImportError)
        # Nothing else breaks: the native engine still decides.
        assert evaluate(PIL_EVIDENCE).outcome == "grant"


# --- a Decision put together from cached parts is the validated one ---------------------------


@given(case=valid_cases())
def test_a_decision_put_together_equals_the_validated_one(case: Case) -> None:
    """Engines put a Decision together from parts already validated (no second validation):
    it must be the very Decision pydantic would build, field by field and as JSON."""
    for engine in ("native", "durable") if DURABLE_AVAILABLE else ("native",):
        decision = evaluate(case, engine=engine)
        validated = Decision.model_validate(decision.model_dump())
        assert decision == validated
        assert decision.model_dump_json() == validated.model_dump_json()
        assert decision.model_fields_set == validated.model_fields_set
        assert list(vars(decision)) == list(Decision.model_fields)
        with pytest.raises(ValidationError):
            decision.outcome = "grant"  # type: ignore[misc]  # frozen like any Decision
