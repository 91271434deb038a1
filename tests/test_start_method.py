"""``pytest --mp-start-method`` (mpcheck.start_method): the forced default start method and per-test exposure,
in real pytest runs."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Dict

import pytest
from support.installed import HERE, SOURCE_ROOT, skip_without_pth
from support.markers import BROKEN_EXECUTOR

from mpcheck.methods import default_method_here
from mpcheck.start_method import hook
from mpcheck.start_method.session import ForcedSession

pytest_plugins = ["pytester"]


needs_pth = skip_without_pth("its .pth hook is what reaches subprocesses and workers")

PATHS = """
import concurrent.futures
import multiprocessing


def f(x=0):
    return x


def test_process():
    p = multiprocessing.Process(target=f)
    p.start()
    p.join()


def test_pool():
    with multiprocessing.Pool(2) as pool:
        assert pool.map(f, [1, 2]) == [1, 2]


def test_manager():
    with multiprocessing.Manager() as manager:
        manager.list()


def test_executor():
    with concurrent.futures.ProcessPoolExecutor(1) as executor:
        assert executor.submit(f, 1).result() == 1


def test_executor_with_context():
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=ctx) as executor:
        assert executor.submit(f, 1).result() == 1


def test_explicit_context():
    p = multiprocessing.get_context("spawn").Process(target=f)
    p.start()
    p.join()


def test_default_context_object():
    p = multiprocessing.get_context().Process(target=f)
    p.start()
    p.join()


def test_sets_own_method():
    multiprocessing.set_start_method("spawn", force=True)
    p = multiprocessing.Process(target=f)
    p.start()
    p.join()
    with multiprocessing.Pool(1) as pool:  # Pool() goes through the context the test set: still the default
        pool.apply(f)


def test_method_back_after_a_test_set_its_own():
    import os
    assert multiprocessing.get_start_method() == os.environ["MPCHECK_START_METHOD"]
"""


@pytest.fixture
def run(pytester: pytest.Pytester, pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [SOURCE_ROOT, os.environ.get("PYTHONPATH")])))
    monkeypatch.delenv("MPCHECK_START_METHOD", raising=False)
    monkeypatch.delenv("MPCHECK_SUITE_DIR", raising=False)
    load = [] if pytestconfig.pluginmanager.get_plugin("mpcheck") is not None else ["-p", "mpcheck.pytest_plugin"]

    def run(*args: str) -> pytest.RunResult:
        return pytester.runpytest_subprocess(*load, "-p", "no:cacheprovider", *args, timeout=300)

    return run


def exposures(xml: Path, key: str = "") -> Dict[str, Dict[str, Any]]:
    """Each test's processes by context (``key="other"``: what else it asked of multiprocessing)."""
    out = {}
    for case in ET.parse(xml).getroot().iter("testcase"):
        for prop in case.iter("property"):
            if prop.get("name") == "mp_exposure":
                found = json.loads(prop.get("value", "{}"))
                out[case.get("name", "")] = (
                    found.get(key, {}) if key else {k: found[k] for k in ("default", "explicit")}
                )
    return out


@BROKEN_EXECUTOR
@pytest.mark.parametrize("method", [m for m in ("spawn", "forkserver") if m in HERE])
def test_exposure_tells_default_from_explicit_on_every_path(run, pytester, method):
    pytester.makepyfile(test_paths=PATHS)
    result = run(f"--mp-start-method={method}", "--junitxml=out.xml", "-o", "junit_family=xunit1")
    assert result.ret == 0, result.stdout.str()
    got = exposures(pytester.path / "out.xml")

    def default(n: int, under: str = method) -> dict:
        return {"default": {under: n}, "explicit": {}}

    assert got == {
        "test_process": default(1),
        "test_pool": default(2),  # Pool() resolves the default context into a concrete one: still default
        "test_manager": default(1),
        "test_executor": default(1),
        "test_executor_with_context": {"default": {}, "explicit": {"spawn": 1}},
        "test_explicit_context": {"default": {}, "explicit": {"spawn": 1}},
        "test_default_context_object": default(1),
        "test_sets_own_method": default(2, "spawn"),  # the test's own method, for this test only
        "test_method_back_after_a_test_set_its_own": {"default": {}, "explicit": {}},
    }
    # a question about the method counts too (a test that only asks can still differ between methods)
    asked = exposures(pytester.path / "out.xml", "other")
    assert asked["test_sets_own_method"]["set_start_method"] == 1
    assert asked["test_method_back_after_a_test_set_its_own"]["get_start_method"] >= 1
    result.stdout.fnmatch_lines(
        [
            f"mpcheck: default start method {method} (from --mp-start-method; "
            f"multiprocessing's own default here: {default_method_here()})",  # test_methods: that is multiprocessing's
            f"mpcheck: default start method {method}: 6 test(s) started 8 process(es) through the default context; "
            "2 test(s) started processes through an explicit context (their own method)",
        ]
    )


@needs_pth
@pytest.mark.parametrize("xdist", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_method_reaches_conftest_workers_and_subprocesses(run, pytester, xdist):
    method = "spawn"
    pytester.makeconftest(
        """
        import multiprocessing
        AT_CONFTEST = multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_context()._name
        """
    )
    pytester.makepyfile(
        test_reach="""
        import multiprocessing, subprocess, sys
        import conftest

        def test_conftest_saw_it():
            assert conftest.AT_CONFTEST == "spawn"

        def test_this_process():
            assert multiprocessing.get_start_method() == "spawn"

        def test_subprocess():
            code = "import multiprocessing; print(multiprocessing.get_start_method())"
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            assert out.strip() == "spawn"
        """
    )
    result = run(f"--mp-start-method={method}", *xdist)
    assert result.ret == 0, result.stdout.str()
    result.assert_outcomes(passed=3)


def test_a_conftest_that_sets_its_method_keeps_it_and_is_told(run, pytester):
    other = "spawn" if "forkserver" in HERE else HERE[0]
    forced = "forkserver" if "forkserver" in HERE else HERE[0]
    if other == forced:
        pytest.skip("needs two start methods")
    pytester.makeconftest(f"import multiprocessing\nmultiprocessing.set_start_method({other!r})\n")
    pytester.makepyfile(
        test_x=f"import multiprocessing\n\ndef test_x():\n    assert multiprocessing.get_start_method() == {other!r}\n"
    )
    result = run(f"--mp-start-method={forced}")
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines([f"mpcheck: warning: the project set the start method to {other} while pytest*"])


def test_ini_key_and_environment(run, pytester):
    pytester.makeini("[pytest]\nmp_start_method = spawn\n")
    pytester.makepyfile(
        test_x="import multiprocessing\n\ndef test_x():\n    assert multiprocessing.get_start_method() == 'spawn'\n"
    )
    result = run()
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["mpcheck: default start method spawn (from the mp_start_method ini setting;*"])


@pytest.mark.parametrize(
    ("value", "message"),
    [("spwan", "*--mp-start-method: 'spwan' is not a start method (one of fork, spawn, forkserver)*")],
)
def test_unknown_method_is_a_usage_error(run, pytester, value, message):
    pytester.makepyfile(test_x="def test_x():\n    pass\n")
    result = run(f"--mp-start-method={value}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


def test_a_method_the_platform_lacks_is_a_usage_error(monkeypatch):
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    with pytest.raises(pytest.UsageError, match=r"--mp-start-method: \w+ has no 'fork' start method \(it has spawn\)"):
        ForcedSession(None, "fork", "--mp-start-method")  # type: ignore[arg-type]


def test_the_start_up_hook_does_nothing_unless_asked():
    code = "import sys; print('mpcheck.start_method.hook' in sys.modules, 'multiprocessing' in sys.modules)"
    env = {k: v for k, v in os.environ.items() if k != hook.ENV}
    quiet = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert quiet.stdout.split() == ["False", "False"]


def test_marked_process_pickles_as_its_concrete_class():
    import pickle
    from multiprocessing import context

    concrete = context._concrete_contexts["spawn"].Process  # type: ignore[attr-defined]
    marked = hook._marked_process(concrete)
    proc = marked(target=print)
    rebuild, args, state = proc.__reduce_ex__(pickle.DEFAULT_PROTOCOL)
    assert type(rebuild(*args)) is concrete  # what a spawn child rebuilds (the state needs a spawning Popen)
    assert state is proc.__dict__
    assert type(proc).__name__ == concrete.__name__ and vars(marked)["_mpcheck_default"] is True


@needs_pth
@pytest.mark.parametrize("copy", ["multiprocess", "billiard"])
def test_separate_copies_of_multiprocessing_get_the_method(copy):
    pytest.importorskip(copy, reason=f"{copy} is not installed here (not a test dependency)")
    env = dict(os.environ, MPCHECK_START_METHOD="spawn")
    code = f"import {copy}; print({copy}.get_start_method())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "spawn"


@pytest.mark.parametrize("package", ["multiprocess", "billiard"])
def test_starts_through_multiprocess_and_billiard_are_counted(run, pytester, package):
    pytest.importorskip(package)
    pytester.makepyfile(
        test_copy=f"""
        import {package}

        def f():
            pass

        def test_starts():
            p = {package}.Process(target=f)
            p.start()
            p.join()
        """
    )
    result = run("--mp-start-method=spawn", "--junitxml=out.xml", "-o", "junit_family=xunit1")
    assert result.ret == 0, result.stdout.str()
    assert exposures(pytester.path / "out.xml") == {"test_starts": {"default": {"spawn": 1}, "explicit": {}}}
