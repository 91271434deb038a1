"""A child starts two grandchildren and exits at once, orphaning them: leftovers, killed, failed."""

import os
import time
from multiprocessing import Event, Process

from _pids import record

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(facts={"child_exitcode": 0})


def grandchild(started):
    record("grandchild")
    started.set()
    while True:
        time.sleep(0.1)


def child():
    record("child")
    events = [Event(), Event()]
    for started in events:
        Process(target=grandchild, args=(started,)).start()
    for started in events:
        started.wait(30)
    os._exit(0)  # skips joining the grandchildren: they are reparented away from the cell


if __name__ == "__main__":
    record("main")
    p = Process(target=child)
    p.start()
    p.join()
    report(child_exitcode=p.exitcode)
