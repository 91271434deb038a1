"""The main process calls os.abort() while a child waits: a crash (SIGABRT), the child killed."""

import os
from multiprocessing import Event, Process

from _pids import record

from mpcheck.expect import Expect

EXPECT = Expect(facts={"finished": True})


def waiter(started, never):
    record("child")
    started.set()
    never.wait()


if __name__ == "__main__":
    record("main")
    started, never = Event(), Event()
    child = Process(target=waiter, args=(started, never))
    child.start()
    started.wait(30)
    os.abort()
