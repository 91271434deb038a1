"""A grandchild leaves the cell's session with setsid() and keeps running after its parent exits.

Like ``orphans``, but a session id no longer finds it: the harness must still find it, by the cell's
environment it carries, and kill it. (A fork grandchild: no exec, so its environment is the cell's.)
"""

import os
import time
from multiprocessing import Event, Process

from _pids import record

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(facts={"child_exitcode": 0})


def child(started):
    record("child")
    if os.fork() == 0:  # the grandchild
        os.setsid()
        record("escaped")
        started.set()
        while True:
            time.sleep(0.1)
    started.wait(30)
    os._exit(0)


if __name__ == "__main__":
    record("main")
    started = Event()
    p = Process(target=child, args=(started,))
    p.start()
    p.join()
    report(child_exitcode=p.exitcode)
