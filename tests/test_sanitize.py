"""``mpcheck sanitize`` and ``pytest --mp-sanitize`` on programs of their own (tests/data/sanitize_programs,
tests/data/diagnose_programs): each broken program is reported at its marked lines with the right pitfall,
each look-alike and fixed twin gets nothing; bad input is one line and exit 2; the command's own exit
code is reported, not hidden; Ctrl-C and --timeout stop the whole tree."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Set, Tuple

import psutil
import pytest
from support import DATA, TESTS
from support.installed import skip_without_pth
from support.interrupting import interruptible
from support.lint_marks import program_needs, sanitizer_expected
from support.markers import unmet_need
from support.projects import PROJECTS

from mpcheck import pitfalls
from mpcheck.runtime import methods_here

PROGRAMS = sorted([*(DATA / "sanitize_programs").glob("*.py"), *(DATA / "diagnose_programs").glob("*.py")])


pytestmark = skip_without_pth("its .pth hook is what watches")
needs_fork = pytest.mark.skipif("fork" not in methods_here(), reason="the platform has no fork start method")


def sanitize(*args: str, cwd: Path = TESTS.parent, timeout: float = 120) -> subprocess.CompletedProcess:
    """The command, bounded by its own ``--timeout`` (unless the test gives one): it stops the program and all it
    started before this test's limit would kill the command alone and leave the program's tree running."""
    if "--timeout" not in args[: args.index("--") if "--" in args else len(args)]:
        args = ("--timeout", str(int(timeout) - 30), *args)
    return subprocess.run(
        [sys.executable, "-m", "mpcheck", "sanitize", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_")},
    )


def expected(path: Path) -> Set[Tuple[int, str]]:
    return sanitizer_expected(path.read_text(encoding="utf-8"))


@needs_fork
@pytest.mark.parametrize("method", [*methods_here(), None], ids=[*methods_here(), "unforced"])
@pytest.mark.parametrize("path", PROGRAMS, ids=[f"{p.parent.name}/{p.stem}" for p in PROGRAMS])
def test_each_program_gets_exactly_its_marked_hazards(path, method, tmp_path):
    """Whatever method the program runs under, the prediction is the same: the platform's own default
    without ``--method`` ("unforced", as a user runs it) included."""
    unmet = unmet_need(program_needs(path.read_text(encoding="utf-8")), method)
    if unmet:
        pytest.skip(unmet)  # the program itself cannot run there, whatever the sanitizer says
    report = tmp_path / "out.json"
    forced = ("--method", method) if method else ()
    done = sanitize(*forced, "--json", str(report), "--", sys.executable, str(path))
    want = expected(path)
    assert done.returncode == (1 if want else 0), done.stdout + done.stderr
    data = json.loads(report.read_text())
    got = {(int(h["location"].rsplit(":", 1)[1]), h["code"]) for h in data["hazards"]}
    assert got == want, done.stdout
    assert data["format"] == "mpcheck-sanitize/1" and data["implementation"] == sys.implementation.name
    for hazard in data["hazards"]:
        assert hazard["title"] == pitfalls.BY_CODE[hazard["code"]].title
        assert hazard["scenario"] in pitfalls.BY_CODE[hazard["code"]].scenarios
        assert hazard["evidence"] and hazard["fix"] and hazard["methods"]


@needs_fork
def test_a_fork_safe_librarys_thread_is_not_counted_with_the_programs_own(tmp_path):
    """loguru's writer thread (loguru takes its locks around a fork) is left out of MP112's evidence; the
    program's own thread, holding its lock at the fork, is what is reported (and where it was started)."""
    report = tmp_path / "out.json"
    program = DATA / "sanitize_programs" / "loguru_writer_and_own_thread_broken.py"
    sanitize("--json", str(report), "--", sys.executable, str(program))
    (hazard,) = json.loads(report.read_text())["hazards"]
    assert hazard["code"] == "MP112"
    assert "1 other thread(s) alive at this start (holder, started at" in hazard["evidence"]
    assert "loguru-writer" not in hazard["evidence"] and "_handler.py" not in hazard["evidence"]


#: in a watched process: is the default context marked yet, and is a context asked for by the default's own name
#: (before anything resolved the default) told apart from the default's (the sanitizer's "the program chose it")
DEFAULT_MARKED = """
import sys
import multiprocessing
{install}
marked = lambda ctx: getattr(ctx.Process, "_mpcheck_default", False)
now = "mpcheck.start_method.hook" in sys.modules, marked(multiprocessing.context._default_context._default_context)
named = multiprocessing.get_context(multiprocessing.context._default_context._default_context._name)
default = multiprocessing.get_context()
print(*now, marked(default), marked(named), named is not default)
"""


def test_the_default_context_is_marked_when_first_asked_for_not_on_import(tmp_path):
    """A watched process marks the platform's default context at the first ``get_context()`` (any call that may
    resolve it), not when it imports multiprocessing: a context the program names is still told apart."""
    env = dict({k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_")}, MPCHECK_SANITIZE=str(tmp_path))
    code = DEFAULT_MARKED.format(install="")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.split() == ["False", "False", "True", "False", "True"], done.stderr


#: in a watched process: the sanitizer's wrappers on the default context, before and after the first
#: ``get_context()``; then whether the default stays marked once it is unresolved and resolved again
UNWRAPPED = """
import multiprocessing
from multiprocessing.context import DefaultContext
from mpcheck.sanitize.state import is_patched
wrapped = lambda: [is_patched(DefaultContext.get_context), is_patched(multiprocessing.get_context.__func__),
                   is_patched(DefaultContext.get_start_method), is_patched(multiprocessing.get_start_method.__func__)]
before = wrapped()
multiprocessing.get_context()
after = wrapped()
multiprocessing.set_start_method(None, force=True)
print(*before, *after, multiprocessing.get_start_method(allow_none=True),
      getattr(multiprocessing.get_context().Process, "_mpcheck_default", False))
"""


def test_the_wrappers_that_mark_the_default_context_are_gone_once_it_is_marked(tmp_path):
    """The first call that may resolve the default marks it; the wrappers then give back the originals, on
    ``DefaultContext`` and on the package: a program's later ``get_context()`` calls pay nothing. The marked
    copy stays the default's context when the program unresolves it (``set_start_method(None, force=True)``)."""
    env = dict({k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_")}, MPCHECK_SANITIZE=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", UNWRAPPED], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.split() == ["True"] * 4 + ["False"] * 4 + ["None", "True"], done.stderr


#: in a watched process: what the sanitizer kept of the parent's state for a pool the program chose to fork
#: (its tasks are not judged: nothing), and for one of the default context (every module's globals)
FORKED_WITH = """
import multiprocessing
if __name__ == "__main__":
    kept = []
    for ctx in (multiprocessing.get_context("fork"), multiprocessing.get_context()):
        with ctx.Pool(1) as pool:
            kept.append(type(getattr(pool, "_mpcheck_forked_with", "missing")).__name__)
    print(*kept)
"""


@pytest.mark.skipif("fork" not in methods_here(), reason="a fork pool")
def test_nothing_is_kept_of_the_parents_state_for_a_pool_the_program_chose_to_fork(tmp_path):
    env = dict({k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_")}, MPCHECK_SANITIZE=str(tmp_path))
    script = tmp_path / "pools.py"
    script.write_text(FORKED_WITH)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.split() == ["NoneType", "dict"], done.stderr


def test_the_default_context_is_marked_at_once_where_multiprocessing_was_imported_first(tmp_path):
    """Where multiprocessing was imported before the sanitizer was installed (another ``.pth`` file's),
    ``multiprocessing.get_context`` is bound already: the default is marked when the sanitizer is installed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_")}
    code = DEFAULT_MARKED.format(install=f"from mpcheck.sanitize import hook; hook.install({str(tmp_path)!r})")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.split() == ["True", "True", "True", "False", "True"], done.stderr


def test_the_commands_own_exit_code_is_reported_and_fails_the_run(tmp_path):
    script = tmp_path / "fails.py"
    script.write_text("import sys\nprint('working')\nsys.exit(3)\n")
    done = sanitize("--", sys.executable, str(script))
    assert done.returncode == 1, done.stdout + done.stderr  # no hazard, but the command failed
    assert "working" in done.stdout
    assert "exited 3" in done.stdout.splitlines()[1]
    assert "the command exited 3 (exit 1: a command that fails is never a pass)" in done.stdout


def test_a_mistyped_script_is_not_a_pass(tmp_path):
    """The issue's `mpcheck sanitize -- python nosuchscript.py`: Python exits 2, mpcheck must not exit 0."""
    done = sanitize("--", sys.executable, str(tmp_path / "nosuchscript.py"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "exited 2" in done.stdout and "no hazard" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "a command to run is needed"),
        (["--"], "a command to run is needed"),
        (["--", "no-such-command-here"], "no-such-command-here: no such command"),
        (["--", "true"], "ran no Python process that mpcheck could watch"),
        (["--method", "fork2", "--", "true"], "unknown start method"),
        (["--timeout", "0", "--", "true"], "must be a positive number of seconds"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    done = sanitize(*args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(os.name != "posix", reason="a #! line is what a POSIX kernel runs a script by")
def test_an_executable_script_without_a_hash_bang_line_is_one_line_and_exit_2(tmp_path):
    """The kernel cannot run it (exec fails: Exec format error); the shell that holds the command's session
    would run it as a shell script instead: mpcheck says so before."""
    script = tmp_path / "job.py"
    script.write_text("import multiprocessing\nprint('never run as a shell script')\n")
    script.chmod(0o755)
    done = sanitize("--", str(script))
    assert done.returncode == 2, done.stdout + done.stderr
    said = f"{script}: not a program the system can run (no #! line): run it with its interpreter"
    assert done.stderr.strip() == f"mpcheck: error: {said}"


@pytest.mark.parametrize("method", [m for m in ("spawn", "forkserver") if m in methods_here()])
def test_method_makes_the_commands_default(method, tmp_path):
    script = tmp_path / "which.py"
    script.write_text(
        "import multiprocessing\nif __name__ == '__main__':\n    print(multiprocessing.get_start_method())\n"
    )
    done = sanitize("--method", method, "--", sys.executable, str(script))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == method


@needs_fork
def test_timeout_stops_the_whole_tree_and_still_reports(tmp_path):
    script = tmp_path / "hangs.py"
    script.write_text(
        textwrap.dedent(
            """\
            import threading, time
            import multiprocessing

            def work():
                time.sleep(600)

            if __name__ == "__main__":
                threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
                p = multiprocessing.get_context("fork").Process(target=work)
                p.start()  # with a thread running: MP112
                print("child", p.pid, flush=True)
                time.sleep(600)
            """
        )
    )
    started = time.monotonic()
    done = sanitize("--timeout", "3", "--", sys.executable, str(script))
    assert time.monotonic() - started < 60
    assert done.returncode == 1, done.stdout + done.stderr
    assert "stopped after 3 s" in done.stdout and "MP112" in done.stdout
    child = int(next(line for line in done.stdout.splitlines() if line.startswith("child ")).split()[1])
    assert not psutil.pid_exists(child) or psutil.Process(child).status() == psutil.STATUS_ZOMBIE


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a process group is POSIX")
def test_ctrl_c_stops_the_command_and_everything_it_started(tmp_path):
    script = tmp_path / "waits.py"
    script.write_text("import time\nprint('ready', flush=True)\ntime.sleep(600)\n")
    cmd = [sys.executable, "-m", "mpcheck", "sanitize", "--", sys.executable, str(script)]
    with interruptible(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        children = [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        # the script's own KeyboardInterrupt traceback is its output; mpcheck's is one line, no traceback of its own
        stopped = "mpcheck: interrupted: the command and everything it started were stopped"
        assert err.strip().splitlines()[-1] == stopped
        assert str(Path(pitfalls.__file__).parent) not in err
        assert all(not psutil.pid_exists(p) or psutil.Process(p).status() == psutil.STATUS_ZOMBIE for p in children)


SUITE = """
import logging
import multiprocessing

LEVEL = "quiet"


def read_level():
    return LEVEL


def child_logs():
    logging.getLogger("app").info("from the child")


def test_runtime_global():
    global LEVEL
    LEVEL = "loud"
    with multiprocessing.Pool(1) as pool:  # the default context: "loud" where it forks, "quiet" elsewhere
        pool.apply(read_level)


def test_logging_set_in_test():
    logger = logging.getLogger("app")
    logger.addHandler(logging.StreamHandler())
    logger.setLevel(logging.INFO)
    p = multiprocessing.Process(target=child_logs)
    p.start()
    p.join()


def test_no_process():
    assert read_level()
"""


@needs_fork
@pytest.mark.parametrize("xdist", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_pytest_mp_sanitize_names_the_test_that_caused_each_hazard(tmp_path, xdist):
    (tmp_path / "test_suite.py").write_text(SUITE)
    out = tmp_path / "hazards.json"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--mp-sanitize", "--mp-sanitize-json", str(out),
         *xdist, "test_suite.py"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
        env={k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_")},
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr  # every test passed: the hazards fail the session
    assert "mpcheck sanitize: what another start method would change" in done.stdout
    assert "the hazards fail the session (exit 1)" in done.stdout
    data = json.loads(out.read_text())
    by_code = {h["code"]: h for h in data["hazards"]}
    assert set(by_code) == {"MP103", "MP105"}, data["hazards"]
    lines = SUITE.splitlines()
    assert by_code["MP103"]["tests"] == ["test_suite.py::test_runtime_global"]
    level_line = lines.index('    LEVEL = "loud"') + 1
    assert by_code["MP103"]["location"] == f"test_suite.py:{level_line}"
    assert by_code["MP105"]["tests"] == ["test_suite.py::test_logging_set_in_test"]
    handler_line = lines.index("    logger.addHandler(logging.StreamHandler())") + 1
    assert by_code["MP105"]["location"] == f"test_suite.py:{handler_line}"


@needs_fork
@pytest.mark.parametrize("how", ["option", "ini"])
def test_pytest_mp_sanitize_report_only_lists_the_hazards_and_keeps_the_outcome(tmp_path, how):
    (tmp_path / "test_suite.py").write_text(SUITE)
    extra = ["--mp-sanitize-report-only"] if how == "option" else []
    if how == "ini":
        (tmp_path / "pytest.ini").write_text("[pytest]\nmp_sanitize_report_only = true\n")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--mp-sanitize", *extra, "test_suite.py"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
        env={k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_")},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 hazard(s)" in done.stdout and "fail the session" not in done.stdout


TASK_LIBRARY = """\
TASKS = {}


def task(func):
    TASKS[func.__name__] = func
    return func


def run(name, x):
    if TASKS[name](x) != 2 * x:
        raise SystemExit(3)
"""

REGISTERING_TESTS = """\
import multiprocessing

from tasklib import TASKS, run, task


@task
def double(x):
    return 2 * x


def run_here(name, x):
    assert TASKS[name](x) == 2 * x


def test_worker_runs_a_registered_task():
    p = multiprocessing.Process(target=run, args=("double", 3))
    p.start()
    p.join()
    assert p.exitcode == 0


def test_worker_of_this_module_runs_it():
    p = multiprocessing.Process(target=run_here, args=("double", 3))
    p.start()
    p.join()
    assert p.exitcode == 0
"""


@needs_fork
def test_pytest_mp_sanitize_names_a_registry_that_a_spawn_worker_never_fills(tmp_path):
    """Issue 29: a decorator of the test module fills a library's table when pytest collects the module; a worker
    sent only the library's entry point never imports the test module under spawn or forkserver. A worker whose
    target is the test module's own function imports it, and its table is filled: no hazard for that test."""
    (tmp_path / "tasklib.py").write_text(TASK_LIBRARY)
    (tmp_path / "test_tasks.py").write_text(REGISTERING_TESTS)
    out = tmp_path / "hazards.json"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", "--mp-sanitize",
         "--mp-sanitize-json", str(out), "test_tasks.py"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
        env={k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_")},
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr  # both tests pass under fork: the hazard fails the session
    hazards = json.loads(out.read_text())["hazards"]
    assert [(h["code"], h["location"], h["tests"]) for h in hazards] == [
        ("MP103", "test_tasks.py:6", ["test_tasks.py::test_worker_runs_a_registered_task"])
    ], hazards
    assert "never `test_tasks`" in hazards[0]["evidence"]


CLEAN_TEST = """\
import multiprocessing


def double(n):
    return 2 * n


def test_a_pool_of_an_importable_function():
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        assert pool.map(double, [1, 2, 3]) == [2, 4, 6]
"""


def test_pytest_mp_sanitize_without_hazard_passes(tmp_path):
    # a test that starts processes the right way: watched, and nothing to report
    (tmp_path / "test_clean.py").write_text(CLEAN_TEST)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--mp-sanitize", "test_clean.py"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
        env={k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_")},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no hazard" in done.stdout


def test_readmes_example_has_no_hazard_whatever_pytest_imports_in_the_child():
    """README's `pytest --mp-sanitize examples/test_workers.py` (issue 33): a spawn or forkserver child imports
    the test file, whose `import pytest` (9.x) imports logging, which registers its own atexit handler. That
    handler is the standard library's, registered by an import: never blamed on the test file's line 1."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--mp-sanitize", "examples/test_workers.py"],
        capture_output=True, text=True, cwd=TESTS.parent, timeout=300,
        env={k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_")},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no hazard in" in done.stdout and "MP111" not in done.stdout


@needs_fork
def test_a_hazards_tests_line_names_every_parametrization(tmp_path):
    """The same hazard in four parametrizations of one test, in the same process: each is named."""
    project = tmp_path / "shared_pool"
    shutil.copytree(PROJECTS / "shared_pool", project)
    out = tmp_path / "hazards.json"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", "--mp-sanitize",
         "--mp-sanitize-report-only", "--mp-sanitize-json", str(out), "-k", "thread_runs"],
        capture_output=True, text=True, cwd=project, timeout=300,
        env={k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_")},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    (hazard,) = json.loads(out.read_text())["hazards"]
    assert hazard["code"] == "MP112"
    assert hazard["tests"] == [f"test_shared_pool.py::test_process_while_a_thread_runs[{n}]" for n in range(1, 5)]
    assert "  tests:    test_shared_pool.py::test_process_while_a_thread_runs[1, 2, 3, 4]\n" in done.stdout


def _hazards_of(tmp_path, folder, *names):
    """Each program ``folder/NAME.py`` sanitized (``mpcheck sanitize --json``): name -> the hazards it reported."""
    hazards = {}
    for name in names:
        report = tmp_path / f"{name}.json"
        sanitize("--json", str(report), "--", sys.executable, str(folder / f"{name}.py"))
        hazards[name] = json.loads(report.read_text())["hazards"]
    return hazards


@needs_fork
def test_a_global_of_another_module_read_through_its_function(tmp_path):
    """ddSMT#25: the main path sets another module's global through that module's ``init()``, and the Pool's tasks
    read it through ``tmpdirlib.get_tmp_filename()``: MP103 where ``init()`` sets it. Its fix, an initializer that
    sets it in each worker: nothing."""
    folder = DATA / "sanitize_programs" / "across_modules"
    hazards = _hazards_of(
        tmp_path, folder, "module_global_read_through_its_function_broken", "module_global_set_by_initializer_fixed"
    )
    (hazard,) = hazards["module_global_read_through_its_function_broken"]
    line = next(
        number
        for number, text in enumerate((folder / "tmpdirlib" / "__init__.py").read_text().splitlines(), 1)
        if "__TMPDIR = tempfile.mkdtemp" in text
    )
    assert hazard["code"] == "MP103" and hazard["location"].endswith(f"tmpdirlib/__init__.py:{line}")
    assert "global `__TMPDIR`" in hazard["evidence"] and "imports `tmpdirlib` afresh" in hazard["evidence"]
    assert hazards["module_global_set_by_initializer_fixed"] == []


@needs_fork
def test_a_registry_filled_by_a_module_whose_library_execs_only_when_called(tmp_path):
    """deco's own suite (fails under spawn and forkserver with KeyError): ``@concurrent`` fills a class-level table
    that the pool's task reads, and the library's ``exec`` runs only when a synchronized function is called, not
    on import: MP103, naming the entry the task looks up, where before it was undecided. Its fix, the module
    imported by the script's own import: nothing."""
    folder = DATA / "sanitize_programs" / "across_modules"
    broken, fixed = (
        "registry_filled_by_a_module_the_main_guard_imports_broken",
        "registry_filled_by_the_script_import_fixed",
    )
    hazards = _hazards_of(tmp_path, folder, broken, fixed)
    (hazard,) = hazards[broken]
    assert hazard["code"] == "MP103" and hazard["location"].endswith(f"{broken}.py:6")
    assert "`concurrent.functions` holds 'add_one': conclib_tasks.add_one" in hazard["evidence"]
    assert hazards[fixed] == []


@pytest.mark.parametrize(
    "code, dynamic",
    [
        ("def synchronized(src):\n    exec(src, {})\n", False),  # only when called: never on import
        ("exec('import json')\n", True),
        ("import importlib\ndef load():\n    importlib.import_module('x')\nload()\n", True),
        (
            "import importlib\ndef register(f):\n    importlib.import_module(f.__name__)\n    return f\n"
            "@register\ndef task():\n    pass\n",
            True,
        ),  # a decorator of the file, called on import
        ("class Loader:\n    exec('import json')\n", True),  # a class body runs on import
        ("def plugins(names=__import__('os').listdir('.')):\n    pass\n", True),  # a default value too
    ],
)
def test_a_module_imports_dynamically_on_import_only_through_what_its_import_runs(tmp_path, code, dynamic):
    from mpcheck.sanitize import source

    path = tmp_path / "lib.py"
    path.write_text(code)
    parsed = source.parse(str(path))
    assert parsed is not None and parsed.imports()[1] is dynamic


@needs_fork
def test_a_class_attribute_of_another_module_set_and_read_through_classmethods(tmp_path):
    """meta-tegra#2231: the main path sets tool paths on another module's class through a classmethod, and the
    flasher reads them through another classmethod: MP103 where the classmethod sets the attribute. Its fix, a
    worker that sets the paths itself from the folder it is handed: nothing."""
    folder = DATA / "sanitize_programs" / "across_modules"
    hazards = _hazards_of(
        tmp_path, folder, "class_paths_set_by_classmethod_broken", "class_paths_given_to_the_worker_fixed"
    )
    (hazard,) = hazards["class_paths_set_by_classmethod_broken"]
    assert hazard["code"] == "MP103" and hazard["location"].endswith("flashtools/__init__.py:11")
    assert "`FlashUtilities.nvdd_path`" in hazard["evidence"] and "import-time value None" in hazard["evidence"]
    assert hazards["class_paths_given_to_the_worker_fixed"] == []


@needs_fork
def test_a_task_of_a_module_loaded_by_path_and_a_worker_initializer_that_loads_it(tmp_path):
    """Arelle#961: a pool's task is a function of a plugin loaded by its path: a spawn worker cannot import its
    module by name (MP101 where the task is defined). Its fix, an initializer that loads the plugin in each worker
    before any task is unpickled: nothing."""
    folder = DATA / "sanitize_programs" / "across_modules"
    hazards = _hazards_of(tmp_path, folder, "plugin_loaded_by_path_broken", "plugin_loaded_in_each_worker_fixed")
    (hazard,) = hazards["plugin_loaded_by_path_broken"]
    assert hazard["code"] == "MP101" and hazard["location"].endswith("plugins/xule_compile.py:4")
    assert "cannot be imported by name" in hazard["evidence"]
    assert hazards["plugin_loaded_in_each_worker_fixed"] == []
