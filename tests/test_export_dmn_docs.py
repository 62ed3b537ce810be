"""The docs link each table version's DMN file (and each period's), in Swedish and English,
and the linked files are the export of the documented tables."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

pytest.importorskip("sphinx", reason="the docs extra (Sphinx) is not installed")

from test_docs import built

from betanketid_rules._export._dmn import write_dmn
from betanketid_rules._tables import default_table_set


def test_the_dmn_page_links_every_exported_file(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    html_dir = built(tmp_path_factory, "html")
    page = html_dir / "guide" / "dmn.html"
    links = {
        html.unescape(href)
        for href in re.findall(r'href="(\.\./dmn/[^"]+)"', page.read_text(encoding="utf-8"))
    }
    tables = default_table_set()
    for lang in ("sv", "en"):
        expected = write_dmn(tables, tmp_path / lang, lang=lang)
        assert len(expected) == len(list(tables)) + len(tables.periods())
        for path in expected:
            link = f"../dmn/{lang}/{path.name}"
            assert link in links, link
            served = (page.parent / link).resolve()
            assert served.read_bytes() == path.read_bytes(), link
