"""Parsing YAML with the line of every key and item (ruamel's round-trip parser), refusing
tags and counting nodes: :func:`._yaml.read_yaml` calls it for a file whose parse is not kept.
"""

from __future__ import annotations

import warnings
from datetime import date
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError, YAMLWarning

from ._yaml import MAX_NODES, Location, RefusedError

__all__ = ["parse"]


class _Plain:
    """Turns ruamel's round-trip nodes into plain data, counting nodes and refusing tags."""

    def __init__(self) -> None:
        self.lines: dict[Location, int] = {}
        self.nodes = 0

    def _count(self, line: int | None) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            reason = f"more than {MAX_NODES} values once aliases are expanded"
            raise RefusedError(line, reason, "too_large")

    def convert(self, node: Any, here: Location, line: int | None) -> Any:
        self._count(line)
        tag = getattr(getattr(node, "tag", None), "value", None)
        if isinstance(node, CommentedMap) and tag is None:
            return self._mapping(node, here)
        if isinstance(node, CommentedSeq) and tag is None:
            return self._sequence(node, here)
        if isinstance(node, str | bool | int | float | date) or node is None:
            return str(node) if isinstance(node, str) else node
        shown = tag or type(node).__name__
        raise RefusedError(
            line, f"unsupported YAML value ({shown}): tags are not allowed", "yaml_tag"
        )

    def _mapping(self, node: CommentedMap, here: Location) -> dict[Any, Any]:
        self.lines.setdefault(here, node.lc.line + 1)
        result: dict[Any, Any] = {}
        for key, value in node.items():
            line = node.lc.key(key)[0] + 1
            self.lines[(*here, str(key))] = line
            plain_key = key if isinstance(key, bool | int) else str(key)
            result[plain_key] = self.convert(value, (*here, str(key)), line)
        return result

    def _sequence(self, node: CommentedSeq, here: Location) -> list[Any]:
        self.lines.setdefault(here, node.lc.line + 1)
        items = []
        for index, value in enumerate(node):
            line = node.lc.item(index)[0] + 1
            self.lines[(*here, index)] = line
            items.append(self.convert(value, (*here, index), line))
        return items


def parse(text: str) -> tuple[Any, dict[Location, int]]:
    r"""The plain data of the YAML ``text`` and the line of every path in it; raises
    :class:`~._yaml.RefusedError` for a syntax error, a tag or too many nodes.

    >>> parse("a: [1, 2]\nb: x\n")
    ({'a': [1, 2], 'b': 'x'}, {(): 1, ('a',): 1, ('a', 0): 1, ('a', 1): 1, ('b',): 2})
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", YAMLWarning)  # e.g. an anchor defined twice
            raw = YAML(typ="rt").load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise RefusedError(line, f"YAML syntax: {error.problem}", "yaml_syntax") from None
    except YAMLError as error:
        raise RefusedError(None, f"YAML syntax: {error}", "yaml_syntax") from None
    except RecursionError:
        raise RefusedError(None, "YAML syntax: nested too deeply", "yaml_syntax") from None
    except (AttributeError, TypeError, ValueError) as error:
        # ruamel's constructors fail so on some malformed tagged nodes (``!!set`` on a scalar).
        reason = f"YAML syntax: a node cannot be read ({type(error).__name__})"
        raise RefusedError(None, reason, "yaml_syntax") from None
    plain = _Plain()
    try:
        return plain.convert(raw, (), None), plain.lines
    except RecursionError:
        raise RefusedError(None, "YAML syntax: nested too deeply", "yaml_syntax") from None
