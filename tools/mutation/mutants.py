"""The mutants of a table set, built through the shared table model (``betanketid_rules._tables``).

Every mutant is one mistake a legal engineer could make in a table file, made on the loaded
:class:`~betanketid_rules._tables._format.TableFile` (a ``model_copy`` of the shipped file) and
written back as that model's own dump (JSON, which is YAML), so it meets the same loader,
``check`` and engines as a pull request would. Nothing here reads or writes YAML by hand.

Three kinds, each with its operators (the id says which: ``<family@version>/<row id>/<change>``
for a row, ``<family@version>/<change>`` for a table):

* ``rule``: what a row decides. ``flip`` a boolean condition; ``swap`` an enumerated condition
  value for each other value of its domain; ``output`` to each other declared value; ``length``
  plus one (30 days to 31, 6 months to 7).
* ``metadata``: what a reviewer reads beside the rule. ``status`` to each other status; ``note``
  given the other outcome's modal verb; ``drop-citation``; ``move-citation`` to the row before or
  after; ``cite-paragraph``, ``cite-sentence``, ``cite-point`` one up or down; ``cite-source``
  another registry source the tables cite, or any act's text; ``work-source`` a preparatory work
  given as another preparatory work; ``work-pages`` a page one up or down, or a page the
  registry records for the same work; ``drop-open-question``; ``add-open-question`` (each open
  question the row does not name).
* ``structure``: the table itself. ``delete-row``; ``duplicate-row`` (a copy put before the row
  with each other value of its first output); ``swap-rows`` (two adjacent rows, where the hit
  policy reads the order: FIRST, PRIORITY, COLLECT LIST); ``hit-policy`` to each other policy;
  ``aggregation`` to each other aggregation; ``in-force-from`` a day or a year earlier or later
  (the previous version's ``in_force_to`` moves with it, and the file is renamed, so the set
  still loads; the first version of a family only later, which leaves a gap before it).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from betanketid_rules._tables import Table, TableSet
from betanketid_rules._tables._format import Row, TableCitation, TableFile
from betanketid_rules._tables._status import STATUSES, TEXT_KINDS

KINDS = {
    "flip": "rule",
    "swap": "rule",
    "output": "rule",
    "length": "rule",
    "status": "metadata",
    "note": "metadata",
    "drop-citation": "metadata",
    "move-citation": "metadata",
    "cite-paragraph": "metadata",
    "cite-sentence": "metadata",
    "cite-point": "metadata",
    "cite-source": "metadata",
    "work-source": "metadata",
    "work-pages": "metadata",
    "drop-open-question": "metadata",
    "add-open-question": "metadata",
    "delete-row": "structure",
    "duplicate-row": "structure",
    "swap-rows": "structure",
    "hit-policy": "structure",
    "aggregation": "structure",
    "in-force-from": "structure",
}
POLICIES = ("UNIQUE", "FIRST", "PRIORITY", "COLLECT")
AGGREGATIONS = ("LIST", "COUNT", "MAX", "MIN")


@dataclass(frozen=True)
class Mutant:
    """One mistake: the table files it changes (relative path -> new text; None: removed)."""

    id: str
    operator: str
    table: str  # family@version of the table changed
    row: str | None
    files: tuple[tuple[str, str | None], ...]
    #: For an ``in-force-from`` mutant: the days whose table in force changes (first, last).
    window: tuple[dt.date, dt.date] | None = None

    @property
    def kind(self) -> str:
        return KINDS[self.operator]


def table_text(spec: TableFile) -> str:
    """A table file's text as the model dumps it (JSON, a subset of YAML)."""
    data = spec.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _label(value: Any) -> str:
    if value is None:
        return "null"
    return str(value).lower() if isinstance(value, bool) else str(value)


def citation_label(citation: TableCitation) -> str:
    """``UTLL 5:15 st2 men1 p4 UTLL-CONS``: a citation in an id."""
    parts = [f"{citation.act} {citation.chapter}:{citation.section}"]
    for key, short in (("paragraph", "st"), ("sentence", "men"), ("point", "p")):
        if getattr(citation, key) is not None:
            parts.append(f"{short}{getattr(citation, key)}")
    parts.append(citation.source)
    return " ".join(parts)


RowChange = tuple[str, str, Row]
"""(operator, readable change, the changed row)."""


def _replace(items: tuple[Any, ...], index: int, item: Any) -> tuple[Any, ...]:
    return (*items[:index], item, *items[index + 1 :])


def _conditions(row: Row, domains: dict[str, tuple[Any, ...]]) -> Iterator[RowChange]:
    for column, cell in row.when.items():
        listed = isinstance(cell, list)
        values = list(cell) if isinstance(cell, list) else [cell]
        for position, value in enumerate(values):
            shown = f"when.{column}" + (f"[{position}]" if listed else "")
            others = (
                [not value]
                if isinstance(value, bool)
                else [o for o in domains[column] if o not in values and not isinstance(o, bool)]
            )
            for other in others:
                changed = _replace(tuple(values), position, other)
                new = list(changed) if listed else changed[0]
                operator = "flip" if isinstance(value, bool) else "swap"
                when = {**row.when, column: new}
                yield (
                    operator,
                    f"{shown}:{_label(value)}->{_label(other)}",
                    row.model_copy(update={"when": when}),
                )


def _metadata(
    row: Row, verbs: dict[str, dict[str, str]], open_questions: tuple[str, ...], inherits: bool
) -> Iterator[RowChange]:
    for other in STATUSES:
        if other != row.status:
            yield (
                "status",
                f"status:{row.status}->{other}",
                row.model_copy(update={"status": other}),
            )
    outcome = row.then.get("outcome")
    if isinstance(outcome, str) and outcome in verbs:
        for lang in ("sv", "en"):
            own, text = verbs[outcome][lang], getattr(row.note, lang)
            # Two outcomes may share a verb (får: may_grant and may_revoke): one mistake each.
            for word in dict.fromkeys(words[lang] for words in verbs.values()):
                if word == own:
                    continue
                changed = re.sub(rf"(?<!\w){re.escape(own)}(?!\w)", word, text, count=1)
                if changed != text:
                    note = row.note.model_copy(update={lang: changed})
                    yield (
                        "note",
                        f"note.{lang}:{own}->{word}",
                        row.model_copy(update={"note": note}),
                    )
    for position, question in enumerate(row.open_questions):
        kept = row.open_questions[:position] + row.open_questions[position + 1 :]
        yield (
            "drop-open-question",
            f"drop-open-question:{question}",
            row.model_copy(update={"open_questions": kept}),
        )
    # A row taking an open value from its inputs already rests on the question named where it
    # opened; naming it again there tells a reader nothing new, so it is not a mistake.
    for question in () if inherits else open_questions:
        if question not in row.open_questions:
            added = (*row.open_questions, question)
            yield (
                "add-open-question",
                f"add-open-question:{question}",
                row.model_copy(update={"open_questions": added}),
            )


@dataclass(frozen=True)
class _Pools:
    """What a citation may be changed to: sources, preparatory works, recorded pages."""

    sources: tuple[str, ...]
    texts: tuple[str, ...]
    works: tuple[str, ...]
    pages: dict[str, tuple[str, ...]]


def _citation(cited: TableCitation, pools: _Pools) -> Iterator[tuple[str, str, TableCitation]]:
    label = citation_label(cited)
    for key, operator, short in (
        ("paragraph", "cite-paragraph", "st"),
        ("sentence", "cite-sentence", "men"),
        ("point", "cite-point", "p"),
    ):
        value = getattr(cited, key)
        if value is None:
            continue
        for other in (value - 1, value + 1):
            if other >= 1:
                yield (
                    operator,
                    f"{operator}:{label}:{short}{value}->{short}{other}",
                    cited.model_copy(update={key: other}),
                )
    # Another act's text, for any citation; a confirmed citation, also read in any other source
    # the tables cite. (A secondary or inferred reading moved to another guidance page, report
    # or bill is not made: only reading the two sources tells which one it rests on.)
    others = pools.texts + (pools.sources if cited.status == "confirmed" else ())
    for source in sorted(set(others)):
        if source != cited.source:
            yield (
                "cite-source",
                f"cite-source:{label}->{source}",
                cited.model_copy(update={"source": source}),
            )
    for index, work in enumerate(cited.preparatory_works):
        for other in pools.works:
            if other != work.source:
                works = _replace(
                    cited.preparatory_works, index, work.model_copy(update={"source": other})
                )
                yield (
                    "work-source",
                    f"work-source:{label}:{work.source}->{other}",
                    cited.model_copy(update={"preparatory_works": works}),
                )
        pages: list[str] = []
        if work.pages is not None and work.pages.isdigit():
            pages += [str(int(work.pages) - 1), str(int(work.pages) + 1)]
        pages += [p for p in pools.pages.get(work.source, ()) if p not in pages]
        for page in pages:
            if page not in (work.pages, "0"):
                works = _replace(
                    cited.preparatory_works, index, work.model_copy(update={"pages": page})
                )
                yield (
                    "work-pages",
                    f"work-pages:{label}:{work.source} p{_label(work.pages)}->p{page}",
                    cited.model_copy(update={"preparatory_works": works}),
                )


def _row_mutants(
    table: Table, spec: TableFile, index: int, context: dict[str, Any]
) -> Iterator[tuple[str, str, TableFile]]:
    """Every change of row ``index`` of ``spec``: (operator, label, changed table file)."""
    row = spec.rows[index]
    rows = spec.rows

    def put(new_row: Row) -> TableFile:
        return spec.model_copy(update={"rows": _replace(rows, index, new_row)})

    domains = dict(zip(table.column_names, table.domains, strict=True))
    for operator, label, new_row in _conditions(row, domains):
        yield operator, label, put(new_row)
    outputs = {column.name: column for column in spec.outputs}
    for column, value in row.then.items():
        for other in outputs[column].values:
            if not (other == value and type(other) is type(value)):
                then = {**row.then, column: other}
                yield (
                    "output",
                    f"then.{column}:{_label(value)}->{_label(other)}",
                    put(row.model_copy(update={"then": then})),
                )
        if isinstance(value, int) and not isinstance(value, bool):
            then = {**row.then, column: value + 1}
            declared = tuple(
                c.model_copy(update={"values": (*c.values, value + 1)}) if c.name == column else c
                for c in spec.outputs
            )
            changed = spec.model_copy(
                update={
                    "rows": _replace(rows, index, row.model_copy(update={"then": then})),
                    "outputs": declared,
                }
            )
            yield "length", f"then.{column}:{value}->{value + 1}", changed
    opening: dict[str, set[str]] = context["open_values"]
    inherits = any(
        str(value) in opening.get(column, set())
        for column, values in row.conditions.items()
        for value in values
    )
    for operator, label, new_row in _metadata(
        row, context["verbs"], context["questions"], inherits
    ):
        yield operator, label, put(new_row)
    for position, cited in enumerate(row.citations):
        label = citation_label(cited)
        kept = row.citations[:position] + row.citations[position + 1 :]
        yield (
            "drop-citation",
            f"drop-citation:{label}",
            put(row.model_copy(update={"citations": kept})),
        )
        for target in (index - 1, index + 1):
            if 0 <= target < len(rows):
                other = rows[target]
                moved = list(rows)
                moved[index] = row.model_copy(update={"citations": kept})
                moved[target] = other.model_copy(update={"citations": (*other.citations, cited)})
                yield (
                    "move-citation",
                    f"move-citation:{label}->{other.id}",
                    spec.model_copy(update={"rows": tuple(moved)}),
                )
        for operator, what, new_cited in _citation(cited, context["pools"]):
            citations = _replace(row.citations, position, new_cited)
            yield operator, what, put(row.model_copy(update={"citations": citations}))


def _listing_only(table_set: TableSet, family: str) -> bool:
    """Whether ``family`` is read after the outcome of its matter (what a decision brings, how
    it is challenged, how a revocation is challenged) and no table reads its outputs: the
    decision lists the rows it fires as its effects, so neither the order of its rows nor how
    its outputs aggregate decides anything."""
    tables = table_set.families[family]
    outcome = table_set.outcome_family_of(table_set.matter_of(family))  # of its own matter
    after = any(outcome in table.upstream_families for table in tables)
    read = any(family in table.upstream_families for table in table_set)
    return after and not read


def _structure(spec: TableFile, listing_only: bool) -> Iterator[tuple[str, str, TableFile]]:
    rows = spec.rows
    for index, row in enumerate(rows):
        if len(rows) > 1:
            kept = rows[:index] + rows[index + 1 :]
            yield "delete-row", f"delete-row:{row.id}", spec.model_copy(update={"rows": kept})
        first = spec.outputs[0]
        for other in first.values:
            value = row.then[first.name]
            if other == value and type(other) is type(value):
                continue
            copy = row.model_copy(
                update={"id": f"{row.id}-dup", "then": {**row.then, first.name: other}}
            )
            label = f"duplicate-row:{row.id}:{first.name}={_label(other)}"
            added = (*rows[:index], copy, *rows[index:])
            yield "duplicate-row", label, spec.model_copy(update={"rows": added})
    ordered = spec.hit_policy in ("FIRST", "PRIORITY") or spec.aggregation == "LIST"
    if ordered and not listing_only:
        for index in range(len(rows) - 1):
            swapped = (*rows[:index], rows[index + 1], rows[index], *rows[index + 2 :])
            label = f"swap-rows:{rows[index].id}<->{rows[index + 1].id}"
            yield "swap-rows", label, spec.model_copy(update={"rows": swapped})
    for policy in POLICIES:
        if policy == spec.hit_policy:
            continue
        aggregation = None
        if policy == "COLLECT":
            aggregation = "MAX" if len(spec.outputs) == 1 else "LIST"
        label = f"hit-policy:{spec.hit_policy}->{policy}" + (
            f" {aggregation}" if aggregation else ""
        )
        changed = spec.model_copy(update={"hit_policy": policy, "aggregation": aggregation})
        yield "hit-policy", label, changed
    if spec.hit_policy == "COLLECT" and not listing_only:
        for aggregation in AGGREGATIONS:
            if aggregation != spec.aggregation:
                label = f"aggregation:{spec.aggregation}->{aggregation}"
                yield "aggregation", label, spec.model_copy(update={"aggregation": aggregation})


def _shift(day: dt.date, days: int = 0, years: int = 0) -> dt.date | None:
    try:
        moved = day.replace(year=day.year + years) if years else day
    except ValueError:
        return None
    return moved + dt.timedelta(days=days)


def _date_mutants(table_set: TableSet) -> Iterator[Mutant]:
    for family, tables in table_set.families.items():
        for position, table in enumerate(tables):
            spec = table.spec
            before = tables[position - 1] if position else None
            after = tables[position + 1] if position + 1 < len(tables) else None
            shifts = (("+1d", 1, 0), ("-1d", -1, 0), ("+1y", 0, 1), ("-1y", 0, -1))
            for label, days, years in shifts:
                new = _shift(spec.in_force_from, days, years)
                if new is None or (before is None and new < spec.in_force_from):
                    continue  # the first version starting earlier decides no case more
                if before is not None and new <= before.spec.in_force_from:
                    continue
                if after is not None and new >= after.spec.in_force_from:
                    continue
                if spec.in_force_to is not None and new > spec.in_force_to:
                    continue
                directory = table_set.directory
                old_path = table.path.relative_to(directory).as_posix()
                new_path = f"{family}/{new.isoformat()}.yaml"
                files: list[tuple[str, str | None]] = [
                    (old_path, None),
                    (new_path, table_text(spec.model_copy(update={"in_force_from": new}))),
                ]
                if before is not None:
                    end = new - dt.timedelta(days=1)
                    files.append(
                        (
                            before.path.relative_to(directory).as_posix(),
                            table_text(before.spec.model_copy(update={"in_force_to": end})),
                        )
                    )
                low, high = min(new, spec.in_force_from), max(new, spec.in_force_from)
                yield Mutant(
                    f"{table.key}/in-force-from:{spec.in_force_from}->{new} ({label})",
                    "in-force-from",
                    table.key,
                    None,
                    tuple(files),
                    (low, high - dt.timedelta(days=1)),
                )


def _context(table_set: TableSet) -> dict[str, Any]:
    vocabulary = table_set.vocabulary
    verbs = (
        {o: {"sv": v.sv, "en": v.en} for o, v in vocabulary.modal_verbs.items()}
        if vocabulary is not None
        else {}
    )
    cited = {c.source for t in table_set for r in t.spec.rows for c in r.citations}
    texts = {s.id for s in table_set.sources.values() if s.kind in TEXT_KINDS}
    # A work swapped for a government bill: which bill belongs to which wording the registry
    # knows (register entries, dates); which of a wording's own inquiry, memorandum or committee
    # report a guidance page or report relied on, only reading them tells.
    works = {
        s.id
        for s in table_set.sources.values()
        if s.kind == "preparatory_work" and s.title.lower().startswith("prop.")
    }
    pages: dict[str, list[str]] = {}
    for source in table_set.sources.values():
        for record in source.pages_cited:
            pages.setdefault(record.work, []).append(record.pages)
    questions = tuple(q.id for q in table_set.questions.values() if q.state == "open")
    open_values = (
        {column: set(values) for column, values in vocabulary.open_values.items()}
        if vocabulary is not None
        else {}
    )
    return {
        "open_values": open_values,
        "verbs": verbs,
        "questions": questions,
        "pools": _Pools(
            tuple(sorted(cited)),
            tuple(sorted(texts)),
            tuple(sorted(works)),
            {work: tuple(found) for work, found in pages.items()},
        ),
    }


def enumerate_mutants(table_set: TableSet) -> list[Mutant]:
    """Every mutant of ``table_set``, in a stable order (ids are unique)."""
    context = _context(table_set)
    mutants: list[Mutant] = []
    for table in table_set:
        spec = table.spec
        relative = table.path.relative_to(table_set.directory).as_posix()
        for index, row in enumerate(spec.rows):
            for operator, label, changed in _row_mutants(table, spec, index, context):
                mutant_id = f"{table.key}/{row.id}/{label}"
                files = ((relative, table_text(changed)),)
                mutants.append(Mutant(mutant_id, operator, table.key, row.id, files))
        listing_only = _listing_only(table_set, table.family)
        for operator, label, changed in _structure(spec, listing_only):
            files = ((relative, table_text(changed)),)
            mutants.append(Mutant(f"{table.key}/{label}", operator, table.key, None, files))
    mutants.extend(_date_mutants(table_set))
    ids = [mutant.id for mutant in mutants]
    if len(ids) != len(set(ids)):
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        raise SystemExit(f"mutant ids are not unique: {duplicates[:5]}")
    return mutants
