"""The pytest plugin (mpcheck.pytest_plugin), run on small example projects in real pytest subprocesses (real
child processes)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import List

import pytest

import mpcheck
from mpcheck.diagnose import hint
from mpcheck.expect import AVAILABLE, METHODS
from mpcheck.runtime import methods_here

ALL_THREE = set(methods_here()) >= {"fork", "spawn", "forkserver"}

pytest_plugins = ["pytester"]

HERE_METHODS = methods_here()

EXAMPLE = """
import pytest

def square(x):
    return x * x

@pytest.mark.start_methods
def test_pool(mp_context):
    with mp_context.Pool(2) as pool:
        assert pool.map(square, range(4)) == [0, 1, 4, 9]

@pytest.mark.start_methods("spawn", "forkserver")
def test_process(mp_context):
    assert mp_context.get_start_method() in ("spawn", "forkserver")
    p = mp_context.Process(target=square, args=(3,))
    p.start()
    p.join(60)
    assert p.exitcode == 0
"""


@pytest.fixture
def run(pytester: pytest.Pytester, pytestconfig: pytest.Config, monkeypatch: pytest.MonkeyPatch):
    """``run(*args)``: pytest in a subprocess with the plugin loaded as the user's session would load it.

    Installed (nox, pip install -e), the entry point loads it; from a bare source checkout, ``-p`` does.
    Both at once would register it twice, so ``-p`` only when this session did not get it by entry point.
    """
    source_root = str(Path(mpcheck.__file__).resolve().parent.parent)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [source_root, os.environ.get("PYTHONPATH")])))
    load = [] if pytestconfig.pluginmanager.get_plugin("mpcheck") is not None else ["-p", "mpcheck.pytest_plugin"]

    def run(*args: str) -> pytest.RunResult:
        # pytest-randomly, where installed, would shuffle the order these tests check
        return pytester.runpytest_subprocess(*load, "-p", "no:cacheprovider", "-p", "no:randomly", *args, timeout=300)

    return run


def ids(result: pytest.RunResult, outcome: str) -> List[str]:
    """Test ids with ``outcome`` (PASSED, SKIPPED, FAILED) in ``-v`` output, in output order."""
    return sorted(line.split("::", 1)[1].split(" ", 1)[0] for line in result.outlines if f" {outcome}" in line)


def expected_ids(name: str, methods: tuple) -> List[str]:
    return sorted(f"{name}[{m}]" for m in methods)


@pytest.mark.parametrize("xdist", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_runs_once_per_method_with_its_context(run, pytester, xdist):
    pytester.makepyfile(test_example=EXAMPLE)
    result = run("-v", *xdist)
    available = tuple(m for m in METHODS if m in HERE_METHODS)
    unavailable = tuple(m for m in METHODS if m not in HERE_METHODS)
    assert ids(result, "PASSED") == sorted(
        expected_ids("test_pool", available) + expected_ids("test_process", tuple(set(available) - {"fork"}))
    )
    assert ids(result, "SKIPPED") == sorted(
        expected_ids("test_pool", unavailable) + expected_ids("test_process", tuple(set(unavailable) - {"fork"}))
    )
    assert result.ret == 0


def test_ids_follow_the_marker_order(run, pytester):
    pytester.makepyfile(test_example=EXAMPLE)
    result = run("--collect-only", "-q")
    assert [line for line in result.outlines if "::" in line] == [
        "test_example.py::test_pool[fork]",
        "test_example.py::test_pool[spawn]",
        "test_example.py::test_pool[forkserver]",
        "test_example.py::test_process[spawn]",
        "test_example.py::test_process[forkserver]",
    ]


def test_marker_is_declared(run, pytester):
    pytester.makepyfile(test_example=EXAMPLE)
    result = run("--strict-markers", "--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.start_methods(*methods): run the test once per *"])
    assert result.ret == 0


def test_a_method_the_platform_lacks_is_skipped_with_the_reason(run, pytester):
    """Windows has spawn only: fork and forkserver are skipped there, not failed (faked here)."""
    pytester.makeconftest(
        """
        import mpcheck.pytest_plugin as plugin
        import mpcheck.runtime as runtime

        plugin.platform_name = lambda: "win32"
        runtime.methods_here = lambda: ["spawn"]  # what multiprocessing.get_all_start_methods() says there
        """
    )
    pytester.makepyfile(test_example=EXAMPLE)
    result = run("-v", "-rs")
    assert AVAILABLE["win32"] == ("spawn",)
    assert ids(result, "PASSED") == ["test_pool[spawn]", "test_process[spawn]"]
    assert ids(result, "SKIPPED") == ["test_pool[fork]", "test_pool[forkserver]", "test_process[forkserver]"]
    result.stdout.fnmatch_lines(["SKIPPED * win32 has no 'fork' start method"])
    assert result.ret == 0


@pytest.mark.parametrize(
    ("marked", "message"),
    [
        (
            '@pytest.mark.start_methods("spawn", "spwan")\ndef test_bad(mp_context)',
            "test_bad.py::test_bad: @pytest.mark.start_methods: 'spwan' is not a start method "
            "(one of fork, spawn, forkserver); did you mean 'spawn'?",
        ),
        (
            "@pytest.mark.start_methods(3)\ndef test_bad(mp_context)",
            "test_bad.py::test_bad: @pytest.mark.start_methods: 3 is not a start method "
            "(one of fork, spawn, forkserver)",
        ),
        (
            '@pytest.mark.start_methods(method="spawn")\ndef test_bad(mp_context)',
            "test_bad.py::test_bad: @pytest.mark.start_methods takes start method names only, not keywords (method)",
        ),
        (
            "@pytest.mark.start_methods\ndef test_bad()",
            "test_bad.py::test_bad: @pytest.mark.start_methods needs the test to take the `mp_context` fixture",
        ),
    ],
    ids=["unknown-name", "not-a-string", "keyword", "no-fixture"],
)
def test_bad_marker_is_a_usage_error_naming_the_test(run, pytester, marked, message):
    pytester.makepyfile(test_bad=f"import pytest\n\n{marked}:\n    pass\n")
    result = run()
    assert result.ret == pytest.ExitCode.INTERRUPTED  # a collection error: exit code 2
    result.stdout.fnmatch_lines([message])
    assert "Traceback" not in result.stdout.str()


def test_fixture_without_the_marker_says_so(run, pytester):
    pytester.makepyfile(test_bad="def test_bad(mp_context):\n    pass\n")
    result = run()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*test_bad.py::test_bad: the `mp_context` fixture comes with @pytest.mark.start_methods: mark the test*"]
    )


def test_class_marker_leaves_tests_without_the_fixture_alone(run, pytester):
    pytester.makepyfile(
        test_cls="""
        import pytest

        @pytest.mark.start_methods("spawn")
        class TestThing:
            def test_plain(self):
                pass

            def test_ctx(self, mp_context):
                assert mp_context.get_start_method() == "spawn"
        """
    )
    result = run("-v")
    assert ids(result, "PASSED") == ["TestThing::test_ctx[spawn]", "TestThing::test_plain"]


# --- hints when the target cannot reach a spawn or forkserver child ---------------------------------------

TARGETS = """
import pytest

@pytest.mark.start_methods("spawn")
def test_lambda_process(mp_context):
    p = mp_context.Process(target=lambda: None)
    p.start()
    p.join(60)

@pytest.mark.start_methods("spawn")
def test_local_pool(mp_context):
    def double(x):
        return 2 * x

    with mp_context.Pool(1) as pool:
        assert pool.map(double, [1]) == [2]

@pytest.mark.start_methods("spawn")
def test_defined_late(mp_context):
    global late

    def late():
        pass

    p = mp_context.Process(target=late)
    p.start()
    p.join(60)
    assert p.exitcode == 0
"""


@pytest.mark.parametrize("xdist", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_hint_for_targets_a_child_cannot_import(run, pytester, xdist):
    pytester.makepyfile(test_targets=TARGETS)
    result = run("-v", *xdist)
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines(
        [
            "mpcheck: pickle sends a function to a spawn child by name, and a lambda has none: "
            "replace it with a function defined at module level of an importable module",
        ],
        consecutive=False,
    )
    result.stdout.fnmatch_lines(
        [
            "mpcheck: pickle sends a function to a spawn child by name, and `test_local_pool.<locals>.double` is "
            "local: move `double` to module level of an importable module",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "mpcheck: the spawn child looked the target up by name and `test_targets` has no `late`: define `late` "
            "at module level of `test_targets` (not in a test, a fixture or an `if __name__ == '__main__':` block)",
        ]
    )


@pytest.mark.parametrize(
    "method",
    [
        "spawn",
        pytest.param(
            "forkserver", marks=pytest.mark.skipif("forkserver" not in HERE_METHODS, reason="Windows has no forkserver")
        ),
    ],
)
def test_hint_when_importlib_mode_hides_the_test_module_from_the_child(run, pytester, method):
    # importlib mode names the module after the rootdir (`checks.test_work`) without putting the rootdir on
    # sys.path: the parent can import the test module, its spawn and forkserver children cannot.
    (pytester.path / "sub" / "checks").mkdir(parents=True)
    (pytester.path / "sub" / "checks" / "test_work.py").write_text(
        f"""
import pytest

def work():
    pass

@pytest.mark.start_methods("{method}")
def test_work(mp_context):
    p = mp_context.Process(target=work)
    p.start()
    p.join(60)
    assert p.exitcode == 0
"""
    )
    result = run("--import-mode=importlib", "--rootdir=sub", "sub/checks")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            f"mpcheck: the {method} child imports the target by name and cannot import `checks` "
            "(not on its sys.path, as with --import-mode=importlib): move the target into an importable module, "
            "or add its directory to pytest's `pythonpath` setting",
        ]
    )


def test_no_hint_for_other_failures(run, pytester):
    pytester.makepyfile(
        test_other="""
        import pytest

        @pytest.mark.start_methods("spawn")
        def test_fails(mp_context):
            assert mp_context.get_start_method() == "fork"
        """
    )
    result = run()
    result.assert_outcomes(failed=1)
    assert "mpcheck:" not in result.stdout.str()


@pytest.mark.parametrize(
    ("text", "stderr"),
    [
        ("ModuleNotFoundError: No module named 'numpy'", ""),  # the test's own import error, not a child's
        ("AttributeError: Can't get attribute 'x' on <module 'm'>", ""),  # not from a child
    ],
)
def test_hint_trusts_import_errors_only_from_a_childs_traceback(text, stderr):
    assert hint("spawn", text, stderr) is None


def test_hint_knows_the_messages_of_every_python():
    """3.9–3.12 say "Can't pickle local object", 3.13 "Can't get local object"; PyPy's pickler (pure
    Python, the class in ``pickle`` before PyPy 8.0, in ``_pickle`` from it) says where the lookup failed."""
    for message in (
        "AttributeError: Can't pickle local object 'test_x.<locals>.f'",
        "AttributeError: Can't get local object 'test_x.<locals>.f'",
        "_pickle.PicklingError: Can't pickle local object <function test_x.<locals>.f at 0x7f>",
        "pickle.PicklingError: Can't pickle <function test_x.<locals>.f at 0x00007fab6d4feac0>: "
        "it's not found as test_m.test_x.<locals>.f",
        "_pickle.PicklingError: Can't pickle <function test_x.<locals>.f at 0x00007f8d66e6e860>: "
        "it's not found as test_m.test_x.<locals>.f",
    ):
        assert "`test_x.<locals>.f` is local: move `f` to module level" in (hint("spawn", message, "") or ""), message
    for lambda_message in (
        "_pickle.PicklingError: Can't pickle <function <lambda> at 0x7f>: attribute lookup <lambda> on m",
        "pickle.PicklingError: Can't pickle <function <lambda> at 0x00007fddbb855880>: "
        "it's not found as __main__.<lambda>",
        "pickle.PicklingError: Can't pickle <function test_x.<locals>.<lambda> at 0x00007fddbb855920>: "
        "it's not found as test_m.test_x.<locals>.<lambda>",
    ):
        assert "a lambda has none" in (hint("forkserver", lambda_message, "") or ""), lambda_message


SPAWN_314_STDERR = """Traceback (most recent call last):
  File "/usr/lib/python3.14/multiprocessing/spawn.py", line 132, in _main
    self = reduction.pickle.load(from_parent)
AttributeError: module 'test_targets' has no attribute 'late'
"""


def test_hint_knows_the_childs_unpickling_error_of_every_python():
    """Up to 3.13 pickle says "Can't get attribute"; from 3.14 getattr's own message comes through (gh-122311)."""
    old = (
        '  File "/usr/lib/python3.13/multiprocessing/spawn.py", line 132, in _main\n'
        "    self = reduction.pickle.load(from_parent)\n"
        "AttributeError: Can't get attribute 'late' on <module 'test_targets' from '/t/test_targets.py'>\n"
    )
    for stderr in (old, SPAWN_314_STDERR):
        assert "`test_targets` has no `late`: define `late`" in (hint("spawn", "", stderr) or ""), stderr


def test_no_hint_for_an_attribute_error_that_is_not_unpickling():
    """The 3.14 wording is getattr's own: trusted only straight after the unpickling frame."""
    stderr = SPAWN_314_STDERR.replace("reduction.pickle.load(from_parent)", "config = settings.load_config()")
    assert hint("spawn", "", stderr) is None


def test_plugin_imports_nothing_heavy(pytester):
    """It is loaded in every pytest session where mpcheck is installed."""
    heavy = ("rich", "psutil", "multiprocessing")
    code = f"import sys, mpcheck.pytest_plugin; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    source_root = str(Path(mpcheck.__file__).resolve().parent.parent)
    result = pytester.run(sys.executable, "-c", f"import sys; sys.path.insert(0, {source_root!r}); {code}")
    assert result.outlines[-1] == "[]"


DIFFERING = """
import pytest


def square(x):
    return x * x


@pytest.mark.start_methods
def test_local_target(mp_context):
    def work():
        pass

    p = mp_context.Process(target=work)
    p.start()
    p.join()
    assert p.exitcode == 0


@pytest.mark.start_methods
def test_module_level_target(mp_context):
    with mp_context.Pool(1) as pool:
        assert pool.map(square, [2]) == [4]


@pytest.mark.start_methods
def test_differs_for_no_known_reason(mp_context):
    assert mp_context.get_start_method() == "fork"
"""


@pytest.mark.skipif(not ALL_THREE, reason="the differences are between fork, spawn and forkserver")
@pytest.mark.parametrize("xdist", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_the_summary_explains_tests_whose_methods_differ(run, pytester, xdist):
    """Under xdist too: the reports reach the controller with the method and the test they belong to."""
    pytester.makepyfile(test_differ=DIFFERING)
    result = run(*xdist)
    result.assert_outcomes(passed=5, failed=4)
    out = result.stdout.str()
    section = out.split("mpcheck: why the start methods differ", 1)[1]
    assert "test_differ.py::test_local_target: fails under spawn, forkserver only" in section
    assert "likely cause MP101" in section
    # the wording drifts: "pickle" up to 3.12.4, "get" from 3.12.5, PicklingError from 3.14, PyPy's pickler
    assert re.search(
        r"evidence: under spawn: [\w.]*(AttributeError|PicklingError): Can't (pickle|get) (local object|<function)",
        section,
    ), section
    assert "test_differ.py::test_differs_for_no_known_reason: fails under spawn, forkserver only" in section
    assert section.count("likely cause") == 1, "the second difference has no known cause"
    assert "no known pitfall matches this difference" in section
    assert "test_module_level_target" not in section


FOREIGN_LOCAL = """
import argparse

import pytest


def show(parser):
    pass


@pytest.mark.start_methods
def test_parser_argument(mp_context):
    p = mp_context.Process(target=show, args=(argparse.ArgumentParser(),))
    p.start()
    p.join()
    assert p.exitcode == 0
"""


def _parser_holds_a_local_function() -> bool:
    import argparse
    import pickle

    try:
        pickle.dumps(argparse.ArgumentParser())
    except Exception as e:
        return "<locals>" in str(e)
    return False


@pytest.mark.skipif(not ALL_THREE, reason="the differences are between fork, spawn and forkserver")
@pytest.mark.skipif(not _parser_holds_a_local_function(), reason="here an ArgumentParser pickles")
def test_a_local_object_of_a_library_is_not_named_as_the_programs_local_function(run, pytester):
    """Pickle names the first object it cannot pickle: here a local function of argparse's, inside the
    parser the test hands to a Process. MP101's signature, but nothing of the test's to move to module
    level: no cause is named (as ``mpcheck suite`` does, :func:`mpcheck.diagnose.own_object`)."""
    pytester.makepyfile(test_foreign=FOREIGN_LOCAL)
    result = run()
    result.assert_outcomes(passed=1, failed=2)
    section = result.stdout.str().split("mpcheck: why the start methods differ", 1)[1]
    assert "test_foreign.py::test_parser_argument: fails under spawn, forkserver only" in section
    assert "likely cause" not in section
    assert "no known pitfall matches this difference" in section
