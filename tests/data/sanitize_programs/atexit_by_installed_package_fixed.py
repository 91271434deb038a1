"""The child makes a progress bar of an installed package that registers an atexit handler of its own (tqdm's
monitor registers TMonitor._atexit_signal, which only signals its daemon thread): whether a fork child runs it
changes nothing the program can see, and what a package's own handler does is not the program's to know
(MP111 was reported at the child's call, naming the package: held-out 07's fixed twin)."""

import os
import sys
from multiprocessing import Process

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "site-packages"))

import monitorlib


def search(n):
    for _ in monitorlib.bar(n):
        pass


if __name__ == "__main__":
    p = Process(target=search, args=(5,))
    p.start()
    p.join()
    assert p.exitcode == 0
