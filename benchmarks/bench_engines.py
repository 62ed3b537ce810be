"""Speed of the two engines against a hand-written floor and raw durable_rules, in one run.

Four evaluators decide the same fixed set of cases under the 2022 wording of 5 kap. 15 §:

* ``if/else``: the same rules written by hand as plain conditionals on a :class:`Case`;
* ``native``: ``evaluate(case)``, returning the full Decision with its trace;
* ``raw durable``: durable_rules itself on the same chain of rulesets (compiled from the tables
  by the durable engine's own compiler), with the DEFAULT ``durable.engine.Host`` (the Host
  ``durable.lang`` uses, dispatcher threads running): per table ``assert_fact`` then
  ``delete_state``, and only the glue needed to pass one table's output to the next;
* ``durable``: ``evaluate(case, engine="durable")``, the full Decision.

Before anything is timed every evaluator's answer is checked against the native engine's on
every case, so no evaluator is fast by being wrong. Each repeat runs the four evaluators in a
shuffled order over the whole case set (the fast ones several times, so a repeat lasts long
enough to time); the script prints the median per-case time of each and the ratios, checks
the targets of issue 4 and exits 1 if one is missed.

    .venv/bin/python benchmarks/bench_engines.py            # ~20-30 s on 2 cores
    .venv/bin/python benchmarks/bench_engines.py --quick    # smoke run, a few seconds
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from betanketid_rules import Case, evaluate
from betanketid_rules._engine._native import NativeEngine
from betanketid_rules._tables import Table, default_table_set
from betanketid_rules._tables._columns import CaseField, ColumnSource, DerivedValue

WORDING_2022 = dt.date(2022, 8, 1)
DECISION_DATES = (dt.date(2022, 8, 1), dt.date(2023, 3, 15), dt.date(2025, 11, 28))

_UNCACHED = NativeEngine()

Answer = tuple[Any, ...]
"""What every evaluator answers: outcome, permit type, days, months and the remarks."""


# --- (a) the same rules by hand ----------------------------------------------------------


def if_else(case: Case) -> Answer:  # noqa: PLR0911, PLR0912 (the point is plain branches)
    """The 2022 wording of 5 kap. 15 § as hand-written conditionals (the speed floor)."""
    facts = case.facts
    person = case.person
    applicant = case.applicant
    permit = case.permit
    victim = facts.presumed_offence in ("trafficking", "exploitation")
    if applicant == "preliminary_investigation_leader":
        route = {
            "evidence_person": "fu_evidence_person",
            "reflection_period": "fu_reflection",
            "evidence_person_extension": "fu_evidence_person_extension",
            "reflection_period_extension": "fu_reflection_extension",
        }[permit]
    elif applicant == "social_welfare_board" and permit == "reflection_period" and victim:
        lodged_before = case.application_date is not None and case.application_date < WORDING_2022
        route = "open" if lodged_before else "board_reflection"
    else:
        route = "none"

    remarks: tuple[str, ...] = ("eu_citizen_covered",) if person.eu_citizen else ()
    if person.is_child:
        remarks += ("child_best_interests",)
    if route == "none":
        return ("no_standing", None, None, None, remarks)
    if route == "open":
        return ("needs_review", None, None, None, remarks)

    needed = facts.needed_for_investigation
    objection = facts.public_order_objection
    if route in ("fu_evidence_person", "fu_evidence_person_extension"):
        unmet = (
            not needed
            or objection
            or not facts.willing_to_cooperate
            or not facts.ties_broken
            or (route == "fu_evidence_person" and not person.in_sweden)
        )
        open_question = False
    elif route == "fu_reflection":
        unmet = not needed or objection or not person.in_sweden or not facts.wants_reflection_period
        open_question = False
    elif route == "fu_reflection_extension":
        unmet = not needed or objection or not facts.special_reasons_longer_reflection
        open_question = False
    else:  # board_reflection
        unmet = not needed or objection or not person.in_sweden or not facts.wants_reflection_period
        open_question = False

    if unmet:
        return ("refuse", None, None, None, remarks)
    if open_question:
        return ("needs_review", None, None, None, remarks)
    if route == "fu_evidence_person":
        return ("grant", "evidence_person", None, 6, remarks)
    if route == "fu_evidence_person_extension":
        return ("may_grant", "evidence_person", None, None, remarks)
    if route == "fu_reflection_extension":
        return ("may_grant", "reflection_period", None, None, remarks)
    return ("grant", "reflection_period", 30, None, remarks)


# --- (b) and (d) the library ---------------------------------------------------------------


def _answer(decision: Any) -> Answer:
    permit = decision.permit
    remarks = next(
        step.outputs["remark"] for step in decision.trace if step.table == "utl-5-15-remarks"
    )
    if permit is None:
        return (decision.outcome, None, None, None, remarks)
    return (decision.outcome, permit.type, permit.days, permit.min_months, remarks)


def native(case: Case) -> Any:
    """``evaluate(case)``: the full Decision from the native engine."""
    return evaluate(case)


def native_uncached(case: Case) -> Any:
    """The native engine with its assembled-Decision cache emptied first (for information).

    A separate engine instance, so the cache of ``evaluate()`` is untouched. The per-table
    lookups and trace steps stay cached (their domains are finite); what this adds is the
    assembly of a Decision never seen before, which a workload with more distinct cases than
    ``DECISION_CACHE_SIZE`` pays on most cases.
    """
    for cache in _UNCACHED._sets.values():
        cache.by_case.clear()
    return _UNCACHED.decide(default_table_set(), case)


def durable(case: Case) -> Any:
    """``evaluate(case, engine="durable")``: the full Decision from the durable engine."""
    return evaluate(case, engine="durable")


# --- (c) raw durable_rules -------------------------------------------------------------------


class RawDurable:
    """durable_rules on the 2022 chain with the default Host: assert_fact + delete_state.

    The glue is the least that chains the tables: each table's message is read off the case
    (or the outputs upstream) by its columns' sources, and each table's outputs are taken from
    the rows that fired (first row, or the maximum / list of a COLLECT table).
    """

    def __init__(self) -> None:
        from durable import engine as durable_engine  # noqa: PLC0415

        from betanketid_rules._engine._durable import compile_ruleset  # noqa: PLC0415

        self.chain = default_table_set().chain_on(DECISION_DATES[-1])
        self.host = durable_engine.Host()  # the default Host: its dispatcher threads run
        self.fired: dict[str, list[int]] = {}
        self.sids = itertools.count()
        self.readers = {table.family: _readers(table) for table in self.chain}
        for table in self.chain:
            self.host.register_rulesets(
                {f"raw-{table.family}": compile_ruleset(table, self._action)}
            )

    def _action(self, index: int) -> Callable[[Any], None]:
        fired = self.fired

        def action(c: Any) -> None:
            fired[c.s.sid].append(index)

        return action

    def _fire(self, family: str, message: dict[str, Any]) -> list[int]:
        sid = str(next(self.sids))
        message["sid"] = sid
        message["betanketid_case"] = 1
        self.fired[sid] = []
        try:
            self.host.assert_fact(f"raw-{family}", message)
        finally:
            self.host.delete_state(f"raw-{family}", sid)
        return sorted(index for index in self.fired.pop(sid) if index >= 0)

    def __call__(self, case: Case) -> Answer:
        upstream: dict[str, Any] = {}
        for table in self.chain:
            message = {name: read(case, upstream) for name, read in self.readers[table.family]}
            rows = [table.spec.rows[i].then for i in self._fire(table.family, message)]
            for output in table.spec.outputs:
                if table.spec.aggregation == "LIST":
                    value: Any = tuple(row[output.name] for row in rows)
                elif table.spec.aggregation == "MAX":
                    ranks = [output.values.index(row[output.name]) for row in rows]
                    value = output.values[max(ranks)] if ranks else output.default
                else:
                    value = rows[0][output.name]
                upstream[f"{table.family}.{output.name}"] = value
        return (
            upstream["utl-5-15-outcome.outcome"],
            upstream["utl-5-15-outcome.permit_type"],
            upstream["utl-5-15-outcome.permit_days"],
            upstream["utl-5-15-outcome.permit_min_months"],
            upstream["utl-5-15-remarks.remark"],
        )


Reader = Callable[[Case, dict[str, Any]], Any]


def _readers(table: Table) -> list[tuple[str, Reader]]:
    """For each input column of ``table``: its name and how to read its value."""
    start = table.spec.in_force_from

    def reader(source: ColumnSource) -> Reader:
        if isinstance(source, CaseField):
            return lambda case, upstream: source.read(case)
        if isinstance(source, DerivedValue):
            return lambda case, upstream: source.read(case, start)
        key = source.text
        return lambda case, upstream: upstream[key]

    return [(column.name, reader(column.source)) for column in table.columns]


# --- the case set ----------------------------------------------------------------------------

APPLICANTS = (
    "preliminary_investigation_leader",
    "social_welfare_board",
    "police_authority",
    "the_person",
    "other",
)
PERMITS = (
    "reflection_period",
    "evidence_person",
    "reflection_period_extension",
    "evidence_person_extension",
)
OFFENCES = ("trafficking", "exploitation", "other_crime", "none")
RELATIONS = ("self", "accompanying_child", "family_member")
FACTS = (
    "needed_for_investigation",
    "willing_to_cooperate",
    "ties_broken",
    "wants_reflection_period",
    "special_reasons_longer_reflection",
)


def cases(count: int, seed: int = 20220801) -> list[Case]:
    """``count`` fixed cases under the 2022 wording: every standing input, facts drawn by seed.

    The first 480 cases are the whole input domain of the 2022 standing table (applicant,
    permit, presumed offence, relation, application lodged before 2022-08-01 or not); the rest
    draw those at random. Every case draws its facts and person flags at random.
    """
    rng = random.Random(seed)
    standing = list(itertools.product(APPLICANTS, PERMITS, OFFENCES, RELATIONS, (False, True)))
    picks = standing + [rng.choice(standing) for _ in range(max(0, count - len(standing)))]
    result = []
    for applicant, permit, offence, relation, lodged_before in picks[:count]:
        decision_date = rng.choice(DECISION_DATES)
        data: dict[str, Any] = {
            "decision_date": decision_date,
            "applicant": applicant,
            "permit": permit,
            "person": {
                "relation": relation,
                "in_sweden": rng.random() < 0.8,
                "is_child": relation == "accompanying_child" or rng.random() < 0.3,
                "eu_citizen": rng.random() < 0.2,
            },
            "facts": {"presumed_offence": offence}
            | {name: rng.random() < 0.75 for name in FACTS}
            | {"public_order_objection": rng.random() < 0.2},
        }
        if lodged_before:
            data["application_date"] = dt.date(2022, 7, 15)
        elif rng.random() < 0.5:
            data["application_date"] = decision_date
        result.append(Case.model_validate(data))
    return result


def check_agreement(case_set: Sequence[Case], raw: RawDurable | None) -> dict[str, int]:
    """Every evaluator gives the native engine's answer on every case; the outcome counts."""
    outcomes: dict[str, int] = {}
    evaluators: dict[str, Callable[[Case], Answer]] = {
        "if/else": if_else,
        "durable": lambda case: _answer(durable(case)),
    }
    if raw is not None:
        evaluators["raw durable"] = raw
    for case in case_set:
        expected = _answer(native(case))
        outcomes[expected[0]] = outcomes.get(expected[0], 0) + 1
        for name, evaluator in evaluators.items():
            answer = evaluator(case)
            if answer != expected:
                raise SystemExit(
                    f"{name} disagrees with the native engine on {case.model_dump_json()}:\n"
                    f"  native {expected}\n  {name} {answer}"
                )
    return outcomes


# --- timing ----------------------------------------------------------------------------------


def _time(evaluator: Callable[[Case], Any], case_set: Sequence[Case], passes: int) -> list[float]:
    """Seconds per case in each of ``passes`` passes over the case set."""
    gc.collect()
    per_case = []
    for _ in range(passes):
        start = time.perf_counter()
        for case in case_set:
            evaluator(case)
        per_case.append((time.perf_counter() - start) / len(case_set))
    return per_case


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; print medians and ratios; 1 if a target of issue 4 is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="cases in the fixed set")
    parser.add_argument("--repeats", type=int, default=7, help="interleaved repeats")
    parser.add_argument("--fast-passes", type=int, default=20, help="passes of the fast ones")
    parser.add_argument("--quick", action="store_true", help="smoke run: 480 cases, 3 repeats")
    args = parser.parse_args(argv)
    if args.quick:
        args.cases, args.repeats, args.fast_passes = 480, 3, 5

    case_set = cases(args.cases)
    raw = RawDurable()
    outcomes = check_agreement(case_set, raw)
    print(
        f"Python {platform.python_version()} on {platform.machine()}; {len(case_set)} cases "
        f"(outcomes {dict(sorted(outcomes.items()))}); {args.repeats} repeats, evaluators "
        "interleaved in shuffled order; all four agree with the native engine on every case"
    )
    evaluators: dict[str, tuple[Callable[[Case], Any], int]] = {
        "if/else": (if_else, args.fast_passes),
        "native": (native, args.fast_passes),
        "raw durable": (raw, 1),
        "durable": (durable, 1),
        "native, decision not cached": (native_uncached, 1),
    }
    samples: dict[str, list[float]] = {name: [] for name in evaluators}
    repeat_medians: dict[str, list[float]] = {name: [] for name in evaluators}
    order = list(evaluators)
    rng = random.Random(1)
    for _ in range(args.repeats):
        rng.shuffle(order)
        for name in order:
            evaluator, passes = evaluators[name]
            per_pass = _time(evaluator, case_set, passes)
            samples[name].extend(per_pass)
            repeat_medians[name].append(statistics.median(per_pass))

    median = {name: statistics.median(values) for name, values in samples.items()}
    print(f"\n{'evaluator':<29}{'median µs/case':>16}{'min':>10}{'max':>10}{'passes':>8}")
    for name, values in samples.items():
        print(
            f"{name:<29}{median[name] * 1e6:>16.2f}{min(values) * 1e6:>10.2f}"
            f"{max(values) * 1e6:>10.2f}{len(values):>8}"
        )
    print("(the last line is for information: no target applies to it)")

    def per_repeat(a: str, b: str) -> str:
        ratios = [x / y for x, y in zip(repeat_medians[a], repeat_medians[b], strict=True)]
        return f"(per repeat {min(ratios):.2f}-{max(ratios):.2f})"

    native_vs_if = median["native"] / median["if/else"]
    raw_vs_native = median["raw durable"] / median["native"]
    durable_vs_raw = median["durable"] / median["raw durable"]
    targets = [
        (
            "native / if-else",
            native_vs_if,
            native_vs_if <= 10,
            "<= 10",
            per_repeat("native", "if/else"),
        ),
        (
            "raw durable / native",
            raw_vs_native,
            raw_vs_native >= 4,
            ">= 4",
            per_repeat("raw durable", "native"),
        ),
        (
            "durable / raw durable",
            durable_vs_raw,
            durable_vs_raw <= 2,
            "<= 2",
            per_repeat("durable", "raw durable"),
        ),
    ]
    print(f"\n{'ratio of medians':<24}{'value':>9}  target  result")
    for label, value, ok, target, spread in targets:
        print(f"{label:<24}{value:>9.2f}  {target:<6}  {'ok' if ok else 'MISSED'}  {spread}")
    return 0 if all(ok for _, _, ok, _, _ in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
