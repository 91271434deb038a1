"""Named semaphores and shared-memory segments that multiprocessing left in ``/dev/shm``.

On Linux both live in ``/dev/shm`` under names multiprocessing chooses: ``sem.mp-*`` (a SemLock not
unlinked at creation: spawn and forkserver), ``psm_*`` (``shared_memory.SharedMemory``), ``mp-*``
and ``pym-<pid>-*`` (heap arenas, unlinked right after creation). Elsewhere (macOS keeps named
semaphores in the kernel, Windows frees them with their last handle) there is nothing to look at
and every check comes back empty.

Nothing in a name says which run made it, and other runs on the machine (pytest-xdist workers,
a second ``mpcheck run``) create entries of their own all the time. So an entry counts as a leak
only if it was not there before, is still there after a settle period, and no live process has it
mapped or open. A leak another run made in the meantime would still be counted, which is why the
runner does not fail cells on this check: a false leak report is worse than none. The test suite
uses it around hostile scenarios.
"""

from __future__ import annotations

import fnmatch
import os
import time
from typing import Callable, FrozenSet, Iterable, Optional, Set

SHM_DIR = "/dev/shm"
PATTERNS = ("sem.mp-*", "psm_*", "mp-*", "pym-*")


def supported() -> bool:
    return os.path.isdir(SHM_DIR) and os.path.isdir("/proc/self")


def snapshot() -> FrozenSet[str]:
    """The multiprocessing-made entries in ``/dev/shm`` now (empty where there is no such folder)."""
    try:
        names = os.listdir(SHM_DIR)
    except OSError:
        return frozenset()
    return frozenset(n for n in names if any(fnmatch.fnmatchcase(n, p) for p in PATTERNS))


def in_use(names: Iterable[str]) -> Set[str]:
    """Those of ``names`` that some live process has mapped (semaphores, segments) or open."""
    wanted = {f"{SHM_DIR}/{n}": n for n in names}
    if not wanted:
        return set()
    used: Set[str] = set()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    path = line.rstrip("\n").split(None, 5)[5:]
                    if path and path[0] in wanted:
                        used.add(wanted[path[0]])
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target in wanted:
                    used.add(wanted[target])
        except OSError:
            continue  # gone, or not ours to read
    return used


def leaked_since(
    before: Iterable[str], settle: float = 5.0, mine: Optional[Callable[[str], bool]] = None, poll: float = 0.1
) -> Set[str]:
    """Entries made since ``before`` that stay unused and present for up to ``settle`` seconds.

    Returns as soon as nothing new is left unused; entries another run is using are ignored, and a
    transient one (a crashed run's, which its resource tracker unlinks once the run's last process
    is gone) gets ``settle`` seconds to go. ``mine`` narrows the check to names known to be the
    caller's (a test can know them: heap arenas carry the creator's pid), the only exact attribution.
    """
    old = set(before)
    deadline = time.monotonic() + settle
    previous: Set[str] = set()
    while True:
        suspects = {n for n in snapshot() if n not in old and (mine is None or mine(n))}
        suspects -= in_use(suspects)
        if not suspects:
            return suspects
        if time.monotonic() >= deadline:
            # Unused at two looks in a row: not one caught between its creation and its mapping.
            return suspects & previous
        previous = suspects
        time.sleep(poll)
