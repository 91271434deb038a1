"""The one supervisor of every interpreter mpcheck starts: a session of its own, a deadline, a dump, a kill.

The catalog's cells, the probe's runs and ``mpcheck suite``'s pytest processes are all started here:
in a session (POSIX) or process group (Windows) of their own, so that everything they start can be
found (:mod:`.proctree`); waited for with one strategy (a pidfd on Linux wakes the moment the child
exits; elsewhere short waits), with an optional ``tick`` the caller uses to watch for a hang; killed
with one escalation (interrupt, terminate, kill, each step bounded by :data:`KILL_GRACE_S`); drained
(helpers such as a forkserver or a resource tracker get :data:`DRAIN_S` to leave by themselves, then
are killed and named); and cancelled all at once on Ctrl-C, from :meth:`Supervisor.map`.
"""

from __future__ import annotations

import contextlib
import os
import select
import subprocess
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import IO, Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence, TypeVar, Union

from .proctree import Tree, describe, popen_kwargs

#: How often a waiting supervisor wakes to look around (a hang, a cancel; Windows: the tree's new members).
#: A child's exit wakes it at once where a pidfd exists (Linux 5.3+).
POLL_S = 0.2
#: Each step of a kill (interrupt, terminate, kill) waits this long for the tree to be empty. Most trees
#: end on the interrupt at once; the resource tracker, which ignores it, then unlinks the named
#: semaphores its processes left, and must not be killed before it has (seconds on a loaded machine).
KILL_GRACE_S = 5.0
#: How long a finished child's helpers (forkserver, resource tracker) get to exit by themselves.
DRAIN_S = 5.0
#: Default children at once per core: a cell mostly waits (on its children's start-up, joins, exits),
#: so one per core leaves cores idle; measured with bench/catalog.py on 2 cores, 2 per core ran the
#: catalog in ~60% of the time of 1 per core, and 3-4 per core gained little more.
JOBS_PER_CORE = 2

#: POSIX, for a command run ``held`` (see :meth:`Supervisor.running`): a shell that holds the session and runs the
#: command as its child, then ends as the command did (a command killed by signal N kills the shell with N).
HOLD = (
    '"$@"; s=$?; if [ "$s" -gt 128 ] && [ "$s" -le 192 ]; then trap - "$((s - 128))" 2>/dev/null; '
    'kill "-$((s - 128))" "$$"; fi; exit "$s"'
)

T = TypeVar("T")
R = TypeVar("R")
Output = Union[int, IO[Any], None]


@dataclass
class Child:
    """One supervised interpreter and the tree of processes it started."""

    proc: subprocess.Popen
    tree: Tree
    started: float


def _pidfd(pid: int) -> Optional[int]:
    """A descriptor that becomes readable when ``pid`` exits (Linux 5.3+), else None."""
    try:
        return os.pidfd_open(pid)  # type: ignore[attr-defined,unused-ignore]
    except (AttributeError, OSError):
        return None


class Supervisor:
    """Starts, watches and kills interpreters; :meth:`cancel` (Ctrl-C) kills every one still running."""

    def __init__(self, jobs: Optional[int] = None) -> None:
        #: how many of :meth:`map`'s items run at once
        self.jobs = max(1, jobs or JOBS_PER_CORE * (os.cpu_count() or 1))
        self._children: Dict[int, Child] = {}
        self._lock = threading.Lock()
        self._cancelled = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    @contextlib.contextmanager
    def running(
        self,
        cmd: Sequence[str],
        *,
        env: Mapping[str, str],
        stdout: Output,
        stderr: Output,
        marker: str,
        cwd: Optional[str] = None,
        held: bool = False,
    ) -> Iterator[Optional[Child]]:
        """Start ``cmd`` in a session of its own; ``None`` when the run was cancelled before it.

        ``marker``: an ``NAME=value`` entry of ``env`` that only this child's processes carry (how a
        member that left the session with ``setsid()`` is still found). ``held`` (a user's command: a
        test suite, a program watched): on POSIX a shell (:data:`HOLD`) leads the session and runs ``cmd``
        as its child, so that ``cmd`` is not the session's leader and may make a process group of its
        own (``os.setpgrp()`` in a session leader is EPERM; aiotools' tests call it). Whatever way the
        block is left, nothing of the child is left running.
        """
        if self.cancelled:
            yield None
            return
        if held and os.name == "posix":
            cmd = ["/bin/sh", "-c", HOLD, "mpcheck", *cmd]
        proc = subprocess.Popen(
            list(cmd), stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, env=dict(env), cwd=cwd,
            **popen_kwargs(),  # type: ignore[call-overload]
        )  # fmt: skip
        child = Child(proc, Tree(proc.pid, marker=marker), time.monotonic())
        with self._lock:
            self._children[proc.pid] = child
        try:
            yield child
        finally:
            try:
                if proc.poll() is None:
                    self.kill(child)  # left early (an error, Ctrl-C in this thread): nothing stays behind
            finally:
                with self._lock:
                    self._children.pop(proc.pid, None)

    def wait(
        self, child: Child, timeout: Optional[float] = None, tick: Optional[Callable[[], bool]] = None
    ) -> Optional[int]:
        """The child's exit code; None when ``timeout`` passed first, ``tick()`` said stop, or on cancel."""
        deadline = None if timeout is None else child.started + timeout
        proc = child.proc
        # Popen.wait(timeout) sleeps in steps growing to 50 ms: ~25 ms late per cell on average, a third
        # of a short fork cell. A pidfd wakes up the moment the child exits.
        pidfd = _pidfd(proc.pid)
        poller = None
        if pidfd is not None:
            poller = select.poll()  # not select(): no FD_SETSIZE limit
            poller.register(pidfd, select.POLLIN)
        try:
            while True:
                if proc.poll() is not None:
                    return proc.returncode
                remaining = POLL_S if deadline is None else deadline - time.monotonic()
                if remaining <= 0 or self.cancelled:
                    return None
                step = min(remaining, POLL_S)
                if poller is not None:
                    poller.poll(step * 1000)
                else:
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        proc.wait(timeout=step)
                if proc.poll() is not None:
                    return proc.returncode
                child.tree.remember()  # Windows: the tree is known by walking it; POSIX finds it by session
                if tick is not None and tick():
                    return None
        finally:
            if pidfd is not None:
                os.close(pidfd)

    def kill(self, child: Child) -> None:
        """Kill the child's whole tree (interrupt, terminate, kill, each step bounded) and reap it."""
        child.tree.kill(grace=KILL_GRACE_S)
        child.proc.kill()  # Windows: a leader that outlived its group's signals
        child.proc.wait()

    def drain(self, child: Child) -> List[str]:
        """After the child exited: its helpers get :data:`DRAIN_S` to leave; those still there are killed
        and returned, described (``"1234 python -c from multiprocessing.forkserver ..."``)."""
        live = child.tree.wait_empty(DRAIN_S)
        described = describe(live)
        if live:
            child.tree.kill(grace=KILL_GRACE_S)
        return described

    def map(self, fn: Callable[[T], R], items: Sequence[T], jobs: Optional[int] = None) -> List[Optional[R]]:
        """``fn`` over ``items``, :attr:`jobs` (or ``jobs``) at a time; results in item order, None where not
        finished.

        The calling thread only waits, so Ctrl-C (KeyboardInterrupt, or SIGTERM made one) lands here:
        every child still running is killed, the items finished so far are kept, and :attr:`cancelled`
        tells the caller.
        """
        results: List[Optional[R]] = [None] * len(items)

        def one(i: int) -> None:
            results[i] = fn(items[i])

        pool = ThreadPoolExecutor(max_workers=min(jobs or self.jobs, max(1, len(items))), thread_name_prefix="mpcheck")
        try:
            pending = {pool.submit(one, i) for i in range(len(items))}
            while pending:
                # Short waits keep the main thread responsive to Ctrl-C.
                done, pending = wait(pending, timeout=POLL_S, return_when=FIRST_EXCEPTION)
                for fut in done:
                    fut.result()
        except BaseException as exc:
            self.cancel()  # Ctrl-C, or a bug in ``fn``: either way nothing may be left running
            pool.shutdown(wait=True)
            if not isinstance(exc, KeyboardInterrupt):
                raise
            return results
        pool.shutdown(wait=True)
        return results

    def cancel(self) -> None:
        """Start nothing more and kill every running child's tree."""
        self._cancelled.set()
        with self._lock:
            children = list(self._children.values())
        for child in children:
            child.tree.kill(grace=KILL_GRACE_S)
