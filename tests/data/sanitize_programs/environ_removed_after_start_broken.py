"""An environment variable removed after the first child started (razzant/ouroboros#677: a credential put in
the environment for the first worker, popped afterwards): a forkserver child is forked from a server started
before, and still has it. The removal goes through ``os.environ.pop()``, which the standard library's frozen
``MutableMapping.pop`` runs: the hazard is shown at the program's own line."""

import os
from multiprocessing import Process, Queue


def show(out):
    out.put(os.environ.get("API_KEY"))


if __name__ == "__main__":
    os.environ["API_KEY"] = "secret"
    q = Queue()
    first = Process(target=show, args=(q,))
    first.start()
    q.get()
    first.join()
    os.environ.pop("API_KEY")  # sanitize: MP106
    second = Process(target=show, args=(q,))
    second.start()
    got = q.get()
    second.join()
    print("OK" if got is None else f"BROKEN: the later child still has API_KEY={got!r}")
