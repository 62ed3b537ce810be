"""The contract's pages: ``betanketid-schema`` (a JSON Schema) and ``betanketid-fields``."""

from __future__ import annotations

import importlib
import types
import typing
from typing import Any

from docutils import nodes
from docutils.nodes import Node
from pydantic import BaseModel
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .._schemas import SCHEMAS, schema_text
from ._nodes import _grid, _para

logger = logging.getLogger(__name__)


class SchemaDirective(SphinxDirective):
    """``.. betanketid-schema:: case|decision``: a JSON Schema of the contract."""

    required_arguments = 1

    def run(self) -> list[Node]:
        which = self.arguments[0].strip()
        if which not in SCHEMAS:
            logger.warning(
                "betanketid-schema: %r is not one of %s",
                which,
                ", ".join(sorted(SCHEMAS)),
                location=self.get_location(),
            )
            return []
        text = schema_text(which)
        block = nodes.literal_block(text, text, classes=["bk-schema"])
        block["language"] = "json"
        return [block]


def type_text(annotation: Any) -> str:
    """A field's type as a reader writes it: ``'a' | 'b'``, ``int | None``, ``tuple[X, ...]``.

    >>> from typing import Literal
    >>> type_text(Literal["grant", "refuse"] | None)
    "'grant' | 'refuse' | None"
    >>> type_text(tuple[int, ...])
    'tuple[int, ...]'
    """
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation is None or annotation is type(None):
        return "None"
    if origin is typing.Literal:
        return " | ".join(repr(arg) for arg in args)
    if origin is typing.Annotated:
        return type_text(args[0])
    if origin is typing.Union or origin is types.UnionType:
        return " | ".join(type_text(arg) for arg in args)
    if origin is not None:
        inner = ", ".join("..." if arg is Ellipsis else type_text(arg) for arg in args)
        return f"{getattr(origin, '__name__', str(origin))}[{inner}]"
    return getattr(annotation, "__name__", str(annotation))


class FieldsDirective(SphinxDirective):
    """``.. betanketid-fields:: module.Model``: the fields of a pydantic model as a table."""

    required_arguments = 1

    def run(self) -> list[Node]:
        path = self.arguments[0].strip()
        module_name, _, name = path.rpartition(".")
        model = getattr(importlib.import_module(module_name), name, None)
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            logger.warning(
                "betanketid-fields: %s is not a pydantic model", path, location=self.get_location()
            )
            return []
        grid, body = _grid(
            ["bk-fields-table"], ("Field", "Type", "Default", "Description"), (20, 25, 15, 40)
        )
        for field_name, info in model.model_fields.items():
            if info.is_required():
                default = "required"
            elif info.default_factory is not None:
                default = f"{getattr(info.default_factory, '__name__', 'factory')}()"
            else:
                default = repr(info.default)
            type_name = type_text(info.annotation)
            row = nodes.row()
            for cell in (
                _para(nodes.literal(field_name, field_name)),
                _para(nodes.literal(type_name, type_name)),
                _para(default),
                _para(info.description or ""),
            ):
                entry = nodes.entry()
                entry += cell
                row += entry
            body += row
        return [grid]
