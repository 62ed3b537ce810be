"""Helpers of the DMN export tests: the npm tools of ``tools/dmn/``, the OMG schema they ship,
and DMN's hit policies as the DMN 1.3 specification defines them, applied to what an outside
reader (dmn-moddle and feelin) read from an exported file.

The npm packages are installed by ``.ci/run`` (``npm ci`` in ``tools/dmn``); where they are
missing the tests needing them skip, except with ``BETANKETID_REQUIRE_DMN_TOOLS=1`` (as
``.ci/run`` sets it), where that fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from betanketid_rules._tables import Table

ROOT = Path(__file__).resolve().parents[1]
DMN_TOOLS = ROOT / "tools" / "dmn"
NODE_MODULES = DMN_TOOLS / "node_modules"
#: The OMG DMN 1.3 schema, as the dmn-moddle package ships it (never copied into the repository).
DMN13_XSD = NODE_MODULES / "dmn-moddle" / "resources" / "dmn" / "xsd" / "DMN13.xsd"


def require_dmn_tools() -> None:
    """Skip (or, in CI, fail) unless node and the npm packages of ``tools/dmn`` are installed."""
    missing = []
    if shutil.which("node") is None:
        missing.append("node")
    if not DMN13_XSD.is_file():
        missing.append(f"the npm packages of {DMN_TOOLS} (run: npm ci --prefix tools/dmn)")
    if not missing:
        return
    message = "DMN tools not installed: " + ", ".join(missing)
    if os.environ.get("BETANKETID_REQUIRE_DMN_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def read_with_moddle(tables: Sequence[Table], directory: Path) -> list[dict[str, Any]]:
    """Each table's exported file as dmn-moddle and feelin read it (see ``tools/dmn/match.mjs``),
    the matching rules given at every point of the table's declared domains."""
    jobs = {
        "tables": [
            {
                "file": str(directory / f"{table.key}.dmn"),
                "domains": [list(column.domain) for column in table.columns],
            }
            for table in tables
        ]
    }
    done = subprocess.run(
        ["node", str(DMN_TOOLS / "match.mjs")],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)["tables"]
    return results


@dataclass(frozen=True)
class DmnResult:
    """What a decision table gives at a point under DMN's hit policy: the rules that fire and
    the outputs, or ``None`` where DMN gives no result (no rule of a single-hit table matches
    and no output has a default, or a UNIQUE table has several)."""

    fired: tuple[int, ...]
    outputs: dict[str, Any]


def dmn_hit(read: dict[str, Any], matched: Sequence[int]) -> DmnResult | None:
    """DMN 1.3's hit policy of the table ``read`` (as match.mjs reports it) on ``matched``.

    PRIORITY: the matching rule whose outputs come first in the outputs' output values, compared
    output by output; COLLECT without aggregator: every matching rule's outputs as lists in rule
    order; with COUNT, their number; no match: the default output entries, else no result.
    """
    outputs = read["outputs"]
    rules = read["rules"]
    names = [output["name"] for output in outputs]
    policy, aggregation = read["hitPolicy"], read["aggregation"]
    if policy == "COLLECT":
        if aggregation == "COUNT":
            return DmnResult(tuple(matched), {names[0]: len(matched)})
        assert aggregation is None, aggregation
        return DmnResult(
            tuple(matched),
            {name: tuple(rules[r]["outputs"][i] for r in matched) for i, name in enumerate(names)},
        )
    if not matched:
        if any(output["hasDefault"] for output in outputs):
            return DmnResult((), {output["name"]: output["default"] for output in outputs})
        return None
    if policy == "UNIQUE":
        if len(matched) != 1:
            return None
        chosen = matched[0]
    elif policy == "FIRST":
        chosen = matched[0]
    elif policy == "PRIORITY":

        def rank(rule: int) -> tuple[int, ...]:
            return tuple(
                output["values"].index(rules[rule]["outputs"][i])
                for i, output in enumerate(outputs)
                if output["values"] is not None
            )

        chosen = min(matched, key=lambda rule: (rank(rule), rule))
    else:  # pragma: no cover (the exporter writes no other policy)
        raise AssertionError(f"unexpected hit policy {policy}")
    return DmnResult((chosen,), dict(zip(names, rules[chosen]["outputs"], strict=True)))
