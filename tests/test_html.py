"""``--html`` of ``mpcheck run``, ``mpcheck merge`` and ``mpcheck suite``: what the page says, read back.

The run is real (user scenarios that pass, fail and crash, printing and reporting markup); the merged
reports of other OSes are synthetic (tests/support/synthetic.py); the suite report is a real run of the tour
project (both real runs are fixtures of tests/conftest.py). Every page is parsed with the stdlib's parser and
must be well formed. What a browser makes of it: tests/test_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Any, List

from support.page import Node, parse
from support.projects import PROJECTS
from support.synthetic import HOSTILE_STDERR, SCENARIOS, suite_report, synthetic_report

from mpcheck.catalog import merge, report
from mpcheck.catalog.results import STATUSES
from mpcheck.render import htmlpage, styles
from mpcheck.suite import html as suite_html

ROOT = Path(__file__).resolve().parent.parent


def mpcheck(*args: str, **kwargs: Any) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mpcheck", *args], capture_output=True, text=True, timeout=600, **kwargs
    )


def grid_cells(doc: Node) -> List[Node]:
    return doc.find("table", "grid").find("tbody").find_all("td", "cell")


def test_run_page_has_a_cell_per_scenario_and_method_spelled_as_the_report_says(real_run):
    doc = parse(real_run["html"])
    cells = real_run["json"]["cells"]
    rows = doc.find("table", "grid").find("tbody").children_of("tr")
    assert [r.find("th").text.strip() for r in rows] == sorted({c["scenario"] for c in cells})
    shown = grid_cells(doc)
    assert len(shown) == len(cells) == 6
    methods = [th.text for th in doc.find("table", "grid").find("thead").children_of("tr")[-1].children_of("th")]
    assert methods == ["fork", "spawn", "forkserver"]
    by_key = {(c["scenario"], c["method"]): c["status"] for c in cells}
    for row in rows:
        scenario = row.find("th").text.strip()
        for method, td in zip(methods, row.children_of("td")):
            status = by_key[(scenario, method)]
            assert td.attrs["data-status"] == status
            assert td.text.strip().startswith(styles.label(status)), (scenario, method, td.text)
    assert {(c["scenario"], c["method"], c["status"]) for c in cells} == {
        ("hostile_output", "fork", "passed"),
        ("hostile_output", "spawn", "crashed"),
        ("hostile_output", "forkserver", "crashed"),
        ("sees_main_change", "fork", "passed"),
        ("sees_main_change", "spawn", "failed"),
        ("sees_main_change", "forkserver", "failed"),
    }


def test_run_page_escapes_what_scenarios_print_and_report(real_run):
    text = real_run["html"]
    doc = parse(text)
    assert [n.tag for n in doc.iter() if n.tag in ("script", "u", "img", "iframe")] == ["script"]
    assert not [n for n in doc.iter() if any(k.startswith("on") for k in n.attrs)], "no event handler attributes"
    # the hostile line is shown, as text, in each crashed cell's panel
    assert text.count("&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;") >= 2
    panels = [td for td in grid_cells(doc) if td.attrs["data-status"] == "crashed"]
    assert len(panels) == 2 and all(HOSTILE_STDERR in td.find("pre").text for td in panels)


def test_every_cell_that_did_not_pass_opens_to_its_facts_stderr_and_cause(real_run):
    doc = parse(real_run["html"])
    cells = {(c["scenario"], c["method"]): c for c in real_run["json"]["cells"]}
    for td in grid_cells(doc):
        status = td.attrs["data-status"]
        details = td.find_all("details")
        if status == "passed":
            assert not details, "a passed cell has nothing to open"
            continue
        (panel,) = details
        scenario, _, _, method = panel.find("summary").attr("title").split(" · ")
        cell = cells[(scenario, method)]
        sheet = panel.find("div", "sheet")
        assert cell["detail"] in sheet.text
        facts = sheet.find("table", "facts").find("tbody").children_of("tr")
        if status == "failed":
            (row,) = facts
            assert [x.text for x in row.children_of("td")][:2] == ['"<u>main</u>"', '"<u>import</u>"']
            assert row.find("th").text == "child_sees"
            assert "Likely cause" not in sheet.text, "no hint in its output: no cause named"
        else:
            assert [r.find("th").text for r in facts] == ["exitcode"]
            cause = report.likely_cause(cell)
            assert cause and "lambda" in cause, cause
            assert cause in sheet.text
            assert "PicklingError" in sheet.find("pre").text


def test_merged_page_groups_columns_by_os_then_python_then_method(tmp_path):
    fail = {("default_start_method", "spawn"): ("default", "fork")}
    paths = [
        synthetic_report(tmp_path / "l12.json", "linux", "3.12.10"),
        synthetic_report(tmp_path / "l13.json", "linux", "3.13.9"),
        synthetic_report(tmp_path / "d12.json", "darwin", "3.12.10"),
        synthetic_report(tmp_path / "d13.json", "darwin", "3.13.9", fail),
        synthetic_report(tmp_path / "w13.json", "win32", "3.13.9"),
    ]
    out = tmp_path / "m.html"
    proc = mpcheck("merge", *map(str, paths), "--html", str(out))
    assert proc.returncode == 1, proc.stderr
    doc = parse(out.read_text(encoding="utf-8"))
    head = doc.find("table", "grid").find("thead").children_of("tr")

    def row(i: int) -> List[tuple]:
        return [(th.text, int(th.attrs.get("colspan") or 1)) for th in head[i].children_of("th")]

    assert row(0) == [("scenario", 1), ("linux", 3), ("darwin", 6), ("win32", 3)]
    # linux agrees on both Pythons: one group; darwin differs on 3.13 spawn: one group per Python
    assert row(1) == [("Python 3.12–3.13", 3), ("Python 3.12.10", 3), ("Python 3.13.9", 3), ("Python 3.13.9", 3)]
    assert [t for t, _ in row(2)] == ["fork", "spawn", "forkserver"] * 4
    assert len(grid_cells(doc)) == 12 * len(SCENARIOS)
    failed = [td for td in grid_cells(doc) if td.attrs["data-status"] == "failed"]
    assert len(failed) == 1
    assert failed[0].find("summary").attrs["title"] == "default_start_method · darwin · Python 3.13.9 · spawn"
    assert '"spawn"' in failed[0].text and '"fork"' in failed[0].text
    # the scenario's pitfall, from mpcheck.pitfalls, labelled as what it proves (not as the cause)
    assert "What this scenario proves" in failed[0].text and "MP116" in failed[0].text
    unavailable = [td for td in grid_cells(doc) if td.attrs["data-status"] == "unavailable"]
    # n/a cells open to why (win32 has no fork, a scenario that needs a method...)
    assert unavailable and all(td.find("div", "sheet").find("p").text.strip() for td in unavailable)
    win_fork = [td for td in unavailable if td.find("summary").attr("title").endswith("win32 · Python 3.13.9 · fork")]
    assert win_fork and all("win32 has no 'fork' start method" in td.text for td in win_fork)


def test_runtime_columns_split_a_platform_by_python_only_where_it_differs(tmp_path):
    fail = {("default_start_method", "spawn"): ("default", "fork")}
    paths = [
        synthetic_report(tmp_path / "a.json", "darwin", "3.12.10"),
        synthetic_report(tmp_path / "b.json", "darwin", "3.13.9", fail),
        synthetic_report(tmp_path / "c.json", "linux", "3.12.10"),
        synthetic_report(tmp_path / "d.json", "linux", "3.13.9"),
        synthetic_report(tmp_path / "e.json", "linux", "3.11.17", impl="pypy", impl_version="7.3.19"),
    ]
    columns = merge.load(paths).runtime_columns()
    groups = [(c.platform, c.impl, c.pythons, c.method) for c in columns]
    methods = ["fork", "spawn", "forkserver"]
    assert groups == (
        [("linux", "cpython", ("3.12.10", "3.13.9"), m) for m in methods]
        + [("linux", "pypy", ("PyPy 7.3.19 (Python 3.11.17)",), m) for m in methods]
        + [("darwin", "cpython", ("3.12.10",), m) for m in methods]
        + [("darwin", "cpython", ("3.13.9",), m) for m in methods]
    )


def test_status_spelling_and_colour_come_from_styles():
    """Every status a page can show is spelled by styles.label and coloured from its rich style, with a
    rule for each colour in light and in dark mode."""
    statuses = list(styles.STYLES)
    grid = htmlpage.Grid(
        "scenario",
        [htmlpage.Column(("linux", "Python 3.12", s)) for s in statuses],
        [htmlpage.Row("x", [htmlpage.Cell(s, f"x · {s}") for s in statuses])],
    )
    text = htmlpage.render(htmlpage.Page("t", [], [(s, 1) for s in STATUSES], grid))
    doc = parse(text)
    css = doc.find("style").text
    light, dark = css.split("@media (prefers-color-scheme: dark){.c-")[0], css.split("prefers-color-scheme: dark")[-1]
    for td, status in zip(grid_cells(doc), statuses):
        assert td.text == styles.label(status)
        words = styles.style(status).split()
        colours = [w for w in words if w in htmlpage.PALETTE]
        assert colours, f"{status}: its style {styles.style(status)!r} names no colour the page can draw"
        assert f"c-{colours[0]}" in td.classes() and (("b" in td.classes()) == ("bold" in words))
        assert f".c-{colours[0]}{{" in light and f".c-{colours[0]}{{" in dark
    badges = doc.find("ul", "totals").children_of("li")
    assert [b.text for b in badges] == [f"1 {styles.label(s)}" for s in STATUSES]


def test_the_page_allows_only_its_own_style_and_script(real_run):
    doc = parse(real_run["html"])
    policy = next(m.attr("content") for m in doc.find_all("meta") if m.attrs.get("http-equiv"))

    def digest(text: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert policy.startswith("default-src 'none';")
    assert f"style-src '{digest(doc.find('style').text)}'" in policy
    assert f"script-src '{digest(doc.find('script').text)}'" in policy
    assert not [n for n in doc.iter() if n.attrs.get("src") or n.attrs.get("href")], "nothing loaded"


def test_an_html_path_that_cannot_be_written_fails_before_any_work(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    target = str(blocked / "r.html")  # a folder that is a file
    for args in (
        ["run", "--scenario", "process_basics", "--html", target],
        ["merge", str(synthetic_report(tmp_path / "a.json", "linux", "3.12.10")), "--html", target],
        ["suite", "--html", target, "--", str(PROJECTS / "pinned")],
    ):
        proc = mpcheck(*args)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert proc.stderr.startswith(f"mpcheck: error: --html {target}: cannot be written"), proc.stderr
        assert proc.stderr.count("\n") == 1 and proc.stdout == "", "one line, and nothing ran"


# --- suites --------------------------------------------------------------------------------------


def test_suite_page_shows_the_tests_that_differ_with_cause_and_exposure():
    doc = parse(suite_html.render([("", suite_report())]))
    rows = doc.find("table", "grid").find("tbody").children_of("tr")
    assert [r.find("summary").find("span", "lbl").text for r in rows] == ["t.py::test_a", "t.py::test_bflaky"]
    assert len(grid_cells(doc)) == 2 * 3
    a = rows[0]
    assert "MP101" in a.find("th").text and "define it at module level" in a.find("th").text
    assert "Exposure" in a.find("th").text
    failing = [td for td in a.children_of("td") if td.attrs["data-status"] == "failed"]
    assert len(failing) == 2 and all("AssertionError: <b>x</b> | y" in td.text for td in failing)
    assert not [n for n in doc.iter() if n.tag == "b" and n.text == "x"], "a failure's text is never markup"


def test_suite_page_reads_reports_with_keys_and_values_it_does_not_know():
    """The suite's JSON grows (rows not compared, subtests, per-method counts): the page still reads it."""
    data = suite_report(compared={"fork": 3}, future={"anything": [1, 2]})
    data["tests"][0]["subtests"] = [{"name": "x", "outcomes": {"fork": "passed"}}]
    data["tests"].append(
        {"nodeid": "t.py::test_d", "status": "not compared", "outcomes": {"fork": "passed", "spawn": "no process"}}
    )
    data["tests"].append({"nodeid": "t.py::test_e", "status": "differ", "outcomes": {"fork": "passed",
                          "spawn": "subtests failed", "forkserver": "passed"}, "exposure": "not a dict"})  # fmt: skip
    data["tests"].append("not a test")
    doc = parse(suite_html.render([("", data)]))
    rows = doc.find("table", "grid").find("tbody").children_of("tr")
    labels = [r.find("summary").find("span", "lbl").text for r in rows]
    assert labels == ["t.py::test_a", "t.py::test_bflaky", "t.py::test_d", "t.py::test_e"]
    odd = [td for td in grid_cells(doc) if td.attrs["data-status"] == "subtests failed"]
    assert len(odd) == 1 and odd[0].text.startswith("subtests failed") and "c-none" in odd[0].classes()


def test_suite_html_of_a_real_run(tour):
    doc = parse(tour["html"])
    tests = tour["json"]["tests"]
    differ = [t["nodeid"] for t in tests if t["status"] in ("differ", "flaky")]
    rows = doc.find("table", "grid").find("tbody").children_of("tr")
    assert [r.find("summary").attrs["title"] for r in rows] == differ
    assert len(grid_cells(doc)) == len(differ) * 3
    by_id = {t["nodeid"]: t for t in tests}
    for row in rows:
        test = by_id[row.find("summary").attrs["title"]]
        for td, method in zip(row.children_of("td"), tour["json"]["methods"]):
            assert td.attrs["data-status"] == test["outcomes"][method]
            if test["first_line"][method]:
                assert test["first_line"][method] in td.text
        if test["reason"]:
            assert test["reason"].split(" ", 1)[0] in row.find("th").text
