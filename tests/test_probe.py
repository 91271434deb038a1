"""``mpcheck probe``: the user's function or script under every start method, diffed."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Optional

import pytest
from support import DATA, TESTS
from support.interrupting import interruptible

from mpcheck.probe import compare_runs

ROOT = TESTS.parent
ALL_THREE = set(multiprocessing.get_all_start_methods()) >= {"fork", "spawn", "forkserver"}
needs_all_three = pytest.mark.skipif(not ALL_THREE, reason="the divergences are between fork, spawn and forkserver")


def probe(*args: str, cwd: Path = DATA, tmp_path: Path, extra_env: Optional[Dict[str, str]] = None) -> tuple:
    """Run the probe from ``cwd`` (where the target's module is importable); return (proc, findings)."""
    out = tmp_path / "probe.json"
    # Not inherited: under PYTHONUNBUFFERED print() writes the text and the newline in two writes, so
    # lines of concurrent workers really interleave mid-line now and then (the probe then rightly says
    # stdout varies). The examples assume the default buffering, which writes a printed line at once.
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
        "COLUMNS": "200",
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
    }
    if extra_env:
        env["PYTHONPATH"] = os.pathsep.join([extra_env["PYTHONPATH"], env["PYTHONPATH"]])
    proc = subprocess.run(
        [sys.executable, "-m", "mpcheck", "probe", *args, "--json", str(out)],
        capture_output=True, text=True, timeout=300, cwd=cwd, env=env,
    )  # fmt: skip
    findings = json.loads(out.read_text()) if out.exists() else None
    return proc, findings


def fact(findings: dict, name: str) -> dict:
    return findings["facts"][name]


def first_runs(finding: dict) -> dict:
    return {m: runs[0] for m, runs in finding["runs"].items()}


def test_a_function_that_behaves_alike_agrees(tmp_path):
    proc, findings = probe("probe_targets.same_everywhere:main", "--args", "[5]", "--repeat", "2", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "the start methods agree" in proc.stdout
    assert findings["verdict"] == "agrees"
    assert set(findings["methods"]) == set(multiprocessing.get_all_start_methods())
    returned = fact(findings, "returned")
    assert returned["verdict"] == "same"
    assert all(runs == ["[0, 1, 4, 9, 16]"] * 2 for runs in returned["runs"].values())


@needs_all_three
def test_a_global_set_by_the_job_reaches_only_forked_pool_workers(tmp_path):
    proc, findings = probe("probe_targets.global_in_pool:main", "--repeat", "2", tmp_path=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "DIFFERS  returned" in proc.stdout
    returned = fact(findings, "returned")
    assert returned["verdict"] == "diverges"
    assert returned["compared"] == "exact"
    assert first_runs(returned) == {
        "fork": "['set by the job']",
        "spawn": "['import-time']",
        "forkserver": "['import-time']",
    }
    assert fact(findings, "exit_code")["verdict"] == "same"


@needs_all_three
def test_an_environment_variable_set_after_the_first_child_misses_forkserver_children(tmp_path):
    proc, findings = probe("probe_targets.environ_after_first_child:main", "--repeat", "2", tmp_path=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    returned = fact(findings, "returned")
    assert returned["verdict"] == "diverges"
    later = "[None, 'set after the first child']"
    assert first_runs(returned) == {"fork": later, "spawn": later, "forkserver": "[None, None]"}


def test_failing_alike_under_every_method_is_agreement(tmp_path):
    proc, findings = probe("probe_targets.fails_alike:main", "--repeat", "2", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    exception = fact(findings, "exception")
    assert exception["verdict"] == "same"
    assert set(map(tuple, exception["runs"].values())) == {("ValueError: bad input: 42",) * 2}
    assert all(runs == [1, 1] for runs in fact(findings, "exit_code")["runs"].values())
    stderr = first_runs(fact(findings, "stderr"))
    assert all("ValueError: bad input: 42" in s and "cell.py" not in s for s in stderr.values())


@needs_all_three
def test_a_script_runs_as_main_with_its_main_block(tmp_path):
    proc, findings = probe("probe_targets/script_with_guard.py", "--repeat", "2", tmp_path=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    stdout = fact(findings, "stdout")
    assert stdout["verdict"] == "diverges"
    assert first_runs(stdout) == {
        "fork": "child sees main-block\n",
        "spawn": "child sees import-time\n",
        "forkserver": "child sees import-time\n",
    }


@needs_all_three
def test_the_logging_example_diverges(tmp_path):
    proc, findings = probe("examples/logging_job.py", cwd=ROOT, tmp_path=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    stderr = fact(findings, "stderr")
    assert stderr["verdict"] == "diverges"
    runs = first_runs(stderr)
    assert "INFO:root:worker 0 processing" in runs["fork"]
    assert runs["spawn"] == runs["forkserver"] == "INFO:root:all workers done\n"


def test_the_pool_example_agrees_although_its_pids_vary(tmp_path):
    proc, findings = probe("examples.pool_job:main", "--args", "[100]", cwd=ROOT, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert findings["repeat"] == 3
    assert fact(findings, "returned")["verdict"] == "same"
    stdout = fact(findings, "stdout")
    assert stdout["verdict"] == "same"
    assert stdout["compared"] != "exact"  # the worker pids in it differ from run to run...
    assert any(len(set(runs)) > 1 for runs in stdout["runs"].values())  # ...as the raw runs show


@pytest.mark.parametrize(
    "target, extra, message",
    [
        (
            "probe_targets.no_such_module:main",
            [],
            "cannot import probe_targets.no_such_module:main: ModuleNotFoundError",
        ),
        ("probe_targets.raises_at_import:main", [], "RuntimeError: configuration missing"),
        ("probe_targets.same_everywhere:no_such_function", [], "has no attribute 'no_such_function'"),
        ("probe_targets.same_everywhere", [], "expected pkg.module:function or a path to a .py script"),
        ("no_such_script.py", [], "no_such_script.py: cannot read the script"),
        ("probe_targets.same_everywhere:main", ["--args", "{}"], "expected a JSON list"),
        ("probe_targets.same_everywhere:main", ["--args", "[1"], "--args: not JSON"),
    ],
)
def test_a_target_that_cannot_be_used_is_one_line_and_exit_2(tmp_path, target, extra, message):
    proc, findings = probe(target, *extra, "--repeat", "1", tmp_path=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert findings is None and proc.stdout == ""


def test_a_script_with_a_syntax_error_is_exit_2(tmp_path):
    script = tmp_path / "broken.py"
    script.write_text("def main(:\n    pass\n")
    with pytest.raises(SyntaxError) as compiled:  # the interpreter's own words: PyPy's differ from CPython's
        compile(script.read_text(), str(script), "exec")
    proc, _ = probe(str(script), tmp_path=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"mpcheck: error: {script}:1: syntax error: {compiled.value.msg}"]


# -- the comparison itself, on recorded runs -----------------------------------------------


def runs_of(**per_method):
    return {m: [{"out": v} for v in values] for m, values in per_method.items()}


def verdict(runs):
    (finding,) = compare_runs(runs)
    return finding.verdict, finding.view, finding.unstable


def test_stable_and_different_is_a_divergence():
    assert verdict(runs_of(fork=["a", "a"], spawn=["b", "b"])) == ("diverges", "exact", [])


def test_varying_within_one_method_is_nondeterminism_not_divergence():
    assert verdict(runs_of(fork=["a", "b"], spawn=["c", "c"])) == ("nondeterministic", None, ["fork"])


def test_pids_and_addresses_are_masked_before_giving_up():
    runs = runs_of(fork=["pid 101 at 0x7f01", "pid 202 at 0x7f99"], spawn=["pid 303 at 0x1", "pid 404 at 0x2"])
    assert verdict(runs) == ("same", "masked", [])
    runs = runs_of(fork=["child 101 logs\n", "child 202 logs\n"], spawn=["", ""])
    assert verdict(runs) == ("diverges", "masked", [])


def test_interleaved_lines_are_compared_in_any_order():
    runs = runs_of(fork=["a 1\nb 2\n", "b 3\na 4\n"], spawn=["a 5\nb 6\n", "a 7\nb 8\n"])
    assert verdict(runs) == ("same", "masked, lines in any order", [])


def test_a_fact_missing_in_some_runs_is_nondeterministic():
    runs = {"fork": [{"out": 1}, {}], "spawn": [{"out": 1}, {"out": 1}]}
    assert verdict(runs)[0] == "nondeterministic"


@pytest.mark.skipif(os.name != "posix", reason="SIGTERM to a process is POSIX")
def test_sigterm_kills_the_probes_cells_and_exits_130(tmp_path):
    import signal
    import time

    import psutil

    started = tmp_path / "started"
    env = {**os.environ, "MPCHECK_TEST_STARTED": str(started)}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    cmd = [sys.executable, "-m", "mpcheck", "probe", str(DATA / "probe_targets" / "sleeps.py"), "--method", "spawn"]
    # in a session killed whatever happens: a failed assertion leaves no probe and no cell behind
    with interruptible(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as proc:
        deadline = time.monotonic() + 120
        while not (started.exists() and started.read_text().strip()):
            assert time.monotonic() < deadline and proc.poll() is None, "the probe's runs never started"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 130, out + err
        assert "Traceback" not in err
        for pid in map(int, started.read_text().split()):
            assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


@needs_all_three
def test_the_files_a_function_writes_are_compared_only_when_asked_and_it_says_so(tmp_path):
    """Issue 33: a function whose output file differs under spawn. Without --compare-files the probe says the
    methods agree and that it did not compare files; with it, the file is the difference (exit 1)."""
    work = tmp_path / "work"
    shutil.copytree(DATA / "probe_targets", work / "probe_targets")
    env_path = {"PYTHONPATH": str(work)}
    target = "probe_targets.writes_a_file:main"
    args = ("--repeat", "2", "--method", "fork", "--method", "spawn")
    proc, findings = probe(target, *args, cwd=work, tmp_path=tmp_path, extra_env=env_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (
        "compared: exit code, return value, exception, warnings, stdout, stderr, processes left running; not "
        "the files it writes (--compare-files GLOB compares those)" in proc.stdout
    )
    assert "files" not in findings["facts"] and findings["compare_files"] is None
    (work / "mode.txt").unlink()
    proc, findings = probe(target, *args, "--compare-files", "*.txt", cwd=work, tmp_path=tmp_path, extra_env=env_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    files = fact(findings, "files")
    assert files["verdict"] == "diverges"
    assert first_runs(files) == {"fork": {"mode.txt": "set in main()\n"}, "spawn": {"mode.txt": "set at import\n"}}
    assert fact(findings, "stdout")["verdict"] == "same"
    assert "DIFFERS  files" in proc.stdout and "compared: exit code" in proc.stdout
