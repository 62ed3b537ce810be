"""Evaluate the chain of tables in force on a decision date and assemble the Decision.

Engines only say which rows of one table match one input (:class:`Engine`); everything else —
reading inputs, hit policies, chaining, the trace, the explanation — is shared, so two engines
can differ only in matching.
"""

from __future__ import annotations

import functools
import itertools
import operator
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .._contract import (
    Case,
    Citation,
    ConditionCheck,
    Decision,
    DecisionEffect,
    Explanation,
    Permit,
    TraceCondition,
    TraceRow,
    TraceStep,
    UnmetCondition,
)
from .._tables import Table, TableSet
from .._tables._columns import CASE_DOMAINS, CaseField, DerivedValue
from .._tables._evaluate import HitResult, cell_matches
from .._tables._format import Row, Source, TableCitation
from .._trusted import trusted
from .._types import CellScalar, EngineName, Values

Hit = Callable[[Table, Values], HitResult]
"""An engine's one job: the hit result of a table at a point."""


class Engine(Protocol):
    """What an engine must do: the hit result of one table for one input."""

    name: EngineName

    def hit(self, table: Table, values: Values) -> HitResult:
        """Match ``values`` against ``table``'s rows and apply its hit policy."""
        ...


@dataclass(frozen=True)
class TableAid:
    """Per-table caches of what a Decision is assembled from: trace steps and citations."""

    steps: dict[tuple[Values, tuple[int, ...]], TraceStep]
    #: Each row's resolved citations, shared by every trace step that fires the row.
    citations: dict[int, tuple[Citation, ...]]


_AIDS: weakref.WeakKeyDictionary[Table, TableAid] = weakref.WeakKeyDictionary()


def table_aid(table: Table) -> TableAid:
    """The assembly caches of ``table``."""
    aid = _AIDS.get(table)
    if aid is None:
        aid = _AIDS[table] = TableAid(steps={}, citations={})
    return aid


def _wording(entry: Source) -> str:
    if entry.sfs:
        return f"SFS {entry.sfs}"
    return entry.short.sv if entry.short else entry.title


def citation(table_set: TableSet, cited: TableCitation) -> Citation:
    """A table citation resolved against the source registry, as the contract shows it."""
    sources = table_set.sources
    act = sources[cited.act]
    wording = sources[cited.wording]
    return Citation(
        act=act.sfs or act.title,
        chapter=cited.chapter,
        section=cited.section,
        paragraph=cited.paragraph,
        point=cited.point,
        sentence=cited.sentence,
        wording=_wording(wording),
        status=cited.status,
        source=cited.source,
        url=sources[cited.source].url,
        title=act.title,
        role=cited.role,
    )


def row_citations(table_set: TableSet, row: Row) -> tuple[Citation, ...]:
    """Every citation of ``row``, with its preparatory works as citations of their own."""
    result: list[Citation] = []
    for cited in row.citations:
        result.append(citation(table_set, cited))
        for work in cited.preparatory_works:
            entry = table_set.sources[work.source]
            result.append(
                Citation(
                    act=None,
                    chapter=None,
                    section=None,
                    paragraph=None,
                    point=None,
                    wording=entry.title,
                    status=work.status,
                    source=work.source,
                    url=entry.url,
                    title=entry.title,
                    pages=work.pages,
                    role="context",
                )
            )
    return tuple(result)


def _shared_citations(table_set: TableSet, table: Table, index: int) -> tuple[Citation, ...]:
    cache = table_aid(table).citations
    found = cache.get(index)
    if found is None:
        found = cache[index] = row_citations(table_set, table.spec.rows[index])
    return found


def _trace_row(table_set: TableSet, table: Table, index: int, values: Values) -> TraceRow:
    row = table.spec.rows[index]
    conditions = tuple(
        TraceCondition(
            column=column,
            required=required,
            value=values[table.column_names.index(column)],
        )
        for column, required in row.conditions.items()
    )
    return TraceRow(
        id=row.id,
        status=row.status,
        conditions=conditions,
        outputs=dict(row.then),
        citations=_shared_citations(table_set, table, index),
        open_questions=row.open_questions,
        note_sv=row.note.sv,
        note_en=row.note.en,
    )


def _trace_step(table_set: TableSet, table: Table, values: Values, hit: HitResult) -> TraceStep:
    """The trace of one table for one input (:func:`run_chain` caches it per table)."""
    rows = table.spec.rows
    met: tuple[ConditionCheck, ...] = ()
    unmet: tuple[ConditionCheck, ...] = ()
    if table.scope:
        fired = set(hit.fired)

        def check(index: int) -> ConditionCheck:
            row = rows[index]
            return ConditionCheck(id=row.id, citation=citation(table_set, row.citations[0]))

        unmet = tuple(check(i) for i in hit.fired)
        met = tuple(
            check(i)
            for i, cells in enumerate(table.cells)
            if i not in fired and all(cell_matches(cells[c], values[c]) for c in table.scope)
        )
    return TraceStep(
        table=table.family,
        version=table.version,
        sha256=table.sha256,
        hit_policy=table.spec.hit_policy
        + (f" {table.spec.aggregation}" if table.spec.aggregation else ""),
        inputs=dict(zip(table.column_names, values, strict=True)),
        fired=tuple(_trace_row(table_set, table, i, values) for i in hit.fired),
        outputs=dict(hit.outputs),
        conditions_met=met,
        conditions_unmet=unmet,
    )


_LABELS = {
    "sv": ("Villkor som inte är uppfyllda eller är öppna:", "Öppna rättsfrågor:"),
    "en": ("Conditions not met or open:", "Open legal questions:"),
}


def _explanation(
    steps: list[TraceStep], outcome_family: str, questions: tuple[str, ...]
) -> Explanation:
    texts: dict[str, str] = {}
    for lang, (conditions_label, questions_label) in _LABELS.items():

        def note(row: TraceRow, lang: str = lang) -> str:
            return row.note_sv if lang == "sv" else row.note_en

        head = [note(row) for step in steps if step.table == outcome_family for row in step.fired]
        rest: list[str] = []
        for step in steps:
            if step.table == outcome_family or not step.fired:
                continue
            if step.conditions_unmet:
                rest.append(" ".join([conditions_label, *(note(row) for row in step.fired)]))
            else:
                rest.extend(note(row) for row in step.fired)
        tail = [f"{questions_label} {', '.join(questions)}."] if questions else []
        texts[lang] = " ".join([*head, *rest, *tail])
    return Explanation(sv=texts["sv"], en=texts["en"])


def _unique(items: list[Citation]) -> tuple[Citation, ...]:
    seen: dict[Citation, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return tuple(seen)


def result_of(
    table_set: TableSet, steps: list[TraceStep], outcome_family: str | None = None
) -> tuple[str, Permit | None]:
    """The outcome and the permit (for a grant) that the outcome table of ``steps`` gave
    (``outcome_family``: the application's unless named)."""
    family = outcome_family or table_set.outcome_family
    out = next(step for step in steps if step.table == family).outputs
    outcome = out["outcome"]
    assert isinstance(outcome, str)
    if outcome not in ("grant", "may_grant") or out.get("permit_type") is None:
        return outcome, None
    permit = Permit.model_validate(
        {
            "type": out["permit_type"],
            "days": out.get("permit_days"),
            "min_months": out.get("permit_min_months"),
        }
    )
    return outcome, permit


#: The verdict of a chain (every Decision field but the trace and the engine) by the rows that
#: fired in each table: a function of those rows alone, so it is built once per combination.
#: Bounded by the number of combinations of fired rows the chains can produce (finite: at most
#: the product of each table's distinct hit results, a few hundred for the shipped tables).
_VERDICTS: weakref.WeakKeyDictionary[TableSet, dict[Any, dict[str, Any]]] = (
    weakref.WeakKeyDictionary()
)


def _effects(steps: Sequence[TraceStep]) -> tuple[DecisionEffect, ...]:
    """Each row fired by a table read after the outcome, as what the decision brings."""
    return tuple(
        DecisionEffect(
            effect=str(value),
            table=step.table,
            rule=row.id,
            status=row.status,
            citations=row.citations,
            open_questions=row.open_questions,
            text_sv=row.note_sv,
            text_en=row.note_en,
        )
        for step in steps
        for row in step.fired
        for value in row.outputs.values()
    )


def _verdict(
    table_set: TableSet, chain: tuple[Table, ...], all_steps: Sequence[TraceStep]
) -> dict[str, Any]:
    # Tables read after the outcome (what a decision brings, how it is challenged) never
    # change it: their rows are the decision's effects, not its basis or explanation.
    outcome_family = table_set.outcome_family_of(table_set.matter_of(chain[0].family))
    after = {t.family for t in chain if outcome_family in t.upstream_families}
    steps = [step for step in all_steps if step.table not in after]
    outcome, permit = result_of(table_set, steps, outcome_family)
    questions: dict[str, None] = {}
    for step in steps:
        for row in step.fired:
            for question in row.open_questions:
                questions.setdefault(question, None)
    open_questions = tuple(questions)
    unmet = tuple(
        UnmetCondition(
            id=row.id,
            text_sv=row.note_sv,
            text_en=row.note_en,
            citation=row.citations[0],
            open_questions=row.open_questions,
        )
        for step in steps
        if step.conditions_unmet
        for row in step.fired
    )
    verdict: dict[str, Any] = {
        "outcome": outcome,
        "permit": permit,
        "legal_basis": _unique([c for step in steps for row in step.fired for c in row.citations]),
        "unmet_conditions": unmet,
        "rules_fired": tuple(f"{step.table}/{row.id}" for step in steps for row in step.fired),
        "tables": tuple(table.ref for table in chain),
        "trace": (),  # each Decision's own
        "open_questions": open_questions,
        "explanation": _explanation(list(steps), outcome_family, open_questions),
        "engine": "native",  # each Decision's own
        "effects": _effects([step for step in all_steps if step.table in after]),
    }
    assert list(verdict) == list(Decision.model_fields)  # the Decision's field order
    return verdict


def verdicts_of(table_set: TableSet) -> dict[Any, dict[str, Any]]:
    """The verdicts already built for ``table_set`` (see :func:`assemble`)."""
    verdicts = _VERDICTS.get(table_set)
    if verdicts is None:
        verdicts = _VERDICTS.setdefault(table_set, {})
    return verdicts


def assemble(
    table_set: TableSet,
    chain: tuple[Table, ...],
    steps: Sequence[TraceStep],
    engine: EngineName,
    fired: tuple[tuple[int, ...], ...] | None = None,
    verdicts: dict[Any, dict[str, Any]] | None = None,
) -> Decision:
    """Build the Decision from the trace steps of one chain.

    ``fired`` (each table's matched row indices, as :func:`run_chain` reports them) names the
    verdict without reading the steps; without it the fired row ids do. ``verdicts`` is
    :func:`verdicts_of` the table set, when the caller keeps it at hand.
    """
    if verdicts is None:
        verdicts = verdicts_of(table_set)
    if fired is None:
        fired_key: Any = tuple(tuple(row.id for row in step.fired) for step in steps)
    else:
        fired_key = fired
    key = (chain, fired_key)
    verdict = verdicts.get(key)
    if verdict is None:
        verdict = verdicts[key] = _verdict(table_set, chain, steps)
    return _put_together(verdict, tuple(steps), engine)


_DECISION_FIELDS = frozenset(Decision.model_fields)


def _put_together(
    verdict: dict[str, Any], trace: tuple[TraceStep, ...], engine: EngineName
) -> Decision:
    """A Decision from parts that are already validated (rows, citations, steps, verdict)."""
    values = verdict.copy()  # in field order, "trace" and "engine" in their places
    values["trace"] = trace
    values["engine"] = engine
    return trusted(Decision, values, _DECISION_FIELDS)


class Passed:
    """What the tables run so far passed on (their outputs by ``family.output``), one object
    per way of getting there: a table's point is its case inputs in such a context.

    A context and the outputs a table passes determine the next (``after``), kept with it.
    """

    __slots__ = ("_after", "upstream")

    def __init__(self, upstream: dict[str, object]) -> None:
        self.upstream = upstream
        self._after: dict[tuple[tuple[str, Any], ...], Passed] = {}

    def after(self, passed: tuple[tuple[str, Any], ...]) -> Passed:
        """The context once a table has passed on ``passed``."""
        if not passed:
            return self
        found = self._after.get(passed)
        if found is None:
            found = self._after[passed] = Passed({**self.upstream, **dict(passed)})
        return found


#: What a table gave at one point, as the chain loop uses it: the rows matched, the context
#: after it and the trace step.
Known = tuple[tuple[int, ...], Passed, TraceStep]
StepMemo = dict[Any, Known]
"""A table's points already run (by context, and the case inputs when it reads any), for an
engine whose hit is a function of the point alone."""


def run_chain(
    table_set: TableSet,
    chain: tuple[Table, ...],
    case: Case,
    hit: Hit,
    aids: tuple[TableAid, ...] | None = None,
    fired: list[tuple[int, ...]] | None = None,
    memos: tuple[StepMemo, ...] | None = None,
    start: Passed | None = None,
) -> list[TraceStep]:
    """Evaluate ``chain`` (the tables in force on the case's decision date) in order: the one
    chain loop every engine runs.

    ``aids`` are the chain's :func:`table_aid` caches, when the caller keeps them at hand;
    ``fired``, when given, receives each table's matched row indices (for :func:`assemble`).
    ``memos`` (one per table) with ``start`` (the empty context they were filled from) keep
    what each point gave across calls, for an engine whose hit depends on the point alone
    (the native engine): a table read again in a context with the same case inputs is one
    lookup. Without them nothing is kept and every point asks ``hit``.
    """
    context = start if memos is not None and start is not None else Passed({})
    steps: list[TraceStep] = []
    matches = fired if fired is not None else []
    for table, aid, memo in zip(
        chain,
        aids or map(table_aid, chain),
        memos if start is not None and memos is not None else tuple({} for _ in chain),
        strict=True,
    ):
        read_case = table.read_case_inputs
        key = context if read_case is None else (context, read_case(case))
        known = memo.get(key)
        if known is None:
            values = table.read_inputs(case, context.upstream)
            result = hit(table, values)
            step_key = (values, result.matched)
            step = aid.steps.get(step_key)
            if step is None:
                step = aid.steps[step_key] = _trace_step(table_set, table, values, result)
            known = memo[key] = (result.matched, context.after(result.passed), step)
        matched, context, step = known
        matches.append(matched)
        steps.append(step)
    return steps


@dataclass(frozen=True, eq=False)
class SpaceNode:
    """The chain from one table on, in one context (the outputs passed down to it and the values
    of the fields the tables after it still read).

    ``branches`` holds, for each combination of the fields this table is the first to read (in
    the order of ``itertools.product`` over their domains), the table's trace step there and
    the node of the next table (``None`` after the last table). Nodes in the same context are
    one object, so the chain over a product space is a diagram, not a list of points.
    """

    level: int
    branches: tuple[tuple[TraceStep, SpaceNode | None], ...]
    #: What analyses of the diagram found about this node, kept with it (by the analysis).
    found: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class ChainDiagram:
    """:func:`chain_diagram`'s answer: the root node and, per table, the fields it first reads.

    A point's index in the product space is mixed-radix over the fields in the order
    ``new_at`` gives them (the first table's fields most significant).
    """

    root: SpaceNode | None
    new_at: tuple[tuple[int, ...], ...]


@functools.lru_cache(maxsize=256)
def _layout(
    chain: tuple[Table, ...], paths: tuple[str, ...]
) -> tuple[tuple[tuple[int, ...], ...], tuple[frozenset[int], ...]]:
    """For :func:`chain_diagram`: per table, the fields (positions in ``paths``) it is the
    first to read, and the fields it or a table after it reads (one more, empty, at the end)."""
    index = {path: i for i, path in enumerate(paths)}
    reads = [
        {
            index[c.source.path]
            for c in table.columns
            if isinstance(c.source, CaseField) and c.source.path in index
        }
        for table in chain
    ]
    first: dict[int, int] = {}
    for level, read in enumerate(reads):
        for i in sorted(read):
            first.setdefault(i, level)
    new_at = tuple(
        tuple(i for i in sorted(first) if first[i] == level) for level in range(len(chain))
    )
    later = tuple(frozenset().union(*reads[level:]) for level in range(len(chain) + 1))
    return new_at, later


@functools.lru_cache(maxsize=256)
def _tail_reads(chain: tuple[Table, ...]) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """Per table of ``chain``: the case fields it or a table after it reads (in the contract's
    order), and whether one of them reads a value derived from the case's dates."""
    found = []
    for level in range(len(chain)):
        sources = [column.source for table in chain[level:] for column in table.columns]
        read = {source.path for source in sources if isinstance(source, CaseField)}
        derived = any(isinstance(source, DerivedValue) for source in sources)
        found.append((tuple(path for path in CASE_DOMAINS if path in read), derived))
    return tuple(found)


@functools.lru_cache(maxsize=256)
def _aids(chain: tuple[Table, ...]) -> tuple[TableAid, ...]:
    """The chain's :func:`table_aid` caches, in chain order."""
    return tuple(map(table_aid, chain))


@functools.lru_cache(maxsize=1024)
def _context_plan(
    chain: tuple[Table, ...], fields: tuple[tuple[str, tuple[CellScalar, ...]], ...]
) -> tuple[tuple[tuple[Table, ...], tuple[tuple[str, Any, Any], ...], bool], ...]:
    """For :func:`chain_diagram`, per table: the tables from it on, what its node's context
    reads from the case (a known field: its getter; an unknown field those tables are the
    first to read: a marker with its domain), and whether a value derived from the dates is
    read. An unknown field read before and again later travels in the node's carried values.
    """
    paths = tuple(path for path, _ in fields)
    new_at, _ = _layout(chain, paths)
    first = {paths[i]: level for level, new in enumerate(new_at) for i in new}
    domains = dict(fields)
    plan = []
    for level, (read, derived) in enumerate(_tail_reads(chain)):
        context = tuple(
            (path, operator.attrgetter(path), None)
            if path not in first
            else (path, None, (_UNKNOWN, domains[path]))
            for path in read
            if path not in first or first[path] >= level
        )
        plan.append((chain[level:], context, derived))
    return tuple(plan)


#: Nodes of chain diagrams by everything that decides them, shared by every walk: a node is
#: the tables from one on, evaluated over the product of the unknown fields they read, in one
#: context, a pure function of that context (as a table's hit result is of its inputs). The
#: root, whose context is the whole partial case, is not kept. Bounded: beyond
#: :data:`DIAGRAM_NODES` the oldest are dropped.
_NODES: OrderedDict[Any, SpaceNode] = OrderedDict()
_NODES_LOCK = threading.Lock()
DIAGRAM_NODES = 50_000
_UNKNOWN = object()


def _keep_node(key: Any, node: SpaceNode) -> None:
    with _NODES_LOCK:
        _NODES[key] = node
        while len(_NODES) > DIAGRAM_NODES:
            _NODES.popitem(last=False)


def chain_diagram(
    table_set: TableSet,
    chain: tuple[Table, ...],
    case: Any,
    fields: Sequence[tuple[str, tuple[CellScalar, ...]]],
    hit: Hit,
) -> ChainDiagram:
    """The trace steps of ``chain`` over the product of ``fields``' domains, as a diagram.

    ``case`` is an object the tables read the known fields from (attributes by path; it is
    set in place as the walk goes), ``fields`` the unknown fields (path, domain), each read by
    some table of ``chain``. The chain is walked table by table: a table is evaluated once for
    each combination of the fields it is the first to read and of the context it shares with
    the tables before it, and every point that gives a table the same context shares its node
    (also across walks: nodes are kept by their context, bounded).
    This is the chain loop of :func:`run_chain` over a product space instead of one case.
    """
    aids = _aids(chain)
    paths = tuple(path for path, _ in fields)
    new_at, later = _layout(chain, paths)
    plan = _context_plan(chain, tuple(fields))
    statics: list[Any] = [None] * len(chain)  # each table's part of its nodes' keys, when needed

    def static(level: int) -> Any:
        found = statics[level]
        if found is None:
            tail, read, derived = plan[level]
            known = tuple(
                (path, get(case)) if get else (path, marker) for path, get, marker in read
            )
            dates = (case.decision_date, case.application_date) if derived else None
            found = statics[level] = (tail, hit, known, dates)
        return found

    # Where each field is set: the object holding it and the attribute's name.
    targets = []
    for path in paths:
        head, _, tail = path.partition(".")
        targets.append((getattr(case, head) if tail else case, tail or head))

    def walk(
        level: int, upstream: dict[str, object], fixed: tuple[tuple[int, CellScalar], ...]
    ) -> SpaceNode | None:
        if level == len(chain):
            return None
        key: Any = None
        if level:  # the root (the whole case) is walked every time, and needs no key
            key = (static(level), tuple(upstream.items()), tuple((paths[i], v) for i, v in fixed))
            shared = _NODES.get(key)  # one lookup: another thread may drop the key meanwhile
            if shared is not None:
                return shared
        for i, value in fixed:
            setattr(*targets[i], value)
        table, steps, branches = chain[level], aids[level].steps, []
        new = new_at[level]
        put = [targets[i] for i in new]
        carried = [n for n, i in enumerate(new) if i in later[level + 1]]
        kept_before = tuple(item for item in fixed if item[0] in later[level + 1])
        children: dict[Any, SpaceNode | None] = {}  # by outputs passed and values carried on
        for combo in itertools.product(*(fields[i][1] for i in new)):
            for (holder, name), value in zip(put, combo, strict=True):
                setattr(holder, name, value)
            values = table.read_inputs(case, upstream)
            result = hit(table, values)
            step = steps.get((values, result.matched))
            if step is None:
                step = steps[values, result.matched] = _trace_step(table_set, table, values, result)
            kept = tuple((new[n], combo[n]) for n in carried)
            child_key = (result.passed, kept)
            if child_key in children:
                child = children[child_key]
            else:
                passed = dict(upstream)
                passed.update(result.passed)
                child = children[child_key] = walk(level + 1, passed, kept_before + kept)
                for i, value in fixed:  # the walk below set fields of its own: set ours back
                    setattr(*targets[i], value)
            branches.append((step, child))
        node = SpaceNode(level, tuple(branches))
        if level:
            _keep_node(key, node)
        return node

    return ChainDiagram(walk(0, {}, ()), new_at)


def run_chain_space(
    table_set: TableSet,
    chain: tuple[Table, ...],
    case: Any,
    fields: Sequence[tuple[str, tuple[CellScalar, ...]]],
    hit: Hit,
) -> dict[tuple[CellScalar, ...], tuple[TraceStep, ...]]:
    """The trace steps of ``chain`` at every point of the product of ``fields``' domains (a
    point: one value per field, in ``fields``' order): :func:`chain_diagram` spelled out, for
    callers that need every point."""
    diagram = chain_diagram(table_set, chain, case, fields, hit)
    memo: dict[int, list[tuple[tuple[CellScalar, ...], tuple[TraceStep, ...]]]] = {}

    def spell(node: SpaceNode | None) -> list[tuple[tuple[CellScalar, ...], tuple[TraceStep, ...]]]:
        if node is None:
            return [((), ())]
        found = memo.get(id(node))
        if found is None:
            combos = itertools.product(*(fields[i][1] for i in diagram.new_at[node.level]))
            found = memo[id(node)] = [
                ((*combo, *rest), (step, *steps))
                for combo, (step, child) in zip(combos, node.branches, strict=True)
                for rest, steps in spell(child)
            ]
        return found

    order = [i for new in diagram.new_at for i in new]
    where = [order.index(i) for i in range(len(fields))]
    return {tuple(point[i] for i in where): steps for point, steps in spell(diagram.root)}


def decide(table_set: TableSet, case: Case, engine: Engine) -> Decision:
    """The decision for ``case`` under the tables in force on its decision date."""
    chain = table_set.chain_on(case.decision_date, case.matter)
    steps = run_chain(table_set, chain, case, engine.hit)
    return assemble(table_set, chain, steps, engine.name)
