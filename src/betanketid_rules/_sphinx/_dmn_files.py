"""The exported DMN files in the HTML build (``betanketid-dmn-files``).

When an HTML build finishes, every table version and every period of the documented table set
is exported as DMN 1.3 (``betanketid-rules export dmn``) into ``dmn/sv/`` and ``dmn/en/`` of the
output, one language each; the directive lists the files with a link to each.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.nodes import Node
from sphinx.application import Sphinx

from .._export._dmn import period_file_name, table_file_name, write_dmn
from .._types import Lang
from ._nodes import _bullets, _para
from ._renderer import _TablesDirective
from ._table_set import table_set_of

#: The folder of the HTML output the files are written to.
FOLDER = "dmn"
LANGS: tuple[Lang, ...] = ("sv", "en")


def write_dmn_files(app: Sphinx, exception: BaseException | None) -> None:
    """Export the documented table set into the HTML output (build-finished)."""
    if exception is not None or app.builder.format != "html":
        return
    table_set = table_set_of(app.config)
    for lang in LANGS:
        write_dmn(table_set, Path(app.outdir) / FOLDER / lang, lang=lang)


class DmnFilesDirective(_TablesDirective):
    """``.. betanketid-dmn-files::``: a link to each exported file, in each language."""

    def run(self) -> list[Node]:
        table_set = self.renderer().table_set
        up = "../" * self.env.docname.count("/")

        def links(file_name: str, label: str) -> list[Node]:
            paragraph = _para(nodes.literal("", label), " — ")
            for index, lang in enumerate(LANGS):
                if index:
                    paragraph += nodes.Text(" · ")
                uri = f"{up}{FOLDER}/{lang}/{file_name}"
                paragraph += nodes.reference("", f"{lang} ({file_name})", refuri=uri)
            return [paragraph]

        tables = _bullets(links(table_file_name(table), table.key) for table in table_set)
        periods = _bullets(
            links(
                period_file_name(period),
                f"{period.first_day.isoformat()} – "
                f"{period.last_day.isoformat() if period.last_day else ''}".strip(),
            )
            for period in table_set.periods()
        )
        return [
            _para("Tabellversioner / Table versions:"),
            tables,
            _para("Perioder, tabellerna kedjade / Periods, the tables chained:"),
            periods,
        ]
