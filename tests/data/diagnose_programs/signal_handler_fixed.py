"""The fix for MP107: the child resets SIGTERM to its default action first."""

import os
import signal
import sys
import time
from multiprocessing import Event, Process


def graceful(signum, frame):
    print("cleaning up in", "the parent" if os.getpid() == PARENT else "a child", flush=True)
    sys.exit(0)


def work(ready):
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    ready.set()
    while True:
        time.sleep(0.05)


if __name__ == "__main__":
    PARENT = os.getpid()
    signal.signal(signal.SIGTERM, graceful)
    ready = Event()
    p = Process(target=work, args=(ready,))
    p.start()
    ready.wait(30)
    p.terminate()
    p.join()
    print("child exit code", p.exitcode)
