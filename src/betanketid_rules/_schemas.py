"""JSON Schemas of the table format and of the contract, by name.

``betanketid-rules schema`` prints them and the documentation shows them; both read them here,
so the documentation does not import the command line.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel

from ._assess import Assessment
from ._contract import Case, Decision
from ._partial import PartialCase
from ._tables._format import OpenQuestions, QuestionCatalogue, SourceRegistry, TableFile

__all__ = ["SCHEMAS", "schema_text"]

SCHEMAS: dict[str, type[BaseModel]] = {
    "tables": TableFile,
    "sources": SourceRegistry,
    "open-questions": OpenQuestions,
    "questions": QuestionCatalogue,
    "case": Case,
    "decision": Decision,
    "partial-case": PartialCase,
    "assessment": Assessment,
}
"""The models whose JSON Schema can be printed, by the name ``betanketid-rules schema`` takes."""


def schema_text(which: str) -> str:
    """The JSON Schema called ``which`` as indented JSON.

    >>> '"title": "Case"' in schema_text("case")
    True
    >>> schema_text("decision").endswith("}\\n")
    True
    """
    model = SCHEMAS[which]
    mode: Literal["validation", "serialization"] = (
        "serialization" if model in (Decision, Assessment) else "validation"
    )
    schema = model.model_json_schema(mode=mode, by_alias=True)
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
