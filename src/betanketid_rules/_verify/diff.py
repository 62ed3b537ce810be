"""``diff``: what a new wording changes in decisions, exactly, as regions of inputs.

Three ways to compare, each over the finite input space relevant to the tables compared
(:mod:`.space`), every point evaluated on both sides:

* two tables (``family@version``): each table's own outputs and cited provisions;
* two dates: the whole chain of tables in force on each date, decided as the engine decides;
* two table directories (a previous release against the working tree): the whole chain, for
  every period in which either side's tables change.

Three kinds of change, each grouped with the regions that hold its points:

* *decision changes*: the outcome or the permit (type and length) differs; grouped by before →
  after with the rows that decided on each side, the provisions and open questions, and
  ordered by legal weight (:func:`legal_weight`: whether a permit can be granted first, then
  other outcome changes, then the permit's length), then by size;
* *changes of legal basis*: the decision stays, the provisions cited (act, chapter, section,
  paragraph, point) or the open questions differ;
* *changes of text or status*: decision and basis stay, but a citation's wording, status,
  source (or sentence, pages) changes, grouped per provision, or a row that fires reads
  differently (its note in either language, its status, its outputs).

A plain-language summary in Swedish and English (:mod:`.summary`) is generated from the changes
and the vocabulary.

Tables that are the same on both sides and feed nothing that changes are left out (their
input columns too), so e.g. the remarks table never clutters a diff of the permit rules.

>>> import datetime as dt
>>> from betanketid_rules._tables import default_table_set
>>> report = diff_dates(default_table_set(), dt.date(2022, 7, 31), dt.date(2022, 8, 1))
>>> change = report.comparisons[0].decision_changes[0]  # the weightiest first
>>> change.before.label, change.after.label
('no_standing', 'grant (reflection_period, 30 days)')
"""

from __future__ import annotations

import datetime as dt
import json
import operator
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .._contract import Citation, Decision
from .._engine import decide_with
from .._engine._chain import row_citations
from .._errors import DiffError, HitPolicyError, InvalidArgumentError
from .._tables import Table, TableSet
from .._tables._columns import DerivedValue, UpstreamOutput
from .._tables._evaluate import result_at
from .._tables._reach import reachable_domains
from .._tables._tableset import spans, tuple_getter
from .._types import Box, CellScalar
from ._split import box_points, region_boxes, unit_boxes
from .regions import POINTWISE_LIMIT, Column, box_region, format_value, merge_boxes, widen
from .render import render_diff
from .report import (
    CitationChange,
    CitationDetail,
    Comparison,
    DecisionChange,
    DiffReport,
    Provision,
    RowChange,
    Scoped,
    Verdict,
)
from .space import DateClasses, InputSpace, case_paths

#: A point's values, then the outputs of the tables evaluated so far (a LIST output is a tuple).
Point = tuple[Any, ...]

__all__ = [
    "diff_dates",
    "diff_table_sets",
    "diff_table_versions",
    "render_diff",
]


@dataclass(frozen=True)
class _RowRef:
    """A fired row: its name for the reader, and its identity (the same table version and the
    same row, word for word: a row is the same on both sides only if nothing in it changed)."""

    key: str
    identity: tuple[str, str]
    #: Where the row comes in a report: its table's place in the chain, then its own.
    rank: tuple[int, int] = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class _Use:
    provision: Provision | None
    detail: CitationDetail
    row: _RowRef


@dataclass(frozen=True)
class _Outcome:
    """Everything the diff compares about one side at one point."""

    verdict: Verdict
    provisions: frozenset[Provision]
    uses: frozenset[_Use]
    rows: tuple[_RowRef, ...]
    questions: tuple[str, ...]


@dataclass(frozen=True)
class _Violation:
    """A table broke its hit policy (or never receives these inputs: ``rows is None``)."""

    table: str
    policy: str
    rows: tuple[str, ...] | None

    @property
    def label(self) -> str:
        if self.rows is None:
            return f"not reachable ({self.table} never receives these inputs)"
        if not self.rows:
            return f"no decision ({self.table}: no row matches)"
        return f"no decision ({self.table}: {self.policy} violated by rows {', '.join(self.rows)})"


def _use(citation: Citation, row: _RowRef) -> _Use:
    detail = CitationDetail(
        citation.wording, citation.status, citation.source, citation.pages, citation.role
    )
    if citation.act is None:
        return _Use(None, detail, row)
    provision = Provision(
        citation.act,
        citation.chapter,
        citation.section,
        citation.paragraph,
        citation.point,
        citation.title,
        citation.sentence,
    )
    return _Use(provision, detail, row)


def _outcome(
    verdict: Verdict,
    fired: Iterable[tuple[_RowRef, Iterable[Citation]]],
    questions: tuple[str, ...],
) -> _Outcome:
    rows: list[_RowRef] = []
    uses: set[_Use] = set()
    for row, citations in fired:
        rows.append(row)
        uses.update(_use(citation, row) for citation in citations)
    provisions = frozenset(
        use.provision
        for use in uses
        if use.provision is not None and use.detail.role == "basis"  # context is evidence
    )
    return _Outcome(verdict, provisions, frozenset(uses), tuple(rows), questions)


def _violation_outcome(violation: _Violation) -> _Outcome:
    verdict = Verdict(violation.label, (("error", violation.label),))
    return _Outcome(verdict, frozenset(), frozenset(), (), ())


def _row_text(table: Table, index: int) -> str:
    """A row as text: what makes two rows of the same table version the same row."""
    return table.spec.rows[index].model_dump_json()


class _Evaluator(Protocol):
    @property
    def plans(self) -> Sequence[_Plan]: ...

    def key(self, point: Point) -> Hashable: ...

    def outcome(self, key: Hashable, point: Point) -> _Outcome: ...


@dataclass
class _Plan:
    """How to evaluate one table at a point: which positions of the extended point it reads."""

    table: Table
    #: The positions of the extended point the table's inputs come from, in column order.
    indices: tuple[int, ...]
    get: Callable[[Point], Point]
    derived: dict[int, dict[CellScalar, Any]]
    reachable: dict[int, frozenset[CellScalar]]
    memo: dict[Point, tuple[tuple[int, ...], Point] | _Violation]

    def evaluate(self, key: Point) -> tuple[tuple[int, ...], Point] | _Violation:
        table = self.table
        for index, allowed in self.reachable.items():
            if key[index] not in allowed:
                return _Violation(table.key, table.spec.hit_policy, None)
        values = tuple(
            self.derived[index][value] if index in self.derived else value
            for index, value in enumerate(key)
        )
        try:
            hit = result_at(table, values)
        except HitPolicyError as error:
            return _Violation(table.key, error.policy, error.rows)
        return hit.fired, tuple(hit.outputs[output.name] for output in table.spec.outputs)

    def result(self, extended: Point) -> tuple[tuple[int, ...], Point] | _Violation:
        key = self.get(extended)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self.evaluate(key)
        return found


def _plans(
    tables: Sequence[Table],
    space: InputSpace,
    day: dt.date | None,
    reachable: dict[str, tuple[tuple[CellScalar, ...], ...]] | None = None,
) -> list[_Plan]:
    """Plans for ``tables`` in order, each table's upstream outputs appended to the point."""
    positions = {source.text: index for index, source in enumerate(space.sources)}
    size = len(space.sources)
    plans = []
    for table in tables:
        indices: list[int] = []
        derived: dict[int, dict[CellScalar, Any]] = {}
        limits: dict[int, frozenset[CellScalar]] = {}
        for j, column in enumerate(table.columns):
            indices.append(positions[column.source.text])
            if isinstance(column.source, DerivedValue):
                derived[j] = space.derived_values(table, day)
            elif reachable is not None and isinstance(column.source, UpstreamOutput):
                limits[j] = frozenset(reachable[table.key][j])
        for output in table.spec.outputs:
            positions[f"{table.family}.{output.name}"] = size
            size += 1
        plans.append(
            _Plan(
                table,
                tuple(indices),
                tuple_getter(operator.itemgetter, indices),
                derived,
                limits,
                {},
            )
        )
    return plans


class _ChainSide:
    """One side of a date or directory diff: the chain in force on one date."""

    def __init__(
        self, table_set: TableSet, day: dt.date, tables: Sequence[Table], space: InputSpace
    ) -> None:
        self.table_set = table_set
        self.day = day
        self.space = space
        self.plans = _plans(tables, space, day)
        self.families = {table.family for table in tables}

    def key(self, point: Point) -> Hashable:
        extended = point
        fired: list[tuple[int, ...] | _Violation] = []
        for plan in self.plans:
            found = plan.result(extended)
            if isinstance(found, _Violation):
                fired.append(found)
                break
            fired.append(found[0])
            extended = extended + found[1]
        return tuple(fired)

    def outcome(self, key: Hashable, point: Point) -> _Outcome:
        assert isinstance(key, tuple)
        for part in key:
            if isinstance(part, _Violation):
                return _violation_outcome(part)
        case = self.space.case(point, self.day)
        decision = decide_with(self.table_set, case, "native")
        self._agree(decision, key, case)
        order = {plan.table.family: (place, plan.table) for place, plan in enumerate(self.plans)}
        fired = []
        for step in decision.trace:
            if step.table not in self.families:
                continue
            place, table = order[step.table]
            for row in step.fired:
                index = table.row_index[row.id]
                key = f"{table.key}/{row.id}"
                ref = _RowRef(key, (key, _row_text(table, index)), (place, index))
                fired.append((ref, row.citations))
        questions: dict[str, None] = {}
        for step in decision.trace:
            if step.table in self.families:
                for row in step.fired:
                    questions.update(dict.fromkeys(row.open_questions))
        return _outcome(_decision_verdict(decision), fired, tuple(questions))

    def _agree(self, decision: Decision, key: tuple[Any, ...], case: object) -> None:
        """The engine's own decision must show the rows the fast evaluation found."""
        steps = {step.table: step for step in decision.trace}
        for plan, fired in zip(self.plans, key, strict=True):
            step = steps[plan.table.family]
            expected = tuple(plan.table.spec.rows[index].id for index in fired)
            if step.version != plan.table.version or tuple(r.id for r in step.fired) != expected:
                raise DiffError(f"diff: evaluation of {plan.table.key} disagrees at {case}")


def _decision_verdict(decision: Decision) -> Verdict:
    permit = decision.permit
    label: str = decision.outcome
    result: list[tuple[str, Any]] = [("outcome", decision.outcome)]
    if permit is not None:
        parts: list[str] = [permit.type]
        if permit.days is not None:
            parts.append(f"{permit.days} days")
        if permit.min_months is not None:
            parts.append(f"at least {permit.min_months} months")
        label += f" ({', '.join(parts)})"
    result.append(("permit_type", permit.type if permit else None))
    result.append(("permit_days", permit.days if permit else None))
    result.append(("permit_min_months", permit.min_months if permit else None))
    return Verdict(label, tuple(result))


class _TableSide:
    """One side of a table diff: a single table's outputs and cited rows."""

    def __init__(self, table_set: TableSet, table: Table, space: InputSpace) -> None:
        self.table_set = table_set
        self.table = table
        reachable = {table.key: reachable_domains(table_set, table)}
        self.plan = _plans([table], space, None, reachable)[0]
        self.plans = [self.plan]

    def key(self, point: Point) -> Hashable:
        return self.plan.result(point)

    def outcome(self, key: Hashable, point: Point) -> _Outcome:
        if isinstance(key, _Violation):
            return _violation_outcome(key)
        assert isinstance(key, tuple)
        fired, outputs = key
        spec = self.table.spec
        names = [output.name for output in spec.outputs]
        label = ", ".join(
            f"{name}={format_value(value)}" for name, value in zip(names, outputs, strict=True)
        )
        questions: dict[str, None] = {}
        rows = []
        for index in fired:
            row = spec.rows[index]
            questions.update(dict.fromkeys(row.open_questions))
            key = f"{self.table.key}/{row.id}"
            ref = _RowRef(key, (key, _row_text(self.table, index)), (0, index))
            rows.append((ref, row_citations(self.table_set, row)))
        verdict = Verdict(label, tuple(zip(names, outputs, strict=True)))
        return _outcome(verdict, rows, tuple(questions))


@dataclass(frozen=True)
class _Detail:
    """At one point of a decision change: what differs besides the verdict."""

    removed: tuple[Provision, ...]
    added: tuple[Provision, ...]
    rows_before: tuple[_RowRef, ...]
    rows_after: tuple[_RowRef, ...]
    questions_before: tuple[str, ...]
    questions_after: tuple[str, ...]


_CitationKey = tuple[
    Provision | None, tuple[CitationDetail, ...], tuple[CitationDetail, ...], str | None, str | None
]


@dataclass(frozen=True)
class _Changed:
    """The class of a pair of sides whose decision (or else legal basis) differs."""

    verdicts: tuple[Verdict, Verdict]
    detail: _Detail
    #: ``decision``: the outcome or permit differs; ``basis``: only the provisions cited or
    #: the open questions do.
    kind: str = "decision"


#: A fired row that is the same row on both sides but reads differently: its name before and
#: after, and what differs.
_RowKey = tuple[str, str, tuple[str, ...]]

_Class = _Changed | tuple[_CitationKey | _RowKey, ...]


def _row_differences(before: _RowRef, after: _RowRef) -> tuple[str, ...]:
    """What differs between two readings of one row, besides its citations (those are the
    citation changes): its status, its note in either language, its conditions or outputs."""
    old, new = json.loads(before.identity[1]), json.loads(after.identity[1])
    found = []
    if old["status"] != new["status"]:
        found.append(f"status: {old['status']} → {new['status']}")
    for lang in ("sv", "en"):
        if old["note"][lang] != new["note"][lang]:
            found.append(f"note ({lang})")
    for part in ("when", "then", "open_questions"):
        if old[part] != new[part]:
            found.append(part)
    return tuple(found)


def _sorted_provisions(provisions: Iterable[Provision]) -> tuple[Provision, ...]:
    return tuple(sorted(provisions, key=Provision.sort_key))


def _row_name(row: _RowRef) -> tuple[str, str]:
    family = row.key.partition("@")[0]
    return family, row.key.rpartition("/")[2]


def _classify(old: _Outcome, new: _Outcome) -> _Class:
    """A decision change, a change of legal basis (verdicts and details), or the changes of
    text or status: citations and rows (maybe none)."""
    decision_differs = old.verdict.result != new.verdict.result
    if decision_differs or old.provisions != new.provisions or old.questions != new.questions:
        kept = {row.identity for row in old.rows} & {row.identity for row in new.rows}
        return _Changed(
            (old.verdict, new.verdict),
            _Detail(
                _sorted_provisions(old.provisions - new.provisions),
                _sorted_provisions(new.provisions - old.provisions),
                tuple(row for row in old.rows if row.identity not in kept),
                tuple(row for row in new.rows if row.identity not in kept),
                old.questions,
                new.questions,
            ),
            "decision" if decision_differs else "basis",
        )
    rewritten: list[_RowKey] = []
    new_by_name = {_row_name(row): row for row in new.rows}
    for row in old.rows:
        twin = new_by_name.get(_row_name(row))
        if twin is not None and twin.identity != row.identity:
            what = _row_differences(row, twin)
            if what:
                rewritten.append((row.key, twin.key, what))
    old_cited = {(use.provision, use.detail) for use in old.uses}
    new_cited = {(use.provision, use.detail) for use in new.uses}
    if old_cited == new_cited:
        return tuple(rewritten)
    gone, came = old_cited - new_cited, new_cited - old_cited
    by_row: dict[tuple[str, str], list[set[tuple[Provision | None, CitationDetail]] | str | None]]
    by_row = {}
    for side, outcome in ((0, old), (1, new)):
        for use in outcome.uses:
            entry = by_row.setdefault(_row_name(use.row), [set(), set(), None, None])
            cited = entry[side]
            assert isinstance(cited, set)
            cited.add((use.provision, use.detail))
            entry[2 + side] = use.row.key
    changes: list[_CitationKey] = []
    for name in sorted(by_row):
        before, after, key_before, key_after = by_row[name]
        assert isinstance(before, set) and isinstance(after, set)
        removed, added = (before - after) & gone, (after - before) & came
        subjects = {p for p, _ in removed} | {p for p, _ in added}
        for subject in sorted(subjects, key=lambda p: p.sort_key() if p else ("",)):
            changes.append(
                (
                    subject,
                    tuple(sorted(d for p, d in removed if p == subject)),
                    tuple(sorted(d for p, d in added if p == subject)),
                    key_before if isinstance(key_before, str) else None,
                    key_after if isinstance(key_after, str) else None,
                )
            )
    return (*changes, *rewritten)


def _scoped(
    items: dict[Any, list[int]], parts: list[list[Box]], columns: Sequence[Column]
) -> list[Scoped[Any]]:
    """Each item with where it holds inside the change (nothing: throughout).

    ``items`` maps an item to the parts (indices into ``parts``, each a disjoint cover of the
    points with one detail) where it holds.
    """
    scoped: list[Scoped[Any]] = []
    for item, where in items.items():
        if len(where) == len(parts):
            scoped.append(Scoped(item))
            continue
        chosen = merge_boxes(columns, [box for index in where for box in parts[index]])
        inside = set(where)
        excluded = [box for i, part in enumerate(parts) if i not in inside for box in part]
        boxes = widen(columns, chosen, excluded)
        scoped.append(Scoped(item, tuple(box_region(columns, box) for box in boxes)))
    return scoped


def _by_rank(rows: list[Scoped[_RowRef]]) -> list[Scoped[str]]:
    ordered = sorted(rows, key=lambda scoped: scoped.item.rank)
    return [Scoped(scoped.item.key, scoped.where) for scoped in ordered]


def _add_text_changes(
    comparison: Comparison,
    rewritten: dict[_RowKey, list[Box]],
    cited: dict[_CitationKey, list[Box]],
) -> None:
    """The changes of text or status: rows read differently, citations changed."""
    columns = comparison.columns
    for (old_row, new_row, what), points in rewritten.items():
        comparison.row_changes.append(
            RowChange(
                old_row,
                new_row,
                what,
                [box_region(columns, box) for box in merge_boxes(columns, points)],
            )
        )
    for (subject, before_details, after_details, row_before, row_after), points in cited.items():
        comparison.citation_changes.append(
            CitationChange(
                subject,
                before_details,
                after_details,
                row_before,
                row_after,
                [box_region(columns, box) for box in merge_boxes(columns, points)],
            )
        )


def _classes(
    space: InputSpace, old: _Evaluator, new: _Evaluator
) -> tuple[list[_Class], list[list[Box]], int]:
    """What changes between the sides, each kind with the boxes where it holds, and how many
    points the space has. The space is split into regions on which both sides decide alike
    (:func:`._split.region_boxes`), each decided once at its first point; up to
    :data:`~.regions.POINTWISE_LIMIT` points the boxes are cut into points (the regions printed are
    then made from the points, as a point-by-point diff made them)."""
    classes: dict[tuple[Hashable, Hashable], int] = {}
    found: list[_Class] = []
    boxes: list[list[Box]] = []
    total = 0
    for point, box in region_boxes(space, [old.plans, new.plans]):
        total += box_points(box)
        pair = (old.key(point), new.key(point))
        index = classes.get(pair)
        if index is None:
            index = classes[pair] = len(found)
            found.append(_classify(old.outcome(pair[0], point), new.outcome(pair[1], point)))
            boxes.append([])
        boxes[index].append(box)
    if total <= POINTWISE_LIMIT:
        boxes = [unit_boxes(part) for part in boxes]
    return found, boxes, total


def compare(
    title: str,
    space: InputSpace,
    old: _Evaluator,
    new: _Evaluator,
    tables: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]],
) -> Comparison:
    """Evaluate both sides on every point of ``space`` and group what changes."""
    found, boxes, total = _classes(space, old, new)
    columns = space.columns
    decided: dict[tuple[str, Verdict, Verdict], dict[_Detail, list[Box]]] = {}
    cited: dict[_CitationKey, list[Box]] = {}
    rewritten: dict[_RowKey, list[Box]] = {}
    cited_points = 0
    for kind, points in zip(found, boxes, strict=True):
        if isinstance(kind, _Changed):
            bucket = decided.setdefault((kind.kind, *kind.verdicts), {})
            bucket.setdefault(kind.detail, []).extend(points)
        elif kind:
            cited_points += sum(map(box_points, points))
            for key in kind:
                if len(key) == 3:
                    rewritten.setdefault(key, []).extend(points)
                else:
                    cited.setdefault(key, []).extend(points)
    comparison = Comparison(
        title, *tables, columns=columns, points=total, cited_points=cited_points
    )
    for (change_kind, before, after), details in decided.items():
        parts = [merge_boxes(columns, points) for points in details.values()]
        groups: list[dict[Any, list[int]]] = [{} for _ in range(6)]
        for index, detail in enumerate(details):
            fields = (
                detail.removed,
                detail.added,
                detail.rows_before,
                detail.rows_after,
                detail.questions_before,
                detail.questions_after,
            )
            for group, items in zip(groups, fields, strict=True):
                for item in items:
                    group.setdefault(item, []).append(index)
        scoped = [_scoped(group, parts, columns) for group in groups]
        everywhere = merge_boxes(columns, [box for part in parts for box in part])
        changes = (
            comparison.decision_changes if change_kind == "decision" else comparison.basis_changes
        )
        changes.append(
            DecisionChange(
                before,
                after,
                [box_region(columns, box) for box in everywhere],
                provisions_removed=sorted(scoped[0], key=lambda s: s.item.sort_key()),
                provisions_added=sorted(scoped[1], key=lambda s: s.item.sort_key()),
                rows_before=_by_rank(scoped[2]),
                rows_after=_by_rank(scoped[3]),
                questions_before=scoped[4],
                questions_after=scoped[5],
            )
        )
    comparison.decision_changes.sort(key=lambda change: (legal_weight(change), -change.points))
    comparison.basis_changes.sort(key=lambda change: -change.points)
    _add_text_changes(comparison, rewritten, cited)
    return comparison


def legal_weight(change: DecisionChange) -> int:
    """How much a decision change weighs, the heaviest 0: whether a permit is given changes
    (0: a permit on one side only, read from the verdicts' permit, not from outcome names),
    another outcome change (1), the permit or its length only (2); changes of a single
    table's outputs, which say no outcome, come last (3).

    >>> grant = Verdict("grant", (("outcome", "grant"), ("permit_type", "reflection_period")))
    >>> refuse = Verdict("refuse", (("outcome", "refuse"), ("permit_type", None)))
    >>> legal_weight(DecisionChange(refuse, grant)), legal_weight(DecisionChange(grant, grant))
    (0, 2)
    """
    before, after = dict(change.before.result), dict(change.after.result)
    if "outcome" not in before or "outcome" not in after:
        return 3
    if (before.get("permit_type") is None) != (after.get("permit_type") is None):
        return 0
    return 1 if before["outcome"] != after["outcome"] else 2


def _same(a: Table | None, b: Table | None) -> bool:
    if a is None or b is None:
        return a is b
    return a is b or (a.key == b.key and a.sha256 == b.sha256)


def _chain_comparison(
    title: str,
    old_set: TableSet,
    old_day: dt.date,
    new_set: TableSet,
    new_day: dt.date,
    matter: str = "application",
) -> Comparison | None:
    """The chains of ``matter`` in force on the two dates compared; None if every table is
    the same (or a side decides no such matter)."""
    if matter not in (old_set.outcome_families.keys() | {"application"}) or matter not in (
        new_set.outcome_families.keys() | {"application"}
    ):
        return None
    old_chain = old_set.chain_on(old_day, matter)
    new_chain = new_set.chain_on(new_day, matter)
    old_by = {table.family: table for table in old_chain}
    new_by = {table.family: table for table in new_chain}
    families = [*old_set.order, *(f for f in new_set.order if f not in old_by)]
    changed = {f for f in families if not _same(old_by.get(f), new_by.get(f))}
    if not changed:
        return None
    needed = changed | {old_set.outcome_family_of(matter), new_set.outcome_family_of(matter)}
    growing = True
    while growing:
        before = len(needed)
        for family in list(needed):
            for table in (old_by.get(family), new_by.get(family)):
                if table is not None:
                    needed |= table.upstream_families
        growing = len(needed) > before
    old_tables = [table for table in old_chain if table.family in needed]
    new_tables = [table for table in new_chain if table.family in needed]
    both = [*old_tables, *new_tables]
    space = InputSpace.of_case_paths(case_paths(both), DateClasses.of(both), matter=matter)
    keys = (
        tuple(t.key for t in old_tables),
        tuple(t.key for t in new_tables),
        tuple(t.key for t in old_chain if t.family not in needed),
    )
    return compare(
        title,
        space,
        _ChainSide(old_set, old_day, old_tables, space),
        _ChainSide(new_set, new_day, new_tables, space),
        keys,
    )


def diff_dates(table_set: TableSet, old_date: dt.date, new_date: dt.date) -> DiffReport:
    """The decisions of the chain in force on ``old_date`` against that on ``new_date``.

    >>> from betanketid_rules._tables import default_table_set
    >>> report = diff_dates(default_table_set(), dt.date(2016, 1, 1), dt.date(2020, 1, 1))
    >>> report.changed, report.comparisons
    (False, [])
    """
    started = time.perf_counter()
    report = DiffReport("dates", old_date.isoformat(), new_date.isoformat())
    report.vocabulary = table_set.vocabulary
    for matter in _matters(table_set, table_set):
        comparison = _chain_comparison(
            f"{old_date} → {new_date}{_of_matter(matter)}",
            table_set,
            old_date,
            table_set,
            new_date,
            matter,
        )
        if comparison is not None:
            report.comparisons.append(comparison)
    report.seconds = time.perf_counter() - started
    return report


def _matters(old: TableSet, new: TableSet) -> list[str]:
    """The matters either set decides, applications first."""
    others = sorted((old.outcome_families.keys() | new.outcome_families.keys()) - {"application"})
    return ["application", *others]


def _of_matter(matter: str) -> str:
    """A comparison title's note of its matter (none for applications, as before)."""
    return "" if matter == "application" else f" ({matter})"


def diff_table_sets(old: TableSet, new: TableSet) -> DiffReport:
    """Two table directories compared period by period (every date either side changes).

    >>> from betanketid_rules._tables import default_table_set
    >>> diff_table_sets(default_table_set(), default_table_set()).changed
    False
    """
    started = time.perf_counter()
    report = DiffReport("directories", str(old.directory), str(new.directory))
    report.vocabulary = new.vocabulary
    old_tables = {table.key: table for table in old}
    new_tables = {table.key: table for table in new}
    for key in sorted(old_tables.keys() | new_tables.keys()):
        if key not in new_tables:
            report.files.append(f"removed {key}")
        elif key not in old_tables:
            report.files.append(f"added {key}")
        elif old_tables[key].sha256 != new_tables[key].sha256:
            report.files.append(f"changed {key}")
    for matter in _matters(old, new):
        days = set(old.change_dates(matter)) | set(new.change_dates(matter))
        for day, end in spans(sorted(days)):
            title = (f"{day} to {end}" if end else f"from {day}") + _of_matter(matter)
            comparison = _chain_comparison(title, old, day, new, day, matter)
            if comparison is not None:
                report.comparisons.append(comparison)
    report.seconds = time.perf_counter() - started
    return report


def table_space(table_set: TableSet, old: Table, new: Table) -> InputSpace:
    """The input space of a diff of two tables: the case fields either reads, then each
    column fed by another table with the values it can give either, then the date classes."""
    both = [old, new]
    upstream: dict[UpstreamOutput, tuple[str, list[CellScalar]]] = {}
    for table in (new, old):
        domains = reachable_domains(table_set, table)
        for column, domain in zip(table.columns, domains, strict=True):
            if not isinstance(column.source, UpstreamOutput):
                continue
            _, values = upstream.setdefault(column.source, (column.name, []))
            values.extend(value for value in domain if value not in values)
    return InputSpace.of_case_paths(
        case_paths(both),
        DateClasses.of(both),
        [(source, name, tuple(values)) for source, (name, values) in upstream.items()],
        matter=table_set.matter_of(new.family),
    )


def diff_table_versions(table_set: TableSet, old_key: str, new_key: str) -> DiffReport:
    """Two tables compared on their own: outputs and cited provisions of the rows that fire.

    The input columns are those of both tables (by source); a column fed by another table
    takes the values that table can give either version, and a point only the other version
    can receive shows as *not reachable* on this side.

    >>> from betanketid_rules._tables import default_table_set
    >>> report = diff_table_versions(
    ...     default_table_set(), "utl-5-15-standing@2015-01-01", "utl-5-15-standing@2022-08-01"
    ... )
    >>> change = report.comparisons[0].decision_changes[0]
    >>> change.before.label, change.after.label
    ('route=none', 'route=board_reflection')
    >>> print(change.regions[0])
    applicant=social_welfare_board, permit=reflection_period,
    presumed_offence∈{trafficking, exploitation}, lodged_before_in_force=false, rest=any

    Raises :class:`~betanketid_rules.InvalidArgumentError` for tables of two families.
    """
    started = time.perf_counter()
    old, new = table_set.resolve(old_key), table_set.resolve(new_key)
    if old.family != new.family:
        raise InvalidArgumentError(
            f"{old_key} and {new_key} are tables of different families: a table is compared "
            "with a version of its own family",
            "diff_two_families",
            {"old": old_key, "new": new_key},
        )
    report = DiffReport("tables", old.key, new.key)
    report.vocabulary = table_set.vocabulary
    space = table_space(table_set, old, new)
    report.comparisons.append(
        compare(
            f"{old.key} → {new.key}",
            space,
            _TableSide(table_set, old, space),
            _TableSide(table_set, new, space),
            ((old.key,), (new.key,), ()),
        )
    )
    report.seconds = time.perf_counter() - started
    return report


def chain_regions(tables: Sequence[Table], day: dt.date) -> tuple[InputSpace, list[Box]]:
    """The input space of the chain ``tables`` decided on ``day`` (the case fields they read and
    the classes of their derived value) and disjoint boxes holding each of its valid points
    once, on each of which every table of the chain fires the same rows.

    >>> from betanketid_rules._tables import default_table_set
    >>> day = dt.date(2006, 3, 31)
    >>> space, boxes = chain_regions(default_table_set().chain_on(day), day)
    >>> sum(box_points(box) for box in boxes) == space.size
    True
    """
    space = InputSpace.of_case_paths(case_paths(tables), DateClasses.of(tables))
    plans = _plans(tables, space, day)
    return space, [box for _, box in region_boxes(space, [plans])]
