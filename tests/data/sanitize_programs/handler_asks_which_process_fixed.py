"""A SIGTERM handler installed before the children start that acts only in the process that installed it
(microscope's device server, its fix for issue #9: a fork child inherits the handler, which sees it is not the
parent and does nothing). Each child is told to end through a shared flag (a RawValue: a child killed while it
reads holds no lock), not by a signal's default action."""

import multiprocessing
import os
import signal
import time


def serve(ready, done):
    ready.set()
    for _ in range(600):
        if done.value:
            break
        time.sleep(0.05)


if __name__ == "__main__":
    parent = multiprocessing.current_process()
    done = multiprocessing.RawValue("b", 0)

    def stop(signum, frame):
        if parent == multiprocessing.current_process():
            done.value = 1

    signal.signal(signal.SIGTERM, stop)
    ready = multiprocessing.Event()
    p = multiprocessing.Process(target=serve, args=(ready, done))
    p.start()
    ready.wait(30)
    os.kill(p.pid, signal.SIGTERM)  # the child's inherited handler does nothing there
    time.sleep(0.2)
    stop(signal.SIGTERM, None)  # the parent's does
    p.join(30)
    print("exit code", p.exitcode)
