"""Finding and killing everything a cell started.

A cell's tree holds the scenario's children, a forkserver and a resource tracker; orphans are
reparented away from the tree as soon as their parent exits, so walking ``children()`` after the fact
misses them. On POSIX each cell is started in a session of its own and its members are found by
session id. Windows has no sessions: there the tree is walked with psutil while the cell runs and
every process ever seen in it is remembered.
"""

from __future__ import annotations

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
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
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
                self.seen.update(c.pid for c in psutil.Process(pid).children(recursive=True))
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

    def kill(self, grace: float = 1.0) -> List[int]:
        """Escalate interrupt -> terminate -> kill, each step bounded by ``grace`` seconds.

        The interrupt makes the scenario's Python print where it was; the resource tracker ignores
        SIGINT and SIGTERM and exits by itself once the others are gone, unlinking what they leaked.
        Returns the pids that were still alive when the escalation began.
        """
        initial = self.alive()
        if not initial:
            return []
        if POSIX:
            steps = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL]
        else:
            steps = [signal.CTRL_BREAK_EVENT, signal.SIGTERM]  # type: ignore[attr-defined]
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
                    psutil.Process(pid).kill()
                except psutil.Error:
                    continue
        self.wait_empty(grace)
        return initial

    def _windows_signal(self, sig: int) -> None:
        if sig == getattr(signal, "CTRL_BREAK_EVENT", None):
            try:
                os.kill(self.leader, sig)  # reaches the whole console process group
            except OSError:
                pass
            return
        for pid in self.alive():
            try:
                psutil.Process(pid).terminate()
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
