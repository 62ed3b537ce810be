"""JSON Schemas of the table format and of the contract, by name.

``betanketid-rules schema`` prints them and the documentation shows them; both read them here,
so the documentation does not import the command line.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel

from . import __version__
from ._assess import Assessment
from ._batch import BatchError
from ._contract import Case, Decision
from ._partial import PartialCase
from ._record import DecisionRecord
from ._tables._format import OpenQuestions, QuestionCatalogue, SourceRegistry, TableFile

__all__ = ["SCHEMAS", "schema_of", "schema_text"]

SCHEMAS: dict[str, type[BaseModel]] = {
    "tables": TableFile,
    "sources": SourceRegistry,
    "open-questions": OpenQuestions,
    "questions": QuestionCatalogue,
    "case": Case,
    "decision": Decision,
    "decision-record": DecisionRecord,
    "batch-error": BatchError,
    "partial-case": PartialCase,
    "assessment": Assessment,
}
"""The models whose JSON Schema can be printed, by the name ``betanketid-rules schema`` takes."""


#: The JSON Schema dialect pydantic generates (draft 2020-12), named by its standard URI.
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _without_examples(node: Any) -> Any:
    """``node`` with the doctest examples cut from every description (they are for Python
    readers of the docstrings, not for a schema)."""
    if isinstance(node, dict):
        cleaned = {key: _without_examples(value) for key, value in node.items()}
        description = cleaned.get("description")
        if isinstance(description, str) and ">>>" in description:
            cleaned["description"] = description.split(">>>")[0].rstrip()
        return cleaned
    if isinstance(node, list):
        return [_without_examples(item) for item in node]
    return node


def schema_of(which: str) -> dict[str, Any]:
    """The JSON Schema called ``which``, with ``$schema`` and ``$id``.

    ``$id`` is a URN naming the schema and the package version (the project publishes no URL
    for its schemas).

    >>> schema = schema_of("case")
    >>> schema["$id"], schema["title"]
    ('urn:betanketid-rules:schema:case:0.2.0', 'Case')
    """
    model = SCHEMAS[which]
    mode: Literal["validation", "serialization"] = (
        "serialization" if model in (Decision, Assessment) else "validation"
    )
    schema = _without_examples(model.model_json_schema(mode=mode, by_alias=True))
    return {
        "$schema": DIALECT,
        "$id": f"urn:betanketid-rules:schema:{which}:{__version__}",
        **schema,
    }


def schema_text(which: str) -> str:
    """The JSON Schema called ``which`` as indented JSON.

    >>> '"title": "Case"' in schema_text("case")
    True
    >>> schema_text("decision").endswith("}\\n")
    True
    """
    return json.dumps(schema_of(which), indent=2, ensure_ascii=False) + "\n"
