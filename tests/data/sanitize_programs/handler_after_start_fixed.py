"""A SIGTERM handler installed after the child started: no child inherits it."""

import signal
import time
from multiprocessing import Event, Process


def serve(ready):
    ready.set()
    for _ in range(300):
        time.sleep(0.1)


def stop(signum, frame):
    raise SystemExit(0)


if __name__ == "__main__":
    ready = Event()
    p = Process(target=serve, args=(ready,))
    p.start()
    signal.signal(signal.SIGTERM, stop)
    ready.wait(30)
    p.terminate()
    p.join(30)
    print("exit code", p.exitcode)
