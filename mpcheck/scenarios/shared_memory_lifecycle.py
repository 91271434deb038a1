"""SharedMemory written by the parent, read by name in a child; close + unlink leaves nothing behind.

The parent creates a segment and writes to it; the child attaches by name, reads the bytes and
writes an answer; the parent closes and unlinks. Afterwards the name is gone from /dev/shm (Linux)
and attaching by name fails with FileNotFoundError (on Windows the mapping disappears when the last
handle closes; ``unlink()`` is a no-op there).

Up to 3.12 a child that *attaches* registers the segment with the resource tracker as if it owned it
(bpo-39959; 3.13 adds ``track=False`` to opt out). Under all three start methods the child talks to
the parent's tracker (inherited under fork, its fd handed over under spawn and forkserver), which
keeps a set of names: the second registration is a no-op and the parent's ``unlink()`` unregisters
the name once and for all, so no "leaked shared_memory" warning and no double unlink. The quirk
bites only a process with a tracker of its own (one not started by multiprocessing). To see the
tracker's verdict inside the script, the scenario starts the tracker with its stderr in a file and
stops it (with the forkserver, which holds its fd) before reading the file: it reports leaks only
as it exits. Windows has no resource tracker.
"""

import os
import tempfile
from multiprocessing import Process, get_start_method, shared_memory

from mpcheck.expect import ABSENT, Expect, by_platform
from mpcheck.facts import error_name, report

EXPECT = Expect(
    facts={
        "child_answer": "HELLO",
        "exitcode": 0,
        "in_dev_shm_before_unlink": by_platform(linux=True, default=ABSENT),
        "in_dev_shm_after_unlink": by_platform(linux=False, default=ABSENT),
        "attach_after_unlink": "FileNotFoundError",
        "resource_tracker_said": by_platform(win32=ABSENT, default=""),
    }
)


def worker(name):
    shm = shared_memory.SharedMemory(name=name)
    shm.buf[:5] = bytes(shm.buf[:5]).upper()
    shm.close()


def start_resource_tracker(log):
    """Start the resource tracker now, with its stderr going to ``log``."""
    from multiprocessing import resource_tracker  # POSIX only

    saved = os.dup(2)
    os.dup2(log.fileno(), 2)
    try:
        resource_tracker.ensure_running()
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def stop_resource_tracker():
    """Stop the tracker (and the forkserver, which holds its fd) the way CPython's tests do."""
    from multiprocessing import forkserver, resource_tracker

    if get_start_method() == "forkserver":
        forkserver._forkserver._stop()
    resource_tracker._resource_tracker._stop()


if __name__ == "__main__":
    facts = {}
    with tempfile.TemporaryFile() as log:
        if os.name == "posix":
            start_resource_tracker(log)

        shm = shared_memory.SharedMemory(create=True, size=64)
        shm.buf[:5] = b"hello"
        p = Process(target=worker, args=(shm.name,))
        p.start()
        p.join()
        facts["child_answer"] = bytes(shm.buf[:5]).decode()
        facts["exitcode"] = p.exitcode

        path = f"/dev/shm/{shm.name}"
        if os.path.isdir("/dev/shm"):
            facts["in_dev_shm_before_unlink"] = os.path.exists(path)
        shm.close()
        shm.unlink()
        if os.path.isdir("/dev/shm"):
            facts["in_dev_shm_after_unlink"] = os.path.exists(path)
        try:
            shared_memory.SharedMemory(name=shm.name).close()
            facts["attach_after_unlink"] = None
        except OSError as exc:
            facts["attach_after_unlink"] = error_name(exc)

        if os.name == "posix":
            stop_resource_tracker()
            log.seek(0)
            facts["resource_tracker_said"] = log.read().decode(errors="replace")
    print(f"segment {shm.name}: {facts}")
    report(**facts)
