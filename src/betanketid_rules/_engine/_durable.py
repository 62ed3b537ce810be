"""The durable engine: every table compiled into a durable_rules ruleset, an independent second
opinion on the native engine.

durable_rules 2.0.28 has measured pitfalls (``../shared/research/durable-rules.md``); each is
handled here:

* a :class:`_QuietHost` without the dispatcher timer threads (the default Host runs actions on
  its own threads and crashed under load), fed JSON rulesets through ``register_rulesets``,
  never the DSL's module-global registry;
* one rule per row plus a catch-all sentinel rule last, every rule testing a marker field the
  engine adds to each case: ``delete_state`` after a case that fired nothing can crash the
  process, and a rule on ``sid`` alone loops forever;
* per case, under one process-wide lock: a fresh session id, ``assert_fact`` (an event fires
  only the first matching rule), the fired rows sorted (firing order is not promised),
  ``delete_state`` in ``finally`` (without it the 1,025th case fails with ``MemoryError``);
  a session in which no action at all ran is *not* deleted, because that is the crash path;
* actions are one-parameter functions made by a factory (two parameters would make them
  asynchronous) and are checked to be so; the batch APIs are never used; an exception inside
  an action is swallowed by durable_rules into the returned state, so it is checked and raised
  as :class:`~betanketid_rules.EngineError`, as is every error durable_rules raises;
* only values of a column's declared domain, with their exact type, reach the engine (inside
  it ``1``, ``"true"`` and ``True`` are equal, and ``""`` equals ``0`` and ``1``); tables the
  engine cannot build or would evaluate wrongly are rejected when they are compiled, before
  anything is registered (:func:`check_compilable`);
* the ``utcfromtimestamp`` DeprecationWarning every action emits on Python 3.12 is filtered
  at the call site (under ``-W error`` it would otherwise fail every case).

Ruleset names are ``family@version_<12 hex digits of the table's sha256>``: a registered name
can never be replaced, so versions (and edited copies of a table in tests) coexist in one
process. Rulesets are never freed; each engine keeps its own Host and registers a table once.
"""

from __future__ import annotations

import itertools
import re
import sys
import threading
import warnings
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from durable import engine as durable_engine

from .._errors import EngineError
from .._tables import Table
from .._tables._evaluate import HitResult, apply_hit_policy
from .._types import CellScalar, EngineName, Values

#: The field added to every case; every rule tests that it exists.
MARKER = "betanketid_case"
#: The row index the sentinel rule records.
SENTINEL = -1
#: More set-membership cells than this in one rule fail with durable error 113.
MAX_SET_CELLS = 14
#: More distinct values than this tested below one rete node hang the engine; bounding the
#: distinct (column, value) tests of a whole table bounds every node.
MAX_TESTS = 511
#: A ruleset holds at most 4,096 rules (error 106 beyond); one of them is the sentinel.
MAX_ROWS = 4095
#: A message holds at most 255 properties (error 302 beyond); ``sid`` and the marker are two.
MAX_COLUMNS = 253
#: Field names the engine gives a meaning of its own.
RESERVED_COLUMNS = frozenset({"sid", "id", MARKER})

_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.@-]+$")
_DEPRECATION = r"datetime\.datetime\.utcfromtimestamp\(\) is deprecated"
#: One lock for every DurableEngine in the process: durable_rules' C state is process-wide.
_LOCK = threading.Lock()

Action = Callable[[Any], None]


class _QuietHost(durable_engine.Host):  # type: ignore[misc]
    """A Host that never starts the dispatcher timer threads."""

    def _run(self) -> None:
        return None


def ruleset_name(table: Table) -> str:
    """The name ``table`` is registered under: ``family@version_`` and a short content hash."""
    name = f"{table.key}_{table.sha256[:12]}"
    if not _SAFE_NAME.match(name):  # pragma: no cover - family and version patterns forbid it
        raise EngineError(f"{table.key}: {name!r} is not a safe durable_rules ruleset name")
    return name


def _kind(value: CellScalar) -> type | None:
    return None if value is None else type(value)


def check_compilable(table: Table) -> None:
    """Raise :class:`EngineError` if durable_rules cannot build ``table`` or would get it wrong.

    Checked: reserved column names, at most ``MAX_COLUMNS`` columns, ``MAX_ROWS`` rows,
    ``MAX_SET_CELLS`` set-membership cells in one row and ``MAX_TESTS`` distinct tested values,
    and one value type per column (besides ``None``), since the engine equates ``True``, ``1``
    and ``"true"``.
    """
    key = table.key
    columns = table.column_names
    problems: list[str] = []
    reserved = sorted(RESERVED_COLUMNS.intersection(columns))
    if reserved:
        problems.append(f"column names reserved by durable_rules: {', '.join(reserved)}")
    if len(columns) > MAX_COLUMNS:
        problems.append(f"{len(columns)} input columns exceed {MAX_COLUMNS} (error 302)")
    cells = table.cells
    if len(cells) > MAX_ROWS:
        problems.append(f"{len(cells)} rows exceed {MAX_ROWS} (error 106)")
    for column, domain in zip(columns, table.domains, strict=True):
        kinds = {type(value) for value in domain if value is not None}
        if len(kinds) > 1:
            names = ", ".join(sorted(kind.__name__ for kind in kinds))
            problems.append(
                f"column {column!r} mixes value types ({names}), which durable_rules equates"
            )
    tests: set[tuple[str, type | None, CellScalar]] = set()
    for row, row_cells in zip(table.spec.rows, cells, strict=True):
        sets = sum(1 for cell in row_cells if cell is not None and len(cell) > 1)
        if sets > MAX_SET_CELLS:
            problems.append(
                f"row {row.id} has {sets} set-membership cells, more than {MAX_SET_CELLS} "
                "(durable_rules error 113)"
            )
        for column, cell in zip(columns, row_cells, strict=True):
            for value in cell or ():
                tests.add((column, _kind(value), value))
    if len(tests) > MAX_TESTS:
        problems.append(
            f"{len(tests)} distinct tested values exceed {MAX_TESTS} (the engine hangs)"
        )
    if problems:
        raise EngineError(f"{key}: durable_rules cannot evaluate this table: {'; '.join(problems)}")


def _condition(column: str, cell: frozenset[CellScalar]) -> dict[str, Any]:
    values = sorted(cell, key=repr)
    if len(values) == 1:
        return {column: values[0]}
    return {"$or": [{column: value} for value in values]}


def _rule(tests: list[dict[str, Any]], action: Action) -> dict[str, Any]:
    code = getattr(action, "__code__", None)
    if code is None or code.co_argcount != 1 or hasattr(action, "__self__"):
        # durable_rules counts parameters: two make an asynchronous action that never completes.
        raise EngineError("a durable_rules action must be a plain function of one parameter")
    return {"all": [{"m": {"$and": [{"$ex": {MARKER: 1}}, *tests]}}], "run": action}


def compile_ruleset(table: Table, action: Callable[[int], Action]) -> dict[str, Any]:
    """The durable_rules JSON ruleset of ``table``: one rule per row, then the sentinel.

    ``action(i)`` makes the action of row ``i`` (``SENTINEL`` for the sentinel rule). Raises
    :class:`EngineError` for a table the engine cannot build safely (:func:`check_compilable`).
    """
    check_compilable(table)
    rules: dict[str, Any] = {}
    for index, row in enumerate(table.cells):
        tests = [
            _condition(column, cell)
            for column, cell in zip(table.column_names, row, strict=True)
            if cell is not None
        ]
        rules[f"r_{index}"] = _rule(tests, action(index))
    rules["r_sentinel"] = _rule([], action(SENTINEL))
    return rules


@contextmanager
def _filter_deprecation() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_DEPRECATION, category=DeprecationWarning)
        yield


#: The call-site filter of the ``utcfromtimestamp`` warning, where Python emits it (3.12+);
#: on 3.11 there is nothing to filter and ``catch_warnings`` would cost ~5 µs per table.
_quiet_deprecation: Callable[[], AbstractContextManager[None]] = (
    _filter_deprecation if sys.version_info >= (3, 12) else nullcontext
)


def _describe(error: BaseException) -> str:
    # durable's MessageNotHandledException keeps its text in .message, not in args.
    text = getattr(error, "message", None) or str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@dataclass(frozen=True)
class _Compiled:
    """A registered table: its ruleset name, its columns and the values each may be given.

    ``allowed`` maps each value of a column's declared domain to its exact type, so ``1`` is
    refused where ``True`` is expected (the two are equal as dictionary keys, not as types).
    """

    name: str
    columns: tuple[str, ...]
    allowed: tuple[dict[CellScalar, type], ...]


class DurableEngine:
    """Evaluates tables with durable_rules; the hit policy is then applied in shared code.

    Each instance has its own quiet Host; all instances share one lock, held for each case.
    """

    name: EngineName = "durable"

    def __init__(self) -> None:
        self._host = _QuietHost()
        self._results: dict[str, list[int]] = {}
        self._tables: weakref.WeakKeyDictionary[Table, _Compiled] = weakref.WeakKeyDictionary()
        self._registered: set[str] = set()
        self._sids = itertools.count()

    def _action(self, index: int) -> Action:
        """The action of row ``index``: record the row for the case's session."""
        results = self._results

        def action(c: Any) -> None:
            results[c.s.sid].append(index)

        return action

    def _compiled(self, table: Table) -> _Compiled:
        """``table`` registered with this engine's Host (once; call with the lock held)."""
        compiled = self._tables.get(table)
        if compiled is not None:
            return compiled
        name = ruleset_name(table)
        if name not in self._registered:
            rules = compile_ruleset(table, self._action)
            try:
                self._host.register_rulesets({name: rules})
            except Exception as error:
                raise EngineError(
                    f"{table.key}: durable_rules could not build the ruleset: {_describe(error)}"
                ) from error
            self._registered.add(name)
        compiled = _Compiled(
            name=name,
            columns=table.column_names,
            allowed=tuple({value: type(value) for value in domain} for domain in table.domains),
        )
        self._tables[table] = compiled
        return compiled

    def _message(self, table: Table, compiled: _Compiled, values: Values) -> dict[str, Any]:
        message: dict[str, Any] = {}
        for column, allowed, value in zip(compiled.columns, compiled.allowed, values, strict=True):
            if allowed.get(value) is not type(value):
                raise EngineError(
                    f"{table.key}: {value!r} is not a value of column {column!r}; durable_rules "
                    "is only given validated values of the declared domain"
                )
            message[column] = value
        return message

    def matched(self, table: Table, values: Values) -> tuple[int, ...]:
        """Every row of ``table`` that durable_rules fires for ``values``, in row order."""
        with _LOCK:
            compiled = self._compiled(table)
            message = self._message(table, compiled, values)
            sid = f"c{next(self._sids)}"
            message["sid"] = sid
            message[MARKER] = 1
            fired: list[int] = []
            self._results[sid] = fired
            state: object = None
            failure: Exception | None = None
            try:
                with _quiet_deprecation():
                    state = self._host.assert_fact(compiled.name, message)
            except Exception as error:
                failure = error
            finally:
                del self._results[sid]
                # No action ran: deleting that session frees uninitialised pointers (the crash
                # the sentinel rule exists to prevent), so it is left alive instead.
                if fired:
                    try:
                        self._host.delete_state(compiled.name, sid)
                    except Exception as error:
                        failure = failure or error
        if failure is not None:
            raise EngineError(f"{table.key}: durable_rules failed: {_describe(failure)}") from (
                failure
            )
        if not isinstance(state, dict):
            raise EngineError(f"{table.key}: durable_rules returned no session state")
        if "exception" in state:
            raise EngineError(f"{table.key}: a durable_rules action failed: {state['exception']}")
        if SENTINEL not in fired:
            raise EngineError(f"{table.key}: durable_rules did not fire the sentinel rule")
        rows = sorted(index for index in fired if index != SENTINEL)
        if len(rows) + 1 != len(fired) or len(set(rows)) != len(rows):
            raise EngineError(f"{table.key}: durable_rules fired a rule twice: {sorted(fired)}")
        return tuple(rows)

    def hit(self, table: Table, values: Values) -> HitResult:
        """The hit result of ``table`` for ``values`` as durable_rules matches it."""
        return apply_hit_policy(table, self.matched(table, values), values)
