"""loguru's writer thread (enqueue=True: fork-safe, loguru takes its locks around a fork) and a thread of the
program's own that holds a lock of the program's while the process forks: the fork child has the lock held
for ever (the program's thread is not in it), so MP112 is still reported, for the program's thread."""

import threading
from multiprocessing import Process

from loguru import logger

LOCK = threading.Lock()
HOLDING = threading.Event()
DONE = threading.Event()


def hold():
    with LOCK:
        HOLDING.set()
        DONE.wait()


def work():
    print("child got the lock:", LOCK.acquire(timeout=1))


if __name__ == "__main__":
    logger.remove()
    logger.add(lambda message: None, enqueue=True)
    logger.info("parent start")
    t = threading.Thread(target=hold, name="holder")
    t.start()
    HOLDING.wait()
    p = Process(target=work)
    p.start()  # sanitize: MP112
    p.join()
    DONE.set()
    t.join()
    logger.remove()
