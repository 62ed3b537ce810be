"""The built page of the 5 kap. 15 § standing tables, rendered in headless Chromium.

Chromium loads the page as a reader would (the furo theme, the extension's stylesheet) and
this test checks what is really shown: the rule tables, the citations and the status markers
are laid out with a size, not hidden, in the status colours; and the screenshot of the first
screen holds those colours as pixels. The screenshot, the DOM and the measurements are kept
under ``artifacts/`` (git-ignored) for a human to look at.

Needs Debian's ``chromium`` (``apt-get install -y chromium``); skipped where it is absent,
except with ``BETANKETID_REQUIRE_CHROMIUM=1`` (as ``.ci/run`` sets it), where that fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

pytest.importorskip("sphinx", reason="the docs extra (Sphinx) is not installed")

from test_docs import built, make_id

from betanketid_rules._tables import TableSet, load_table_set

pytestmark = pytest.mark.chromium

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
FAMILY = "utl-5-15-standing"
# Tall enough for the first rule table (the version in force, first on the page): 3,200 until
# its rows for 5 kap. 15 b, 16 a and 15 d §§ made it end at about 3,250.
WIDTH, HEIGHT = 1280, 4000

#: The status colours of the extension's stylesheet (background of the markers).
STATUS_RGB = {
    "confirmed": (0x1A, 0x7F, 0x37),
    "secondary": (0x9A, 0x67, 0x00),
    "inferred": (0x57, 0x60, 0x6A),  # neutral: "not verified yet", never the red of "wrong"
}


def chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    message = (
        "headless Chromium not found: install Debian's chromium "
        "(apt-get install -y chromium) or set CHROMIUM=/path/to/chromium"
    )
    if os.environ.get("BETANKETID_REQUIRE_CHROMIUM") == "1":  # CI: a missing browser fails
        pytest.fail(message)
    pytest.skip(message)


def run_chromium(
    profile: Path, *args: str, size: tuple[int, int] = (WIDTH, HEIGHT)
) -> subprocess.CompletedProcess[bytes]:
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={size[0]},{size[1]}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, timeout=180, check=False)


PROBE = """
<script>
window.addEventListener("load", () => {
  const shown = (e) => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility === "visible" && s.display !== "none"
      && parseFloat(s.opacity) > 0;
  };
  const report = (selector) => {
    const all = [...document.querySelectorAll(selector)];
    return {count: all.length, shown: all.filter(shown).length};
  };
  const colours = {};
  for (const status of ["confirmed", "secondary", "inferred"]) {
    const marker = document.querySelector(".bk-status-" + status);
    colours[status] = marker ? getComputedStyle(marker).backgroundColor : null;
  }
  const table = document.querySelector("table.bk-table").getBoundingClientRect();
  const out = document.createElement("pre");
  out.id = "bk-probe";
  out.textContent = JSON.stringify({
    tables: report("table.bk-table"),
    rows: report("tr.bk-row"),
    citations: report("ul.bk-citations > li"),
    links: report("ul.bk-citations a.bk-url"),
    markers: report("span.bk-status"),
    colours: colours,
    table: {left: table.left, right: table.right, width: table.width, top: table.top,
            bottom: table.bottom},
    viewport: window.innerWidth,
    pageWidth: document.documentElement.scrollWidth,
  });
  document.body.appendChild(out);
});
</script>
"""


def png_pixels(data: bytes) -> tuple[int, int, int, bytes]:
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG: (width, height, channels, pixels)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat, header = 8, b"", b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and interlace == 0 and colour in (2, 6), (depth, colour, interlace)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    out = bytearray()
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        out += line
        previous = line
    return width, height, channels, bytes(out)


@pytest.fixture(scope="module")
def standing_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chromium()
    html_dir = built(tmp_path_factory, "html")
    return html_dir / "tables" / f"{FAMILY}.html"


def test_standing_tables_render_visibly_in_chromium(standing_page: Path, tmp_path: Path) -> None:
    table_set: TableSet = load_table_set(ROOT / "tables")
    tables = table_set.families[FAMILY]
    rows = sum(len(t.spec.rows) for t in tables)
    citations = sum(len(r.citations) for t in tables for r in t.spec.rows)
    # Each citation links its source's URL, and each preparatory work its own.
    linked = [
        source
        for t in tables
        for r in t.spec.rows
        for c in r.citations
        for source in (c.source, *(work.source for work in c.preparatory_works))
    ]
    with_url = sum(1 for source in linked if table_set.sources[source].url is not None)
    ARTIFACTS.mkdir(exist_ok=True)

    # 1. The DOM as Chromium laid it out, measured by a script in a copy of the page.
    probe = standing_page.with_name(f"{FAMILY}.probe.html")
    probe.write_text(
        standing_page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
        encoding="utf-8",
    )
    result = run_chromium(tmp_path / "profile-dom", "--dump-dom", probe.as_uri())
    dom = result.stdout.decode("utf-8", "replace")
    (ARTIFACTS / f"docs-{FAMILY}.dom.html").write_text(dom, encoding="utf-8")
    found = re.search(r'<pre id="bk-probe">(.*?)</pre>', dom, re.S)
    assert found is not None, f"no probe output; chromium said:\n{result.stderr.decode()[-2000:]}"
    measured = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    (ARTIFACTS / f"docs-{FAMILY}.probe.json").write_text(
        json.dumps(measured, indent=2), encoding="utf-8"
    )

    assert measured["tables"] == {"count": len(tables), "shown": len(tables)}
    assert measured["rows"] == {"count": rows, "shown": rows}
    assert measured["citations"] == {"count": citations, "shown": citations}
    assert measured["links"] == {"count": with_url, "shown": with_url}
    # One marker per row and per citation in the tables, plus the overview's and counts'.
    assert measured["markers"]["count"] >= rows + citations
    assert measured["markers"]["shown"] == measured["markers"]["count"]
    for status, rgb in STATUS_RGB.items():
        assert measured["colours"][status] == "rgb({}, {}, {})".format(*rgb), status
    # The rule table fits the page: nothing cut off to the right.
    assert measured["table"]["width"] > 600
    assert measured["table"]["right"] <= measured["viewport"]
    # The first rule table (rows, citations, markers) lies within the screenshot below.
    assert 0 < measured["table"]["top"] < measured["table"]["bottom"] <= HEIGHT

    # The row of the board's reflection period is in the DOM with its citations and marker.
    row = re.search(
        rf'<tr[^>]*id="{make_id("row-" + FAMILY + "@2022-08-01/5-15-2st-sn")}"[^>]*>(.*?)</tr>',
        dom,
        re.S,
    )
    assert row is not None
    assert "bk-status-confirmed" in row.group(1) and "www.migrationsverket.se" in row.group(1)

    # 2. The page as a picture, down to the end of the first rule table: kept as an
    #    artifact, and the three marker colours are in it as pixels.
    shot = tmp_path / f"docs-{FAMILY}.png"
    result = run_chromium(tmp_path / "profile-shot", f"--screenshot={shot}", standing_page.as_uri())
    assert shot.is_file(), result.stderr.decode()[-2000:]
    shutil.copyfile(shot, ARTIFACTS / shot.name)
    width, height, channels, pixels = png_pixels(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    colours = {pixels[i : i + 3] for i in range(0, len(pixels), channels)}
    assert len(colours) > 50, "the screenshot is nearly blank"
    for status, rgb in STATUS_RGB.items():
        assert bytes(rgb) in colours, f"no {status} marker colour in the screenshot"


PHONE = {"width": 390, "height": 1600}


def test_a_table_page_reads_on_a_phone(standing_page: Path) -> None:
    """At 390 px (Playwright driving the same Chromium: the browser's own window cannot be
    narrower than 500 px) the page itself never scrolls sideways (a rule table scrolls inside
    its own box), every row is shown, and the screenshot is kept in artifacts/ to look at."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport=PHONE)
            page.goto(standing_page.as_uri())
            measured = page.evaluate(
                """() => ({
                    viewport: window.innerWidth,
                    pageWidth: document.documentElement.scrollWidth,
                    rows: document.querySelectorAll("tr.bk-row").length,
                    shown: [...document.querySelectorAll("tr.bk-row")]
                        .filter(r => r.getBoundingClientRect().height > 0).length,
                })"""
            )
            page.screenshot(path=str(ARTIFACTS / f"docs-{FAMILY}-390.png"))
        finally:
            browser.close()
    assert measured["viewport"] == PHONE["width"]
    assert measured["pageWidth"] <= measured["viewport"], measured
    assert measured["shown"] == measured["rows"] > 0
