"""The ``--html`` pages in a real browser: headless Chromium from the OS's packages, driven by Playwright.

Skips, saying why, where no Chromium is installed (``apt-get install chromium``; or name one with
``$MPCHECK_CHROMIUM``) or Playwright is not (``pip install .[browser]``, or ``nox -s browser``, which
installs it). Playwright never downloads a browser here: it is given the system's.

Each page (a real run whose scenarios fail, crash and print markup; a merged report of three OSes; a
real ``mpcheck suite`` run) must load with no console error and no request beyond its own file, show
one cell per (column, row) of its report, and open a failing cell's facts on a click. With
``$MPCHECK_SCREENSHOTS=DIR`` (``nox -s screenshots`` sets docs/images) the screenshots the docs show
are written there; otherwise into the test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
from support.synthetic import SCENARIOS, synthetic_report

from mpcheck.catalog import merge

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: as the system's Chromium runs headless as root in a container: no sandbox, no GPU, nothing fetched
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip


def find_browser() -> str:
    named = os.environ.get("MPCHECK_CHROMIUM")
    if named:
        return named
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(f"no Chromium installed ({', '.join(BROWSERS)} not on PATH; apt-get install chromium)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = find_browser()
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install '.[browser]', or nox -s browser)"
    )
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    where = os.environ.get("MPCHECK_SCREENSHOTS")
    folder = Path(where) if where else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Opened:
    """A page loaded from its file, with every console message, page error and request it caused."""

    def __init__(self, browser: Any, path: Path, width: int = 1400, height: int = 900, dark: bool = False) -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, color_scheme="dark" if dark else "light"
        )
        self.page = self.context.new_page()
        self.console: List[str] = []
        self.requests: List[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url, wait_until="load")

    def check_clean(self) -> None:
        assert self.console == [], self.console
        assert self.requests == [self.url], "nothing but the page itself was requested"

    def cells(self) -> Any:
        return self.page.locator("table.grid > tbody > tr > td.cell")

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def merged_3_os(tmp_path_factory) -> Dict[str, Any]:
    """A real run of the whole catalog here, merged with darwin and win32 reports made from the catalog's
    expectations (one failure injected under darwin 3.13's spawn, to show a failing cell)."""
    where = tmp_path_factory.mktemp("merged")
    here = where / "linux.json"
    proc = subprocess.run(
        [sys.executable, "-m", "mpcheck", "run", "--quiet", "--json", str(here)], capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip
    assert here.exists(), proc.stdout + proc.stderr
    fail = {("default_start_method", "spawn"): ("default", "fork")}
    paths = [
        here,
        synthetic_report(where / "darwin-3.12.json", "darwin", "3.12.10"),
        synthetic_report(where / "darwin-3.13.json", "darwin", "3.13.9", fail),
        synthetic_report(where / "win32-3.13.json", "win32", "3.13.9"),
    ]
    out = where / "merged.html"
    subprocess.run(
        [sys.executable, "-m", "mpcheck", "merge", *map(str, paths), "--html", str(out)], capture_output=True,
        timeout=300,
    )  # fmt: skip
    return {"html_path": out, "merged": merge.load(paths)}


def test_run_page_loads_clean_and_a_failing_cell_opens(browser, real_run):
    opened = Opened(browser, real_run["html_path"])
    page = opened.page
    try:
        opened.check_clean()
        assert page.title() != "pwned", "a scenario's output never runs as script"
        assert opened.cells().count() == len(real_run["json"]["cells"])
        failed = page.locator("td.cell[data-status=failed] summary").first
        sheet = page.locator("td.cell[data-status=failed] .sheet").first
        assert not sheet.is_visible()
        failed.click()
        assert sheet.is_visible()
        assert "child_sees" in sheet.inner_text() and '"<u>import</u>"' in sheet.inner_text()
        page.keyboard.press("Escape")
        assert not sheet.is_visible(), "Escape closes it"
        failed.click()
        sheet.locator("button.close").click()
        assert not sheet.is_visible(), "so does its Close button"
        # one panel at a time: opening another closes the first
        crashed = page.locator("td.cell[data-status=crashed] summary").first
        failed.click()
        crashed.click()
        assert not sheet.is_visible() and page.locator("td.cell[data-status=crashed] .sheet").first.is_visible()
        opened.check_clean()
    finally:
        opened.close()


def test_merged_3_os_page(browser, merged_3_os, shots):
    merged = merged_3_os["merged"]
    opened = Opened(browser, merged_3_os["html_path"], width=1800, height=1000)  # the grid beside the panel
    page = opened.page
    try:
        opened.check_clean()
        columns = merged.runtime_columns()
        assert opened.cells().count() == len(columns) * len(merged.scenarios) == len(columns) * len(SCENARIOS)
        assert page.locator("table.grid > thead > tr").first.locator("th").all_inner_texts()[1:] == [
            "linux", "darwin", "win32"
        ]  # fmt: skip
        # the script's filter: only the rows with a cell that did not pass
        rows = page.locator("table.grid > tbody > tr")
        page.locator("#only-problems").check()
        visible = [r for r in rows.all() if r.is_visible()]
        assert [r.locator("> th").inner_text().strip() for r in visible] == ["default_start_method"]
        page.locator("#only-problems").uncheck()
        assert all(r.is_visible() for r in rows.all()[:3])
        cell = page.locator("td.cell[data-status=failed] summary")
        assert cell.count() == 1
        cell.click()
        sheet = page.locator("td.cell[data-status=failed] .sheet")
        assert sheet.is_visible() and 'expected "spawn", observed "fork"' in sheet.inner_text().replace("\t", " ")
        page.screenshot(path=str(shots / "merged-3-os.png"))
        opened.check_clean()
    finally:
        opened.close()


def test_merged_page_on_a_phone_in_dark_mode(browser, merged_3_os, shots):
    opened = Opened(browser, merged_3_os["html_path"], width=390, height=844, dark=True)
    page = opened.page
    try:
        opened.check_clean()
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(20, 20, 20)", background
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "the grid scrolls inside its box; the page itself does not"
        page.locator("td.cell[data-status=failed] summary").click()
        sheet = page.locator("td.cell[data-status=failed] .sheet")
        box = sheet.bounding_box()
        assert box and box["x"] == 0 and box["width"] == 390, "a bottom sheet as wide as the phone"
        page.screenshot(path=str(shots / "merged-phone-dark.png"))
    finally:
        opened.close()


def test_suite_page(browser, tour, shots):
    opened = Opened(browser, tour["html_path"], width=1800, height=700)
    page = opened.page
    try:
        opened.check_clean()
        shown = [t for t in tour["json"]["tests"] if t["status"] in ("differ", "flaky")]
        assert opened.cells().count() == len(shown) * len(tour["json"]["methods"])
        test = next(t for t in shown if t["reason"])
        row = page.locator("table.grid > tbody > tr", has=page.locator(f'summary[title="{test["nodeid"]}"]'))
        row.locator("th summary").click()
        sheet = row.locator("th .sheet")
        assert sheet.is_visible() and test["reason"].split(" ", 1)[0] in sheet.inner_text()
        assert "Exposure" in sheet.inner_text()
        page.screenshot(path=str(shots / "suite.png"))
        page.keyboard.press("Escape")
        failing = row.locator("td.cell[data-status=failed] summary").first
        failing.click()
        assert row.locator("td.cell[data-status=failed] .sheet").first.is_visible()
        opened.check_clean()
    finally:
        opened.close()
