"""JSON Schemas of the table format and of the contract, by name.

``betanketid-rules schema`` prints them and the documentation shows them; both read them here,
so the documentation does not import the command line.
"""

from __future__ import annotations

import importlib
import json
from typing import Any, Literal

from pydantic import BaseModel

from ._version import VERSION

__all__ = ["SCHEMA_NAMES", "model_of", "schema_of", "schema_text"]  # and SCHEMAS, built lazily

#: Each schema's name (what ``betanketid-rules schema`` takes) and where its model is defined;
#: the models are imported when a schema is asked for, not when the command line starts.
_MODELS: dict[str, tuple[str, str]] = {
    "tables": ("._tables._format", "TableFile"),
    "sources": ("._tables._format", "SourceRegistry"),
    "open-questions": ("._tables._format", "OpenQuestions"),
    "questions": ("._tables._format", "QuestionCatalogue"),
    "case": ("._contract", "Case"),
    "decision": ("._contract", "Decision"),
    "decision-record": ("._record", "DecisionRecord"),
    "compact-record": ("._record", "CompactRecord"),
    "batch-error": ("._batch", "BatchError"),
    "partial-case": ("._partial", "PartialCase"),
    "assessment": ("._assess", "Assessment"),
}
SCHEMA_NAMES = tuple(_MODELS)
#: The schemas of what the library writes (their serialised form); the others are read.
_OUTPUTS = frozenset({"decision", "decision-record", "compact-record", "batch-error", "assessment"})
"""The names of the schemas ``betanketid-rules schema`` prints."""


def model_of(which: str) -> type[BaseModel]:
    """The model whose JSON Schema is called ``which``.

    >>> model_of("case").__name__
    'Case'
    """
    module, name = _MODELS[which]
    model: type[BaseModel] = getattr(importlib.import_module(module, __package__), name)
    return model


def __getattr__(name: str) -> dict[str, type[BaseModel]]:
    """``SCHEMAS``: every model by its schema name (imports them all)."""
    if name == "SCHEMAS":
        return {which: model_of(which) for which in SCHEMA_NAMES}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    model = model_of(which)
    mode: Literal["validation", "serialization"] = (
        "serialization" if which in _OUTPUTS else "validation"
    )
    schema = _without_examples(model.model_json_schema(mode=mode, by_alias=True))
    return {
        "$schema": DIALECT,
        "$id": f"urn:betanketid-rules:schema:{which}:{VERSION}",
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
