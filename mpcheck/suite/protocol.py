"""What ``mpcheck suite``'s supervisor and its agent inside the user's pytest share.

The supervisor (:mod:`.supervisor`) starts pytest with :data:`SUITE_DIR_ENV` naming a folder of this
run; the agent (:mod:`.agent`, in that pytest and its pytest-xdist workers) writes into it, and the
supervisor reads it while pytest runs and after:

- ``results-PID.jsonl``: a line when a test starts (:func:`running_line`: which, since when, and the
  signal that dumps its traceback) and one when it ends (:class:`TestResult`), appended (a test costs
  two small writes, no file replaced);
- ``session-PID.json``: the method in force once collection ended (a project may set its own), and how
  many tests that process collected;
- ``traceback-PID.txt``: where faulthandler writes the dump;
- ``skip.txt`` / ``only.txt``: node ids not to run again (a run resumed after a hang) / to run alone;
- ``gate``: written when a pytest started ahead of its turn may go on (:data:`GATE_ENV`);
- ``reachable``: written by the agent the first time a test does something the forced default can reach
  (:data:`REACHABLE_FILE`): only then are the later methods' pytest processes started.

Beside the folders, with ``--parallel``: one file of the whole run (:data:`STREAM_ENV`) where the supervisor
appends, test by test, what the first method's run has decided (:class:`Decisions` reads it).

Stdlib only: imported inside the user's pytest.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

SUITE_DIR_ENV = "MPCHECK_SUITE_DIR"
#: pid of the pytest process that owns the suite directory (set by it): nested pytest runs started by
#: the tests (pytester) inherit the directory but must not write into it.
SUITE_OWNER_ENV = "MPCHECK_SUITE_OWNER"
SKIP_FILE_ENV = "MPCHECK_SUITE_SKIP"  # nodeids already done (a run resumed after a timeout)
ONLY_FILE_ENV = "MPCHECK_SUITE_ONLY"  # nodeids to run, and no others (reruns)
#: a file to wait for before importing any conftest.py: a later method's pytest is started while the
#: method before it runs (its start-up overlaps that run) and waits here until the supervisor says go
GATE_ENV = "MPCHECK_SUITE_GATE"
SKIP_FILE, ONLY_FILE, GATE_FILE = "skip.txt", "only.txt", "gate"
#: the first time a test of the run starts a process through the default context, asks for the method,
#: starts a subprocess or sends work to another process (a start through an explicit context alone is not it)
REACHABLE_FILE = "reachable"
#: with --parallel, the later methods' pytest run beside the first method's: a file the supervisor appends
#: to, a line per test the first method's run has decided (:func:`decision_line`), :data:`END_LINE` when
#: that run has ended; the later pytest runs each test once it is decided (:class:`Decisions`)
STREAM_ENV = "MPCHECK_SUITE_STREAM"
END_LINE = "=\n"


def decision_line(nodeid: str, run: bool) -> str:
    """Whether the later methods run ``nodeid``: ``+nodeid`` or ``-nodeid``."""
    return ("+" if run else "-") + nodeid + "\n"


class Decisions:
    """The agent's side of :data:`STREAM_ENV`: the file read from where it was left, a line once it ends.
    After :data:`END_LINE` every test is decided: one never named ``+`` is not to run (the first method's
    run never reported it: collected there otherwise, deselected, another order that ended first)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.offset = 0
        self.decided: Dict[str, bool] = {}
        self.ended = False

    def read(self) -> None:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self.offset)
                chunk = fh.read()
        except OSError:
            return  # nothing decided yet
        complete = chunk.rfind(b"\n") + 1
        self.offset += complete
        for line in chunk[:complete].decode("utf-8").splitlines():
            if line == END_LINE.strip():
                self.ended = True
            elif line[:1] in ("+", "-"):
                self.decided.setdefault(line[1:], line[0] == "+")

    def known(self, nodeid: str) -> Optional[bool]:
        """Whether to run ``nodeid``, None while not decided (read again first)."""
        self.read()
        if nodeid in self.decided:
            return self.decided[nodeid]
        return False if self.ended else None


def mark_reachable(folder: str) -> None:
    """Say that the run has a test the forced default can reach (the agent's ``hook.on_reachable``)."""
    try:
        with open(os.path.join(folder, REACHABLE_FILE), "a", encoding="utf-8"):
            pass
    except OSError:  # the run is over (its folder removed)
        pass


def results_file(folder: str, pid: int) -> str:
    return os.path.join(folder, f"results-{pid}.jsonl")


def session_name(pid: int) -> str:
    return f"session-{pid}.json"


def traceback_file(folder: str, pid: int) -> str:
    return os.path.join(folder, f"traceback-{pid}.txt")


@dataclass
class TestResult:
    """One test under one start method: one line of a results file."""

    __test__ = False  # not a pytest test class, though its name says Test

    nodeid: str
    outcome: str
    first_line: str = ""
    text: str = ""
    exposure: Dict[str, Dict[str, int]] = field(default_factory=lambda: {"default": {}, "explicit": {}})
    duration_s: float = 0.0
    path: str = ""

    @classmethod
    def from_line(cls, data: Dict[str, Any]) -> TestResult:
        found = data.get("exposure")
        exposure: Dict[str, Any] = found if isinstance(found, dict) else {}
        return cls(
            nodeid=str(data["nodeid"]),
            outcome=str(data.get("outcome", "missing")),
            first_line=str(data.get("first_line") or ""),
            text=str(data.get("text") or ""),
            exposure={k: dict(exposure.get(k) or {}) for k in ("default", "explicit", "other")},
            duration_s=float(data.get("duration_s") or 0.0),
            path=str(data.get("path") or ""),
        )

    def exposed(self) -> bool:
        """Whether the start method can have reached this test: it started a process (any context, any
        package), asked for the method or the default context, started a subprocess, used a fixture that
        started processes, or hung (what it would have done is unknown)."""
        return self.outcome == "timeout" or any(any(v.values()) for v in self.exposure.values())

    def explicit_only(self) -> bool:
        """It started processes only through explicit contexts (``get_context("spawn")``, ``mp_context=``)
        and did nothing else the forced method reaches: those run the same under every forced method,
        unless a child started processes of its own (the suite checks that apart)."""
        exposure = self.exposure
        return (
            self.outcome != "timeout"
            and any((exposure.get("explicit") or {}).values())
            and not any((exposure.get("default") or {}).values())
            and not any((exposure.get("other") or {}).values())
        )

    def to_line(self) -> str:
        data = {
            "nodeid": self.nodeid,
            "path": self.path,
            "outcome": self.outcome,
            "first_line": self.first_line,
            "text": self.text,
            "exposure": self.exposure,
            "duration_s": self.duration_s,
        }
        return json.dumps(data) + "\n"


def running_line(nodeid: str, start: float, dump_signal: Optional[int]) -> str:
    """The line an agent appends when a test starts."""
    return json.dumps({"running": nodeid, "start": start, "dump_signal": dump_signal}) + "\n"


def write_json(folder: str, name: str, data: Dict[str, Any]) -> None:
    """Replace ``folder/name`` whole (the reader never sees half of it)."""
    path = os.path.join(folder, name)
    with open(path + ".tmp", "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    os.replace(path + ".tmp", path)


def read_json(path: Path) -> Optional[Dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_ids(folder: Path, name: str, nodeids: Iterable[str]) -> str:
    """Write the node ids whole (a pytest waiting at the gate may read them the moment they exist)."""
    path = folder / name
    tmp = folder / (name + ".tmp")
    tmp.write_text("".join(f"{n}\n" for n in nodeids), encoding="utf-8")
    os.replace(tmp, path)
    return str(path)


def read_ids(path: Optional[str]) -> Optional[set]:
    if not path:
        return None
    with open(path, encoding="utf-8") as fh:
        return {line.rstrip("\n") for line in fh if line.strip()}


def read_results(folder: Path) -> List[TestResult]:
    """Every complete result line the agents wrote (a line cut by a kill is skipped)."""
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


def collected(folder: Path) -> Optional[int]:
    """How many tests this pytest run will run (the most any of its processes collected), once known."""
    counts = [data.get("collected") for data in map(read_json, folder.glob("session-*.json")) if data]
    found = [n for n in counts if isinstance(n, int)]
    return max(found) if found else None


class Watcher:
    """What the agents have written so far, read incrementally (each file from where it was left): how
    many tests ended, and what each pytest process is running now."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.offsets: Dict[Path, int] = {}
        #: tests ended so far
        self.count = 0
        #: per pytest process (pid): the test it runs now, ``{"pid", "nodeid", "start", "dump_signal"}``
        self._running: Dict[int, Dict[str, Any]] = {}
        #: the tests ended since the caller last emptied it (the first method's run decides for the later)
        self.new: List[TestResult] = []

    def __call__(self) -> int:
        """Read what is new; how many tests have ended."""
        for path in self.folder.glob("results-*.jsonl"):
            try:
                with open(path, "rb") as fh:
                    fh.seek(self.offsets.get(path, 0))
                    chunk = fh.read()
            except OSError:
                continue
            complete = chunk.rfind(b"\n") + 1  # a line being written is read once it ends
            self.offsets[path] = self.offsets.get(path, 0) + complete
            pid = int(path.stem.split("-", 1)[1])
            for line in chunk[:complete].splitlines():
                try:
                    data = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(data, dict):
                    continue
                if "nodeid" in data:
                    self.count += 1
                    self._running.pop(pid, None)
                    self.new.append(TestResult.from_line(data))
                elif data.get("running"):
                    self._running[pid] = {**data, "nodeid": data["running"], "pid": pid}
        return self.count

    def running(self) -> List[Dict[str, Any]]:
        """What each pytest process of the run is running now (as of the last read)."""
        return list(self._running.values())


def project_method(folder: Path) -> Optional[str]:
    """The method a project set for itself while pytest collected, if any process says so."""
    for path in folder.glob("session-*.json"):
        data = read_json(path)
        if data and data.get("project_method"):
            return str(data["project_method"])
    return None
