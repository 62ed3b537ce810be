"""``betanketid-rules schema``: JSON Schemas of the table format and of the contract."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from .._contract import Case, Decision
from .._tables._format import OpenQuestions, SourceRegistry, TableFile
from ._common import EXIT_OK

SCHEMAS: dict[str, type[BaseModel]] = {
    "tables": TableFile,
    "sources": SourceRegistry,
    "open-questions": OpenQuestions,
    "case": Case,
    "decision": Decision,
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``schema`` command."""
    parser = subparsers.add_parser(
        "schema",
        help="print a JSON Schema (table files, source registry, open questions, Case, Decision)",
    )
    parser.add_argument("which", choices=sorted(SCHEMAS))
    parser.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    parser.set_defaults(run=run)


def schema_text(which: str) -> str:
    """The JSON Schema called ``which`` as indented JSON."""
    model = SCHEMAS[which]
    mode: Literal["validation", "serialization"] = (
        "serialization" if model is Decision else "validation"
    )
    schema = model.model_json_schema(mode=mode, by_alias=True)
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def run(args: argparse.Namespace) -> int:
    """Print or write the schema."""
    text = schema_text(args.which)
    if args.output is None:
        print(text, end="")
    else:
        args.output.write_text(text, encoding="utf-8")
    return EXIT_OK
