"""Evaluate exported DMN files with pyDMNrules, in its own virtual environment (it is GPL and
pulls pandas, so it is never a dependency of betanketid-rules or of its extras).

Reads a job from stdin (JSON: {"tables": [{"file": PATH, "columns": [NAME, ...],
"points": [[VALUE, ...], ...]}]}) and writes, per table and point, what pyDMNrules decided:
{"errors": [...]} or {"outputs": {...}, "rules": [RULE INDEX, ...]} (the executed rules).

pyDMNrules 1.4.5 fails on DMN's rule annotations (it files them under a key it never made), so
they are taken out of the text it reads; they carry no meaning for a decision.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import pyDMNrules  # type: ignore[import-not-found]

_ANNOTATIONS = (
    re.compile(r"\s*<annotation name=\"[^\"]*\"\s*/>"),
    re.compile(r"\s*<annotationEntry>.*?</annotationEntry>", re.S),
)


def _rules(executed: Any) -> list[int]:
    """The indices of the rules executed (``Rule.3``); none where the default output entries
    were used (pyDMNrules names them ``default values``)."""
    if not executed:
        return []
    found = executed if isinstance(executed, list) else [executed]
    return [int(rule[2].removeprefix("Rule.")) for rule in found if rule[2] != "default values"]


def decide(job: dict[str, Any]) -> list[dict[str, Any]]:
    with open(job["file"], encoding="utf-8") as handle:
        xml = handle.read()
    for pattern in _ANNOTATIONS:
        xml = pattern.sub("", xml)
    dmn = pyDMNrules.DMN()
    status = dmn.useXML(xml)
    if status.get("errors"):
        raise SystemExit(f"{job['file']}: {status['errors']}")
    results = []
    for point in job["points"]:
        data = dict(zip(job["columns"], point, strict=True))
        status, result = dmn.decide(data)
        if status.get("errors"):
            results.append({"errors": [str(error) for error in status["errors"]]})
            continue
        decided = result["Result"]
        outputs = {key: value for key, value in decided.items() if key not in data}
        results.append({"outputs": outputs, "rules": _rules(result.get("Executed Rule"))})
    return results


def main() -> None:
    jobs = json.load(sys.stdin)
    json.dump({"tables": [decide(job) for job in jobs["tables"]]}, sys.stdout, default=str)


if __name__ == "__main__":
    main()
