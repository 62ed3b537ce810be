"""The table pages: ``betanketid-table`` (one table version) and ``betanketid-family``."""

from __future__ import annotations

from docutils import nodes
from docutils.nodes import Node

from ._renderer import _TablesDirective


class TableDirective(_TablesDirective):
    """``.. betanketid-table:: FAMILY@VERSION``: one table version and its rows."""

    required_arguments = 1

    def run(self) -> list[Node]:
        renderer = self.renderer()
        key = self.arguments[0].strip()
        try:
            table = renderer.table_set.table(key)
        except KeyError:
            return self.fail(f"betanketid-table: no table {key!r} in the table set")
        container = nodes.container(classes=["bk-table-version"])
        renderer.anchor(container, "table", table.key, table.key)
        container += renderer.table(table)
        return [container]


class FamilyDirective(_TablesDirective):
    """``.. betanketid-family:: FAMILY``: every wording of a family, and what changed."""

    required_arguments = 1

    def run(self) -> list[Node]:
        renderer = self.renderer()
        family = self.arguments[0].strip()
        if family not in renderer.table_set.families:
            return self.fail(f"betanketid-family: no family {family!r} in the table set")
        return renderer.family(family)
