"""Bad input to the command line (mpcheck.cli, mpcheck.errors, mpcheck.files), a table of cases: each is one
line on stderr naming the problem, exit 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Callable, List, Sequence

import pytest
from support import DATA, TESTS

ENGINE = DATA / "engine_scenarios"
QUICK = ["--no-builtin", "--path", str(ENGINE), "--scenario", "wrong_expectation", "--method", "fork", "--quiet"]

GOOD_REPORT = """{"format": "mpcheck-report/1", "platform": "linux", "python": "3.11.7",
 "cells": [{"scenario": "s", "method": "fork", "status": "passed"}]}"""
CORRUPT = {
    "not_json": ("{not json", "not JSON"),
    "empty": ("", "not JSON"),
    "truncated": (GOOD_REPORT[:40], "not JSON"),
    "a_list": ("[1, 2, 3]", "not an mpcheck"),
    "foreign_dict": ('{"name": "some other tool", "results": []}', "not an mpcheck"),
    "cells_not_list": ('{"platform": "linux", "cells": {"a": 1}}', ""),
    "cell_without_status": ('{"platform": "linux", "cells": [{"scenario": "s", "method": "fork"}]}', ""),
    "unknown_status": (GOOD_REPORT.replace('"passed"', '"exploded"'), ""),
    "binary": (b"\x89PNG\r\n\x1a\n\xff\xfe\x00", ""),
}


def _write(path: Path, content) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- scenario files whose declaration is unusable ---------------------------------------------

HEADER = (
    '"""A broken scenario."""\n\nimport sys\n\n'
    "from mpcheck.expect import Expect, by_method, since\nfrom mpcheck.facts import report\n\n"
)
MAIN = '\nif __name__ == "__main__":\n    report(x=1)\n'
SCENARIOS = {
    "syntax_error": ("EXPECT = Expect(facts={'x': 1}\n", "syntax error"),
    "empty_facts": ("EXPECT = Expect(facts={})\n", "non-empty dict"),
    "unknown_method": ("EXPECT = Expect(facts={'x': by_method(vfork=1, default=1)})\n", "vfork"),
    "bad_since_version": ("EXPECT = Expect(facts={'x': since('three.twelve', 1, 0)})\n", "bad version"),
    "since_too_long": ("EXPECT = Expect(facts={'x': since('3.12.1.4', 1, 0)})\n", "bad version"),
    "expect_not_expect": ("EXPECT = {'x': 1}\n", "must be an mpcheck.expect.Expect"),
    "expect_a_number": ("EXPECT = 42\n", "must be an mpcheck.expect.Expect"),
    "no_expect": ("FACTS = {'x': 1}\n", "no EXPECT"),
    "requires_unknown": ("EXPECT = Expect(facts={'x': 1}, requires=('vfork',))\n", "vfork"),
    "bad_timeout": ("EXPECT = Expect(facts={'x': 1}, timeout=-5)\n", "timeout"),
    "fact_name_not_identifier": ("EXPECT = Expect(facts={'x y': 1})\n", "identifier"),
    "by_method_without_default": ("EXPECT = Expect(facts={'x': by_method(fork=1)})\n", "no value for"),
    "not_json_value": ("EXPECT = Expect(facts={'x': {1, 2}})\n", "not plain JSON"),
    "undefined_name": ("EXPECT = Expect(facts={'x': helper()})\n", "NameError"),
    "sys_exit_in_declaration": ("EXPECT = sys.exit(4)\n", "SystemExit"),
    "null_byte": ("EXPECT = Expect(facts={'x': 1})\x00\n", "null bytes"),
    "import_error": ("import no_such_module_anywhere\nEXPECT = Expect(facts={'x': 1})\n", "no_such_module"),
}


def scenario_dir(tmp_path: Path, case: str) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    body, _ = SCENARIOS[case]
    _write(folder / f"{case}.py", HEADER + body + MAIN)
    return folder


def latin1_scenario_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    _write(folder / "latin1.py", (HEADER + "# caf\xe9\nEXPECT = Expect(facts={'x': 1})\n" + MAIN).encode("latin-1"))
    return folder


# --- the table ----------------------------------------------------------------------------------

Build = Callable[[Path], List[str]]


def case(id: str, build: Build, message: str, *marks) -> object:
    return pytest.param(build, message, id=id, marks=marks)


def argv(*args: str) -> Build:
    return lambda tmp: list(args)


def report_file(command: str, kind: str) -> Build:
    def build(tmp: Path) -> List[str]:
        path = _write(tmp / f"{kind}.json", CORRUPT[kind][0])
        if command == "merge":
            good = _write(tmp / "good.json", GOOD_REPORT)
            return ["merge", str(good), str(path)]
        return ["run", *QUICK, "--baseline", str(path)]

    return build


def scenario_file(command: str, kind: str) -> Build:
    def build(tmp: Path) -> List[str]:
        folder = str(scenario_dir(tmp, kind))
        return ["list", "--path", folder] if command == "list" else ["run", "--no-builtin", "--path", folder]

    return build


CASES = [
    # command-line arguments
    case("no_command", argv(), "command"),
    case("unknown_command", argv("frobnicate"), "invalid choice"),
    case("unknown_option", argv("run", "--frobnicate"), "unrecognized arguments"),
    case("jobs_zero", argv("run", "--jobs", "0"), "at least 1"),
    case("jobs_negative", argv("run", "--jobs", "-3"), "at least 1"),
    case("jobs_not_a_number", argv("run", "--jobs", "many"), "whole number"),
    case("timeout_zero", argv("run", "--timeout", "0"), "positive"),
    case("timeout_nan", argv("run", "--timeout", "nan"), "positive"),
    case("timeout_inf", argv("run", "--timeout", "inf"), "positive"),
    case("timeout_words", argv("run", "--timeout", "soon"), "number of seconds"),
    case("option_without_value", argv("run", "--json"), "expected one argument"),
    case("unknown_method", argv("run", "--method", "vfork"), "unknown start method 'vfork'"),
    case("unknown_scenario", argv("run", "--scenario", "no_such_scenario"), "unknown scenario 'no_such_scenario'"),
    case("run_path_missing", argv("run", "--path", "/no/such/folder"), "no such file or directory"),
    case("list_path_missing", argv("list", "--path", "/no/such/folder"), "no such file or directory"),
    case(
        "list_unknown_scenario", argv("list", "--scenario", "no_such_scenario"), "unknown scenario 'no_such_scenario'"
    ),
    case("list_bad_python", argv("list", "--python", "three"), "expected a version like 3.12"),
    case("no_scenarios", lambda tmp: ["run", "--no-builtin", "--path", str(tmp)], "no scenarios"),
    case("update_without_baseline", argv("run", "--update"), "--update needs --baseline"),
    case("merge_nothing", argv("merge"), "required"),
    case("merge_missing_file", argv("merge", "/no/such/report.json"), "no such report file"),
    case("merge_a_folder", lambda tmp: ["merge", str(tmp)], ""),
    case("probe_nothing", argv("probe"), "required"),
    case("probe_repeat_zero", argv("probe", "os:getpid", "--repeat", "0"), "at least 1"),
    case("probe_unknown_method", argv("probe", "os:getpid", "--method", "vfork"), "unknown start method"),
    case(
        "baseline_missing_file",
        lambda tmp: ["run", *QUICK, "--baseline", str(tmp / "none.json")],
        "no such baseline file",
    ),
    case("json_into_a_folder", lambda tmp: ["run", *QUICK, "--json", str(tmp)], ""),
    case("junit_under_a_file", lambda tmp: ["run", *QUICK, "--junit", str(_write(tmp / "f", "")) + "/r.xml"], ""),
    # outputs that cannot be written: refused before the first cell starts (see test_outputs_are_checked_first)
    *[
        case(f"{name}_under_a_file", build, "cannot be written")
        for name, build in (
            ("json", lambda tmp: ["run", *QUICK, "--json", str(_write(tmp / "f", "")) + "/deeper/r.json"]),
            (
                "baseline_update",
                lambda tmp: ["run", *QUICK, "--update", "--baseline", str(_write(tmp / "f", "")) + "/b"],
            ),
            ("probe_json", lambda tmp: ["probe", "os:getpid", "--json", str(_write(tmp / "f", "")) + "/p.json"]),
        )
    ],
    # corrupt or foreign reports, to every command that reads them
    *[case(f"merge_{kind}", report_file("merge", kind), CORRUPT[kind][1]) for kind in CORRUPT],
    *[case(f"baseline_{kind}", report_file("baseline", kind), "") for kind in CORRUPT],
    # scenario files whose declaration is unusable, to every command that reads the catalog
    *[case(f"list_{kind}", scenario_file("list", kind), SCENARIOS[kind][1]) for kind in SCENARIOS],
    *[case(f"run_{kind}", scenario_file("run", kind), SCENARIOS[kind][1]) for kind in SCENARIOS],
    case("list_not_utf8", lambda tmp: ["list", "--path", str(latin1_scenario_dir(tmp))], "cannot read the scenario"),
]


def mpcheck(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mpcheck", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("build, message", CASES)
def test_bad_input_is_one_line_and_exit_2(tmp_path, monkeypatch, build, message):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    work = tmp_path / "work"
    work.mkdir()
    proc = mpcheck(build(work), cwd=TESTS.parent)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("mpcheck"), lines[0]
    assert message in lines[0], lines[0]


@pytest.mark.parametrize("option", ["--json", "--junit", "--baseline"])
def test_outputs_are_checked_first(tmp_path, option):
    """An output that cannot be written stops the run before any cell starts, so no results are lost."""
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    started = tmp_path / "a-cell-started"
    _write(
        scenarios / "leaves_a_mark.py",
        f"{HEADER}EXPECT = Expect(facts={{'x': 1}})\nopen({str(started)!r}, 'w').close()\n{MAIN}",
    )
    blocked = str(_write(tmp_path / "a-file", "")) + "/out"
    extra = ["--update"] if option == "--baseline" else []
    proc = mpcheck(["run", "--no-builtin", "--path", str(scenarios), "--quiet", option, blocked, *extra], cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"{option} {blocked}: cannot be written" in proc.stderr
    assert not started.exists()
    assert proc.stdout == ""
