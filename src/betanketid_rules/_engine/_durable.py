"""The durable engine: every table compiled into a durable_rules ruleset, an independent second
opinion on the native engine.

durable_rules 2.0.28 has measured pitfalls (``../shared/research/durable-rules.md``); each is
handled here:

* a :class:`_QuietHost` without the dispatcher timer threads (the default Host runs actions on
  its own threads and crashed under load), fed JSON rulesets through ``register_rulesets``;
* one rule per row plus a catch-all sentinel rule last, every rule testing a marker field the
  engine adds to each case (``delete_state`` after a case that fired nothing can crash; a rule
  on ``sid`` alone loops forever);
* per case, under one global lock: a fresh session id, ``assert_fact`` (an event fires only the
  first matching rule), fired rows sorted, ``delete_state`` in ``finally``;
* actions take exactly one parameter (two would make them asynchronous); an exception inside an
  action is swallowed into the returned state, so it is checked and raised;
* only validated values reach the engine (inside it ``1`` and ``"true"`` equal ``True``);
  tables the engine cannot build are rejected at compile time;
* the ``utcfromtimestamp`` DeprecationWarning of Python 3.12 is filtered at the call site.

Ruleset names are ``family@version#hash``: a registered name can never be replaced, so
versions (and edited copies of a table in tests) coexist in one process.
"""

from __future__ import annotations

import threading
import uuid
import warnings
import weakref
from collections.abc import Callable
from typing import Any

from durable import engine as durable_engine

from .._contract import EngineName
from .._errors import EngineError
from .._tables import Table
from ._chain import Values, table_aid
from ._rows import HitResult, apply_hit_policy

MARKER = "betanketid_case"
SENTINEL = -1
#: More set-membership cells than this in one rule fail with durable error 113.
MAX_SET_CELLS = 14
#: More distinct values than this tested at one node hang the engine.
MAX_VALUES_PER_COLUMN = 511
#: A ruleset holds at most this many rules (error 106 beyond).
MAX_RULES = 4095

Action = Callable[[Any], None]


class _QuietHost(durable_engine.Host):  # type: ignore[misc]
    """A Host that never starts the dispatcher timer threads."""

    def _run(self) -> None:
        return None


def _condition(column: str, cell: frozenset[Any]) -> dict[str, Any]:
    values = sorted(cell, key=repr)
    if len(values) == 1:
        return {column: values[0]}
    return {"$or": [{column: value} for value in values]}


def _rule(tests: list[dict[str, Any]], action: Action) -> dict[str, Any]:
    tests = [{"$ex": {MARKER: 1}}, *tests]
    return {"all": [{"m": {"$and": tests}}], "run": action}


def compile_ruleset(table: Table, record: Callable[[int], Action]) -> dict[str, Any]:
    """The durable_rules JSON ruleset of ``table``: one rule per row, then the sentinel.

    Raises :class:`EngineError` for a table the engine cannot build safely.
    """
    cells = table_aid(table).cells
    if len(cells) > MAX_RULES:
        raise EngineError(f"{table.key}: {len(cells)} rows exceed durable_rules' {MAX_RULES}")
    for column, domain in zip(table.column_names, table.domains, strict=True):
        if len(domain) > MAX_VALUES_PER_COLUMN:
            raise EngineError(
                f"{table.key}: column {column!r} has too many values for durable_rules"
            )
    rules: dict[str, Any] = {}
    for index, row in enumerate(cells):
        tests = [
            _condition(column, cell)
            for column, cell in zip(table.column_names, row, strict=True)
            if cell is not None
        ]
        if sum(1 for cell in row if cell is not None and len(cell) > 1) > MAX_SET_CELLS:
            raise EngineError(
                f"{table.key}: row {table.spec.rows[index].id} has more than {MAX_SET_CELLS} "
                "set-membership cells (durable_rules error 113)"
            )
        rules[f"r_{index}"] = _rule(tests, record(index))
    rules["r_sentinel"] = _rule([], record(SENTINEL))
    return rules


class DurableEngine:
    """Evaluates tables with durable_rules; the hit policy is then applied in shared code."""

    name: EngineName = "durable"

    _lock = threading.Lock()
    _host: _QuietHost | None = None
    _results: dict[str, list[int]] = {}  # noqa: RUF012 (shared by design, guarded by _lock)
    _names: weakref.WeakKeyDictionary[Table, str] = weakref.WeakKeyDictionary()  # noqa: RUF012
    _registered: set[str] = set()  # noqa: RUF012

    @classmethod
    def _recorder(cls, index: int) -> Action:
        def action(c: Any) -> None:
            cls._results[c.s.sid].append(index)

        return action

    def _ruleset(self, table: Table) -> str:
        name = self._names.get(table)
        if name is not None:
            return name
        name = f"{table.key}#{table.sha256[:12]}"
        if name not in self._registered:
            if DurableEngine._host is None:
                DurableEngine._host = _QuietHost()
            DurableEngine._host.register_rulesets({name: compile_ruleset(table, self._recorder)})
            self._registered.add(name)
        self._names[table] = name
        return name

    def matched(self, table: Table, values: Values) -> tuple[int, ...]:
        """Every row of ``table`` that durable_rules fires for ``values``, in row order."""
        message: dict[str, Any] = dict(zip(table.column_names, values, strict=True))
        with self._lock:
            name = self._ruleset(table)
            host = DurableEngine._host
            assert host is not None
            sid = uuid.uuid4().hex
            message["sid"] = sid
            message[MARKER] = 1
            self._results[sid] = []
            try:
                with warnings.catch_warnings():
                    warnings.filterwarnings(
                        "ignore", message=".*utcfromtimestamp.*", category=DeprecationWarning
                    )
                    state = host.assert_fact(name, message)
                if isinstance(state, dict) and "exception" in state:
                    raise EngineError(
                        f"{table.key}: a durable_rules action failed: {state['exception']}"
                    )
            finally:
                try:
                    host.delete_state(name, sid)
                finally:
                    fired = self._results.pop(sid, [])
        if SENTINEL not in fired:
            raise EngineError(f"{table.key}: durable_rules did not fire the sentinel rule")
        return tuple(sorted(set(fired) - {SENTINEL}))

    def hit(self, table: Table, values: Values) -> HitResult:
        """The hit result of ``table`` for ``values`` as durable_rules matches it."""
        return apply_hit_policy(table, self.matched(table, values), values)
