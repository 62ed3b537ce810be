"""``betanketid-console``: a shell session shown as a console block, checked by the tests."""

from __future__ import annotations

from docutils import nodes
from docutils.nodes import Node
from sphinx.util.docutils import SphinxDirective


class ConsoleDirective(SphinxDirective):
    """``.. betanketid-console::``: a shell session the test-suite runs and checks.

    Lines starting with ``$ `` are commands; the lines after one, up to the next command,
    are its expected output (``...`` matches anything, as in doctests).
    """

    has_content = True

    def run(self) -> list[Node]:
        text = "\n".join(self.content)
        block = nodes.literal_block(text, text, classes=["bk-console"])
        block["language"] = "console"
        self.set_source_info(block)
        return [block]
