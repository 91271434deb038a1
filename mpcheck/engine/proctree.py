"""Finding and killing everything a cell started.

A cell's tree holds the scenario's children, a forkserver and a resource tracker; orphans are
reparented away from the tree as soon as their parent exits, so walking ``children()`` after the fact
misses them. On POSIX each cell is started in a session of its own and its members are found by
session id; on Linux, so is a member that made a session of its own with ``setsid()``, by an entry
of the cell's environment it still carries or, where that was replaced (an exec with another environment,
setproctitle), by a parent in the cell's sessions while that parent lives. Windows has no sessions:
there the tree is walked with psutil while the cell runs and every process ever seen in it is remembered.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from typing import Dict, List, Optional, Set

import psutil

POSIX = os.name == "posix"
LINUX = sys.platform.startswith("linux")


def popen_kwargs() -> Dict[str, object]:
    """Arguments for ``subprocess.Popen`` that make the cell's tree findable and killable."""
    if POSIX:
        return {"start_new_session": True}
    import subprocess

    return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}  # type: ignore[attr-defined]


def _linux_stat_fields(pid: object) -> List[bytes]:
    """``/proc/PID/stat`` from its third field on (state, ppid, pgrp, session, ...); empty if gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return []
    # The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    return stat[stat.rfind(b")") + 2 :].split()


def _linux_stat(pid: str) -> Optional[bytes]:
    fields = _linux_stat_fields(pid)
    return fields[0] if fields else None


def _linux_ppid(pid: int) -> Optional[int]:
    fields = _linux_stat_fields(pid)
    return int(fields[1]) if len(fields) > 1 else None


def _linux_environ_has(pid: str, entry: bytes) -> Optional[bool]:
    """Whether the process's environment holds ``entry``; None if that cannot be told yet."""
    try:
        with open(f"/proc/{pid}/environ", "rb") as fh:
            environ = fh.read()
    except PermissionError:
        return False  # another user's: not a cell's, which run as the harness's user
    except OSError:
        return None  # gone
    return entry in environ.split(b"\0") if environ else None  # empty: a zombie


class Tree:
    """The processes of one cell, whose leader is the cell's interpreter."""

    def __init__(self, leader_pid: int, marker: Optional[str] = None) -> None:
        """``marker``: an ``NAME=value`` entry only this cell's environment holds (Linux uses it to
        find members that left the session)."""
        self.leader = leader_pid
        self.seen: Set[int] = {leader_pid}  # Windows: every pid ever seen in the tree
        # Linux: the sessions of the tree (its own, and any a member made with setsid()), those
        # checked and found to be someone else's, and the environment entry that tells them apart.
        self.sessions: Set[int] = {leader_pid}
        self.foreign: Set[int] = {0, os.getsid(0)} if POSIX else set()  # 0: kernel threads
        self.marker = marker.encode() if marker else None
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
            return self._linux_alive()
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

    def _linux_alive(self) -> List[int]:
        """Live pids of the tree's sessions; sessions it spawned by ``setsid()`` are added on sight.

        One ``getsid()`` per process (far cheaper than reading every ``/proc/PID/stat``), then the
        state of the matching ones only. A session not yet known is checked once, by the environment
        of its first process: every process of a cell inherits the cell's own ``MPCHECK_RESULT=<path>``,
        so a grandchild that left the cell's session with ``setsid()`` is still found.
        """
        members = []
        for entry in os.scandir("/proc"):
            name = entry.name
            if not name.isdigit():
                continue
            try:
                sid = os.getsid(int(name))
            except OSError:
                continue
            if sid not in self.sessions:
                if sid in self.foreign:
                    continue
                ours = False if self.marker is None else _linux_environ_has(name, self.marker)
                if not ours and self.marker is not None and self._descends(int(name)):
                    ours = True  # its environment was replaced (an exec with env={}, setproctitle): a parent is ours
                if ours is None:
                    continue  # ask again of the next process of this session, or at the next scan
                if not ours:
                    self.foreign.add(sid)
                    continue
                self.sessions.add(sid)
            state = _linux_stat(name)
            if state is not None and state not in (b"Z", b"X"):
                members.append(int(name))
        return members

    def _descends(self, pid: int, depth: int = 64) -> bool:
        """Whether a parent of ``pid`` (its parent's parent...) is in one of the tree's sessions: a member
        that left the session and then lost the cell's environment (setproctitle writes over the memory
        /proc/PID/environ shows) is still found while its parent lives."""
        for _ in range(depth):
            parent = _linux_ppid(pid)
            if parent is None or parent <= 1:
                return False
            try:
                if os.getsid(parent) in self.sessions:
                    return True
            except OSError:
                return False
            pid = parent
        return False

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
        """Wait up to ``timeout`` for every member to exit; return those still alive. Looks again after
        1 ms, then each time twice as long, up to ``poll``: helpers that leave with their parent (a
        resource tracker, a forkserver) are seen gone within milliseconds, a long wait costs little."""
        deadline = time.monotonic() + timeout
        step = min(0.001, poll)
        while True:
            live = self.alive()
            if not live or time.monotonic() >= deadline:
                return live
            time.sleep(step)
            step = min(step * 2, poll)

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
