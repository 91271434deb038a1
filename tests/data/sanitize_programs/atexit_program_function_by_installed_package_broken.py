"""The child hands a function of the program's own to an installed package that registers it with atexit:
before 3.13 a fork or forkserver child ends with os._exit() and never runs it (nothing is flushed), a spawn
child does. Reported at the program's call, naming the package."""

import os
import sys
from multiprocessing import Process

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "site-packages"))

import monitorlib


def flush():
    print("flushed at exit", flush=True)


def work():
    monitorlib.on_exit(flush)  # sanitize: MP111


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
    assert p.exitcode == 0
