"""``mpcheck suite``: the user's own test suite once per start method, and the tests whose outcome differs.

Each method's run is one ``python -m pytest --mp-start-method=METHOD [the user's arguments]`` in a
session of its own (its whole process tree can be killed). The plugin (:mod:`mpcheck.forced_session`)
writes one JSON line per finished test and the test in progress into a folder of this run; the
supervisor here watches that folder. A test past the per-test timeout gets its traceback dumped (a
signal the plugin registered with faulthandler only while nobody else handled it: no alarm, no
watchdog thread in the test process), its pytest's whole tree is killed (interrupt, terminate, kill,
each bounded), the test is marked ``timeout`` for that method, and pytest starts again without the
tests already done. Tests that changed outcome are run again under each method before they are
reported; one whose outcome changes on the rerun is flaky, not a difference.

Exit codes: 0 every test agrees, 1 some test differs (or is flaky), 2 bad input (pytest's own usage
errors included, in one line), 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from ._forced import ENV
from .engine.proctree import Tree, popen_kwargs
from .engine.proctree import describe as describe_pids
from .errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, UsageError
from .forced_session import ONLY_FILE_ENV, SKIP_FILE_ENV, SUITE_DIR_ENV, SUITE_OWNER_ENV
from .suite_report import MethodRun, TestResult

DEFAULT_TIMEOUT = 300.0
POLL_S = 0.1
DRAIN_S = 5.0
#: Each step of the kill (interrupt, terminate, kill) waits this long. pytest ends on the interrupt;
#: the resource tracker then unlinks the named semaphores the tests left, and must not be killed
#: before it has (a loaded machine takes seconds).
KILL_GRACE_S = 5.0
#: pytest's exit codes: tests ran (0 all passed, 1 some failed), 2 interrupted (collection errors),
#: 3 internal error, 4 usage error, 5 no tests collected
PYTEST_RAN = (0, 1)


@dataclass
class Session:
    """One pytest process: how it ended and, if a test hung, which."""

    returncode: Optional[int]
    hung: Optional[str] = None
    hung_traceback: str = ""
    stdout: str = ""
    stderr: str = ""
    leftovers: Sequence[str] = ()


def _last_line(text: str, prefixes: Sequence[str] = ()) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for prefix in prefixes:
        found = [line for line in lines if line.startswith(prefix)]
        if found:
            return found[0]
    return lines[-1] if lines else ""


def _usage_line(text: str) -> str:
    """The one line that says what pytest refused: ``ERROR: file or directory not found: x`` or the
    argparse line after ``ERROR: usage: ...``."""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("ERROR:") and not line.startswith("ERROR: usage:"):
            return line[len("ERROR:") :].strip()
        if ": error: " in line:
            return line.split(": error: ", 1)[1].strip()
    return _last_line(text)


def _read_json(path: Path) -> Optional[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def read_results(folder: Path) -> List[TestResult]:
    """Every complete result line the plugin wrote (a line cut by a kill is skipped)."""
    results = []
    for path in sorted(folder.glob("results-*.jsonl")):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        for line in lines:
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if isinstance(data, dict) and "nodeid" in data:
                results.append(TestResult.from_line(data))
    return results


def _hang_frame(traceback_text: str, nodeid: str) -> str:
    """``file:line in function`` where the test hung: the innermost frame in the test's own file, else
    the innermost frame of the first thread faulthandler dumped."""
    test_file = nodeid.split("::", 1)[0].replace("\\", "/")
    frames = []
    for line in traceback_text.splitlines():
        line = line.strip()
        if line.startswith("File "):
            frames.append(line[len("File ") :].replace('"', ""))
        elif frames and not line:
            break  # the first thread only
    own = [f for f in frames if f.split(", line", 1)[0].replace("\\", "/").endswith(test_file)]
    if own:
        return test_file + ", line" + own[0].split(", line", 1)[1]
    return frames[0] if frames else ""


class Suite:
    """Runs the suite under start methods; cancellable from the main thread (Ctrl-C)."""

    def __init__(
        self, pytest_args: Sequence[str], timeout: float = DEFAULT_TIMEOUT, cwd: Optional[Path] = None
    ) -> None:
        self.pytest_args = list(pytest_args)
        self.timeout = timeout
        self.cwd = cwd
        self._trees: Dict[int, Tree] = {}
        self._lock = threading.Lock()
        self.cancelled = threading.Event()

    # -- one pytest process ---------------------------------------------------------------------

    def _command(self, method: str) -> List[str]:
        load = []
        if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
            load = ["-p", "mpcheck.pytest_plugin"]
        return [sys.executable, "-m", "mpcheck.pytest_command", *load, f"--mp-start-method={method}", *self.pytest_args]

    def session(
        self, method: str, folder: Path, skip: Iterable[str] = (), only: Optional[Iterable[str]] = None
    ) -> Session:
        env = {k: v for k, v in os.environ.items() if k not in (SUITE_OWNER_ENV, SKIP_FILE_ENV, ONLY_FILE_ENV)}
        env[ENV] = method
        env[SUITE_DIR_ENV] = str(folder)
        skip = list(skip)
        if skip:
            (folder / "skip.txt").write_text("".join(f"{n}\n" for n in skip), encoding="utf-8")
            env[SKIP_FILE_ENV] = str(folder / "skip.txt")
        if only is not None:
            (folder / "only.txt").write_text("".join(f"{n}\n" for n in only), encoding="utf-8")
            env[ONLY_FILE_ENV] = str(folder / "only.txt")
        out_path, err_path = folder / "stdout.txt", folder / "stderr.txt"
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            proc = subprocess.Popen(
                self._command(method), stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, cwd=self.cwd,
                **popen_kwargs(),  # type: ignore[call-overload]
            )  # fmt: skip
        tree = Tree(proc.pid, marker=f"{SUITE_DIR_ENV}={folder}")
        with self._lock:
            self._trees[proc.pid] = tree
        hung: Optional[str] = None
        traceback_text = ""
        try:
            while True:
                try:
                    proc.wait(timeout=POLL_S)
                    break
                except subprocess.TimeoutExpired:
                    pass
                tree.remember()
                if self.cancelled.is_set():
                    break
                hang = self._find_hang(folder)
                if hang is not None:
                    hung, pid, sig = hang
                    traceback_text = self._dump(folder, pid, sig)
                    break
            if proc.poll() is None:
                tree.kill(grace=KILL_GRACE_S)
                proc.wait()
                returncode = None
                leftovers: List[str] = []
            else:
                returncode = proc.returncode
                live = tree.wait_empty(DRAIN_S)
                leftovers = describe_pids(live)
                if live:
                    tree.kill()
        finally:
            with self._lock:
                self._trees.pop(proc.pid, None)
        return Session(
            returncode,
            hung,
            traceback_text,
            out_path.read_text(encoding="utf-8", errors="replace"),
            err_path.read_text(encoding="utf-8", errors="replace"),
            leftovers,
        )

    def _find_hang(self, folder: Path) -> Optional[Tuple[str, int, Optional[int]]]:
        now = time.time()
        for path in folder.glob("progress-*.json"):
            data = _read_json(path)
            if not data or not data.get("nodeid"):
                continue
            if now - float(data.get("start", now)) > self.timeout:
                pid = int(path.stem.split("-", 1)[1])
                return str(data["nodeid"]), pid, data.get("dump_signal")
        return None

    @staticmethod
    def _dump(folder: Path, pid: int, sig: Optional[int]) -> str:
        """Ask the hung process for every thread's traceback (if its signal is still ours)."""
        if sig is None:
            return ""
        path = folder / f"traceback-{pid}.txt"
        before = path.stat().st_size if path.exists() else 0
        try:
            os.kill(pid, int(sig))
        except OSError:
            return ""
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            time.sleep(0.05)
            if path.exists() and path.stat().st_size > before:
                time.sleep(0.1)  # let the handler finish writing
                break
        try:
            return path.read_text(encoding="utf-8", errors="replace")[before:]
        except OSError:
            return ""

    # -- one method, resumed after each hang ----------------------------------------------------

    def run_method(self, method: str, only: Optional[Sequence[str]] = None, first: bool = True) -> MethodRun:
        run = MethodRun(method)
        start = time.monotonic()
        done: Set[str] = set()
        try:
            while not self.cancelled.is_set():
                folder = Path(tempfile.mkdtemp(prefix=f"mpcheck-suite-{method}-"))
                try:
                    session = self.session(method, folder, skip=sorted(done), only=only)
                    run.sessions += 1
                    for result in read_results(folder):
                        run.tests[result.nodeid] = result
                        done.add(result.nodeid)
                    for path in folder.glob("session-*.json"):
                        data = _read_json(path)
                        if data and data.get("project_method") and run.project_method is None:
                            run.project_method = str(data["project_method"])
                finally:
                    shutil.rmtree(folder, ignore_errors=True)
                run.leftovers.extend(session.leftovers)
                if session.hung is not None:
                    where = _hang_frame(session.hung_traceback, session.hung)
                    run.tests[session.hung] = TestResult(
                        session.hung,
                        "timeout",
                        f"still running after {self.timeout:g} s" + (f", in {where}" if where else ""),
                        session.hung_traceback,
                        duration_s=self.timeout,
                    )
                    done.add(session.hung)
                    continue
                self._check(method, session, run, first and run.sessions == 1)
                break
        finally:
            run.wall_s = time.monotonic() - start
        return run

    def _check(self, method: str, session: Session, run: MethodRun, first: bool) -> None:
        """pytest's own failures: a usage error is the user's input (exit 2); others end the run here."""
        rc = session.returncode
        if rc in PYTEST_RAN or self.cancelled.is_set():
            return
        if rc == 5 and not first:
            return  # a resumed run with nothing left to run
        if first and not run.tests:
            if rc == 4:
                raise UsageError(f"pytest: {_usage_line(session.stderr + session.stdout)}")
            if rc == 5:
                raise UsageError(f"pytest collected no tests (arguments: {' '.join(self.pytest_args) or 'none'})")
            if rc == 2:
                line = _last_line(session.stdout, ("ERROR ", "E   "))
                raise UsageError(f"pytest stopped before running any test ({_last_line(session.stdout)}): {line}")
            line = _last_line(session.stderr + session.stdout, ("INTERNALERROR>",))
            raise UsageError(f"pytest ended with exit code {rc} before running any test: {line}")
        run.incomplete = f"pytest ended with exit code {rc}: {_last_line(session.stdout + session.stderr)}"

    # -- every method ---------------------------------------------------------------------------

    def run(self, methods: Sequence[str], parallel: bool) -> List[MethodRun]:
        if not parallel or len(methods) == 1:
            return [self.run_method(m) for m in methods]
        return self._at_once(self.run_method, methods)

    def rerun(self, methods: Sequence[str], nodeids: Sequence[str], parallel: bool) -> List[MethodRun]:
        """Each test alone (its own pytest) under each method: a test's rerun is not disturbed by
        another's hang or state; the methods at once with ``parallel``."""

        def one(method: str) -> MethodRun:
            merged = MethodRun(method)
            for nodeid in nodeids:
                if self.cancelled.is_set():
                    break
                run = self.run_method(method, only=[nodeid], first=False)
                merged.tests.update(run.tests)
                merged.wall_s += run.wall_s
                merged.sessions += run.sessions
            return merged

        if not parallel or len(methods) == 1:
            return [one(m) for m in methods]
        return self._at_once(one, methods)

    def _at_once(self, fn: Callable[[str], MethodRun], methods: Sequence[str]) -> List[MethodRun]:
        with ThreadPoolExecutor(max_workers=len(methods), thread_name_prefix="mpcheck-suite") as pool:
            futures = [pool.submit(fn, m) for m in methods]
            try:
                while not all(f.done() for f in futures):
                    time.sleep(0.1)  # short waits keep the main thread responsive to Ctrl-C
            except KeyboardInterrupt:
                self.cancel()
                raise
            return [f.result() for f in futures]

    def cancel(self) -> None:
        self.cancelled.set()
        with self._lock:
            trees = list(self._trees.values())
        for tree in trees:
            tree.kill(grace=0.5)


def check_writable(paths: Iterable[Optional[Path]]) -> None:
    """Fail before the first test, not after the last, when an output path cannot be written."""
    for path in paths:
        if path is None:
            continue
        if path.is_dir():
            raise UsageError(f"{path}: is a folder, expected a file path")
        existed = path.exists()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8"):
                pass
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
        if not existed:
            path.unlink()


def available_methods() -> List[str]:
    import multiprocessing

    return list(multiprocessing.get_all_start_methods())


def main(args: argparse.Namespace) -> int:
    """The ``mpcheck suite`` command (parsed arguments from :mod:`mpcheck.cli`)."""
    from rich.console import Console

    from . import suite_report
    from .runtime import current_platform, python_version

    here = available_methods()
    methods = suite_report.method_order(args.method or here)
    lacking = [m for m in methods if m not in here]
    if lacking:
        raise UsageError(f"--method {lacking[0]}: this platform has no {lacking[0]!r} start method ({', '.join(here)})")
    check_writable([args.json, args.junit])
    suite = Suite(args.pytest_args, timeout=args.timeout or DEFAULT_TIMEOUT)
    started = time.monotonic()
    try:
        runs = suite.run(methods, args.parallel)
        rows = suite_report.build_rows(runs)
        changed = [r.nodeid for r in rows if r.status == "differ"]
        if changed and not suite.cancelled.is_set():
            reruns = suite.rerun(methods, changed, args.parallel)
            suite_report.apply_reruns(rows, reruns)
    except KeyboardInterrupt:
        suite.cancel()
        print("mpcheck: interrupted: pytest and everything it started were stopped", file=sys.stderr)
        return EXIT_INTERRUPTED
    wall = time.monotonic() - started
    platform, version = current_platform(), sys.version_info[:3]
    suite_report.explain(rows, runs, platform, tuple(version))
    native = _native_default()
    title = (
        f"mpcheck suite · Python {python_version()} · {platform} · {', '.join(methods)} "
        f"(default here: {native}) · {wall:.1f} s"
    )
    suite_report.show(Console(), rows, runs, title)
    if args.json:
        data = suite_report.to_json(rows, runs, platform, args.pytest_args, wall)
        suite_report.write_json(args.json, data)
    if args.junit:
        suite_report.write_junit(args.junit, rows, runs)
    return EXIT_FAILED if any(r.status == "differ" for r in rows) else EXIT_OK


def _native_default() -> str:
    from . import _forced

    if os.environ.get(ENV):
        return _forced.native()
    import multiprocessing

    return str(multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_context().get_start_method())
