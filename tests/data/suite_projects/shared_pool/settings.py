"""Run-time state the parent sets up before its workers start: a forked worker has it, a spawned one not."""

import threading

MODE = None
POOL = None
HEARTBEAT = None


def configure():
    global MODE, HEARTBEAT
    MODE = "fast"
    if HEARTBEAT is None:  # a background thread running while the pool's workers start (MP112's hazard)
        stop = threading.Event()
        HEARTBEAT = (stop, threading.Thread(target=stop.wait, name="heartbeat", daemon=True))
        HEARTBEAT[1].start()


def mode(_=None):
    return MODE


def shutdown():
    global POOL, HEARTBEAT
    if POOL is not None:
        POOL.terminate()
        POOL.join()
        POOL = None
    if HEARTBEAT is not None:
        HEARTBEAT[0].set()
        HEARTBEAT[1].join()
        HEARTBEAT = None
