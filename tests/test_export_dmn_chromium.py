"""Every exported DMN file opens in bpmn.io's dmn-js (the modeler's own library) in headless
Chromium: imported with no warnings, every view (the decision requirements diagram and each
decision table) opened and drawn, each table with one row per rule.

Playwright drives Debian's ``chromium`` (as ``test_docs_chromium`` does); dmn-js comes from the
npm packages of ``tools/dmn`` (``npm ci``). Both are skipped where missing, except in CI
(``BETANKETID_REQUIRE_CHROMIUM=1``, ``BETANKETID_REQUIRE_DMN_TOOLS=1``), where that fails.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from dmn_support import NODE_MODULES, require_dmn_tools
from test_docs_chromium import ARTIFACTS, chromium

from betanketid_rules._export._dmn import MODEL, write_dmn
from betanketid_rules._tables import default_table_set

pytestmark = pytest.mark.chromium

DIST = NODE_MODULES / "dmn-js" / "dist"

PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="{dist}/assets/dmn-js-shared.css">
<link rel="stylesheet" href="{dist}/assets/dmn-js-drd.css">
<link rel="stylesheet" href="{dist}/assets/dmn-js-decision-table.css">
<link rel="stylesheet" href="{dist}/assets/diagram-js.css">
</head><body><div id="canvas" style="width: 1400px; height: 900px"></div>
<script src="{dist}/dmn-modeler.development.js"></script>
</body></html>
"""

#: Import one file, open every view and report what was drawn.
OPEN_ALL = """async (xml) => {
  const modeler = new DmnJS({ container: '#canvas' });
  const report = { warnings: [], views: [] };
  try {
    const { warnings } = await modeler.importXML(xml);
    report.warnings = warnings.map((w) => String(w.message || w));
    for (const view of modeler.getViews()) {
      await modeler.open(view);
      const drawn = {
        type: view.type,
        name: view.element.name || view.element.id,
        rules: document.querySelectorAll('#canvas .tjs-table tbody tr').length,
        shapes: document.querySelectorAll('#canvas .djs-shape').length,
      };
      report.views.push(drawn);
    }
  } catch (error) {
    report.error = String(error && error.message || error);
  } finally {
    modeler.destroy();
  }
  return report;
}"""


#: Import one file and open its view number ``index`` (kept open for a screenshot).
SHOW = """async ([xml, index]) => {
  document.querySelector('#canvas').innerHTML = '';
  const modeler = new DmnJS({ container: '#canvas' });
  await modeler.importXML(xml);
  await modeler.open(modeler.getViews()[index]);
}"""


def _keep_screenshots(page: Any, out: Path) -> None:
    """The chained diagram of the latest period and its conditions table, for a human to see
    (under artifacts/, git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    latest = sorted(out.glob("in-force@*.dmn"))[-1]
    for index, what in ((0, "diagram"), (2, "conditions")):
        page.evaluate(SHOW, [latest.read_text(encoding="utf-8"), index])
        page.screenshot(path=str(ARTIFACTS / f"dmn-js-{latest.stem}-{what}.png"), full_page=True)


def _planted(out: Path) -> str:
    text = (out / "utl-5-15-conditions@2022-08-01.dmn").read_text(encoding="utf-8")
    assert 'dmnElementRef="input_route"' in text
    return text.replace('dmnElementRef="input_route"', 'dmnElementRef="nowhere"')


def test_dmn_js_opens_every_exported_file(tmp_path: Path) -> None:
    require_dmn_tools()
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    browser_path = chromium()
    table_set = default_table_set()
    out = tmp_path / "dmn"
    files = write_dmn(table_set, out, lang="en")
    page_file = tmp_path / "dmn-js.html"
    page_file.write_text(PAGE.format(dist=DIST.as_uri()), encoding="utf-8")
    reports: dict[str, dict[str, Any]] = {}
    console: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
            page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
            page.goto(page_file.as_uri())
            for path in files:
                reports[path.name] = page.evaluate(OPEN_ALL, path.read_text(encoding="utf-8"))
            planted = page.evaluate(OPEN_ALL, _planted(out))
            _keep_screenshots(page, out)
        finally:
            browser.close()
    assert [line for line in console if line.startswith(("error", "pageerror"))] == []
    # The check can fail: a diagram shape of nothing is a warning of dmn-js.
    assert any("unresolved reference" in warning for warning in planted["warnings"]), planted
    rules = {f"{table.key}.dmn": len(table.spec.rows) for table in table_set}
    for period in table_set.periods():
        key = f"in-force@{period.first_day.isoformat()}.dmn"
        rules[key] = sum(len(table.spec.rows) for table in period.tables)
    for name, report in reports.items():
        assert "error" not in report, (name, report)
        assert report["warnings"] == [], (name, report["warnings"])
        kinds = [view["type"] for view in report["views"]]
        assert kinds[0] == "drd" and kinds.count("decisionTable") == len(kinds) - 1, name
        drd = report["views"][0]
        root = ET.parse(out / name).getroot()
        elements = [e for e in root if e.tag in (f"{{{MODEL}}}decision", f"{{{MODEL}}}inputData")]
        assert drd["shapes"] == len(elements), (name, drd)
        assert sum(view["rules"] for view in report["views"][1:]) == rules[name], (name, report)
