"""Engines that evaluate the table chain: ``native`` (default, reference) and ``durable``."""

from __future__ import annotations

import functools

from .._contract import Case, Decision
from .._errors import EngineUnavailableError, UnknownEngineError
from .._tables import TableSet
from ._chain import Engine, decide
from ._native import NativeEngine

ENGINE_NAMES = ("native", "durable")

_NATIVE = NativeEngine()


@functools.cache
def get_engine(name: str) -> Engine:
    """The engine called ``name``; raises :class:`UnknownEngineError` for other names."""
    if name == "native":
        return _NATIVE
    if name == "durable":
        try:
            from ._durable import DurableEngine  # noqa: PLC0415  (optional dependency)
        except ImportError as error:
            raise EngineUnavailableError(
                f"engine 'durable' is unavailable here: {error}. durable_rules 2.0.28 "
                "installs and imports only on Python < 3.13; use engine='native'"
            ) from error
        return DurableEngine()
    raise UnknownEngineError(f"unknown engine {name!r}: choose one of {', '.join(ENGINE_NAMES)}")


def decide_with(table_set: TableSet, case: Case, engine: str) -> Decision:
    """Evaluate ``case`` against ``table_set`` with the named engine."""
    if engine == "native":
        return _NATIVE.decide(table_set, case)
    return decide(table_set, case, get_engine(engine))
