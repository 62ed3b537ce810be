"""Helpers shared by the test modules (and the benchmarks): which engines can run here,
planting a table edit, and a copy of the shipped tables with a wider table."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from betanketid_rules import EngineUnavailableError
from betanketid_rules._engine import get_engine
from betanketid_rules._tables import default_tables_dir


def _durable_available() -> bool:
    try:
        get_engine("durable")
    except EngineUnavailableError:
        return False
    return True


#: Whether the durable engine can run in this interpreter (durable_rules imports on < 3.13).
DURABLE_AVAILABLE = _durable_available()

#: What ``betanketid-rules check`` notes, just before its summary, where the durable engine
#: cannot run: the engines were not compared, and why.
DURABLE_SKIPPED_NOTE = (
    "engine agreement not checked (durable leg skipped): engine 'durable' is unavailable here: "
    "No module named 'durable'. durable_rules 2.0.28 installs and imports only on Python < 3.13; "
    "use engine='native'"
)

#: Skip a test that needs the durable engine where it cannot run.
needs_durable = pytest.mark.skipif(
    not DURABLE_AVAILABLE, reason="durable_rules is not importable here (Python 3.13+)"
)

#: Both engines as test parameters, the durable one skipped where it cannot run.
ENGINES = ["native", pytest.param("durable", marks=needs_durable)]

#: The issue's example as JSON: the social welfare board applies for a reflection period for a
#: presumed trafficking victim staying here, needed for the investigation, who wants the time.
BOARD_REFLECTION: dict[str, Any] = {
    "decision_date": "2023-03-15",
    "applicant": "social_welfare_board",
    "permit": "reflection_period",
    "person": {"in_sweden": True},
    "facts": {
        "presumed_offence": "trafficking",
        "needed_for_investigation": True,
        "wants_reflection_period": True,
    },
}


def plant(tables: Path, relative: Path | str, old: str, new: str) -> int:
    """Replace ``old`` (which must occur once) by ``new`` in a table-set file.

    Returns the 1-based line where ``old`` stood.
    """
    path = tables / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line


@contextmanager
def durable_missing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As on Python 3.13: durable_rules does not import (the engine cache is reset around it)."""
    for name in list(sys.modules):
        if name == "durable" or name.startswith("durable.") or name.endswith("._durable"):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "durable", None)
    get_engine.cache_clear()
    try:
        yield
    finally:
        get_engine.cache_clear()


#: Boolean case fields the 2022 standing table does not read, to add to it as inputs no row
#: conditions on (the synthetic fixture of issue 17: each doubles its domain).
UNREAD_BOOLEANS = (
    "person.in_sweden",
    "person.is_child",
    "person.eu_citizen",
    "facts.needed_for_investigation",
    "facts.willing_to_cooperate",
    "facts.ties_broken",
)


def widen_standing(target: Path, extra: int = 5) -> Path:
    """A copy of the shipped tables at ``target`` whose 2022 standing table reads ``extra``
    more booleans (the first of :data:`UNREAD_BOOLEANS`)."""
    shutil.copytree(default_tables_dir(), target)
    path = target / "utl-5-15-standing" / "2022-08-01.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "  - {name: lodged_before_in_force, from: derived.lodged_before_in_force}\n"
    assert text.count(anchor) == 1
    inputs = "".join(
        f"  - {{name: extra_{n}, from: case.{p}}}\n" for n, p in enumerate(UNREAD_BOOLEANS[:extra])
    )
    path.write_text(text.replace(anchor, anchor + inputs), encoding="utf-8")
    return target
