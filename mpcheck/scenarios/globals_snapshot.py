"""A module-level value changed in the main block: a forked child sees the change, a spawned one the import-time value.

Under fork the child is a copy of the parent's memory at ``start()``, so it sees ``mode`` as the
main block left it. Under spawn and forkserver the child re-imports the script as ``__mp_main__``,
where the main block does not run, so it sees the value the module assigns at import time. Even
under fork the copy is a snapshot: a change the parent makes after ``start()`` is seen by no child.
"""

from multiprocessing import Event, Process, Queue

from mpcheck.expect import Expect, by_method
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "child_sees": by_method(fork="changed-in-main", default="import-time"),
        "parent_sees": "changed-after-start",
        "exitcode": 0,
    }
)

mode = "import-time"


def show_mode(go, queue):
    go.wait(timeout=30)  # read only after the parent changed mode once more
    queue.put(mode)


if __name__ == "__main__":
    mode = "changed-in-main"  # sanitize: MP103  # lint: MP103
    go, queue = Event(), Queue()
    p = Process(target=show_mode, args=(go, queue))
    p.start()
    mode = "changed-after-start"
    go.set()
    seen = queue.get(timeout=30)
    p.join(timeout=30)
    print(f"parent: {mode!r}, child: {seen!r}")
    report(child_sees=seen, parent_sees=mode, exitcode=p.exitcode)
