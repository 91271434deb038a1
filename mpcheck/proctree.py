"""Finding and killing everything a cell started.

A cell's tree holds the scenario's children, a forkserver and a resource tracker; orphans are
reparented away from the tree as soon as their parent exits, so walking ``children()`` after the fact
misses them. On POSIX each cell is started in a session of its own and its members are found by
session id. Windows has no sessions: there the tree is walked with psutil while the cell runs and
every process ever seen in it is remembered.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from typing import Dict, List, Set

import psutil

POSIX = os.name == "posix"
LINUX = sys.platform.startswith("linux")


def popen_kwargs() -> Dict[str, object]:
    """Arguments for ``subprocess.Popen`` that make the cell's tree findable and killable."""
    if POSIX:
        return {"start_new_session": True}
    import subprocess

    return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}  # type: ignore[attr-defined]


def _linux_session_members(sid: int) -> List[int]:
    members = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if os.getsid(int(entry.name)) != sid:
                continue  # one syscall: far cheaper than reading /proc/PID/stat of every process
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # The command name (field 2) may hold spaces and parentheses: split after its last ')'.
        fields = stat[stat.rfind(b")") + 2 :].split()
        state, session = fields[0], int(fields[3])
        if session == sid and state not in (b"Z", b"X"):
            members.append(int(entry.name))
    return members


class Tree:
    """The processes of one cell, whose leader is the cell's interpreter."""

    def __init__(self, leader_pid: int) -> None:
        self.leader = leader_pid
        self.seen: Set[int] = {leader_pid}  # Windows: every pid ever seen in the tree
        self._handles: Dict[int, psutil.Process] = {}

    def _handle(self, pid: int) -> psutil.Process:
        """Windows: the handle made when ``pid`` was first seen. psutil compares creation times, so a
        pid that Windows reused for an unrelated process counts as gone and is never signalled."""
        proc = self._handles.get(pid)
        if proc is None:
            proc = self._handles[pid] = psutil.Process(pid)
        return proc

    def alive(self) -> List[int]:
        """Pids of the tree's live (non-zombie) members, leader included."""
        if LINUX:
            return _linux_session_members(self.leader)
        if POSIX:
            found = []
            for proc in psutil.process_iter():
                try:
                    if os.getsid(proc.pid) == self.leader and proc.status() != psutil.STATUS_ZOMBIE:
                        found.append(proc.pid)
                except (OSError, psutil.Error):
                    continue
            return found
        self.remember()
        live = []
        for pid in self.seen:
            try:
                if self._handle(pid).is_running():
                    live.append(pid)
            except psutil.Error:
                continue
        return live

    def remember(self) -> None:
        """Windows: add the current descendants to the remembered tree (cheap enough to poll)."""
        if POSIX:
            return
        for pid in list(self.seen):
            try:
                for child in self._handle(pid).children(recursive=True):
                    self._handles.setdefault(child.pid, child)
                    self.seen.add(child.pid)
            except psutil.Error:
                continue

    def wait_empty(self, timeout: float, poll: float = 0.02) -> List[int]:
        """Wait up to ``timeout`` for every member to exit; return those still alive."""
        deadline = time.monotonic() + timeout
        while True:
            live = self.alive()
            if not live or time.monotonic() >= deadline:
                return live
            time.sleep(poll)

    def _signal_all(self, sig: int) -> None:
        for pid in self.alive():
            try:
                os.kill(pid, sig)
            except OSError:
                continue

    def dump_tracebacks(self, wait: float = 0.3) -> None:
        """Ask the leader to write every thread's traceback to its stderr (SIGUSR1, registered with
        faulthandler by the cell's bootstrap), so a timeout says where it hung. Windows: the
        bootstrap armed ``dump_traceback_later`` instead."""
        sig = getattr(signal, "SIGUSR1", None)
        if sig is None:
            return
        try:
            os.kill(self.leader, sig)
        except OSError:
            return
        time.sleep(wait)  # the dump is written from a signal handler: give it a moment

    def kill(self, grace: float = 1.0) -> List[int]:
        """Escalate interrupt -> terminate -> kill, each step bounded by ``grace`` seconds.

        The interrupt makes the scenario's Python print where it was; the resource tracker ignores
        SIGINT and SIGTERM and exits by itself once the others are gone, unlinking what they leaked.
        Returns the pids that were still alive when the escalation began.
        """
        initial = self.alive()
        if not initial:
            return []
        # Windows has no SIGINT for another process group: CTRL_BREAK_EVENT is its interrupt.
        interrupt = signal.SIGINT if POSIX else getattr(signal, "CTRL_BREAK_EVENT", signal.SIGINT)
        steps = [interrupt, signal.SIGTERM, getattr(signal, "SIGKILL", signal.SIGTERM)]
        for sig in steps:
            if POSIX:
                self._signal_all(sig)
            else:
                self._windows_signal(sig)
            if not self.wait_empty(grace):
                return initial
        if not POSIX:
            for pid in self.alive():
                try:
                    self._handle(pid).kill()
                except psutil.Error:
                    continue
        self.wait_empty(grace)
        return initial

    def _windows_signal(self, sig: int) -> None:
        if sig == getattr(signal, "CTRL_BREAK_EVENT", None):
            with contextlib.suppress(OSError):
                os.kill(self.leader, sig)  # reaches the whole console process group
            return
        for pid in self.alive():
            try:
                self._handle(pid).terminate()
            except psutil.Error:
                continue


def describe(pids: List[int]) -> List[str]:
    """``["1234 python -c from multiprocessing.forkserver ..."]`` for messages about leftovers."""
    out = []
    for pid in pids:
        try:
            cmd = " ".join(psutil.Process(pid).cmdline())[:120]
        except psutil.Error:
            cmd = "?"
        out.append(f"{pid} {cmd}")
    return out
