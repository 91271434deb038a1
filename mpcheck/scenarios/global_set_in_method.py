"""A module global set inside a method the main block calls (``server.start()``): only fork workers see it.

Servers and jobs read their configuration into module globals when they start: the main block builds
an object and calls ``server.start()``, and that method assigns ``MAX_BODY`` before it hands requests to
a Pool whose workers read it. A fork worker is a copy of the parent after ``start()`` ran and sees the
configured value. A spawn or forkserver worker imports the script afresh as ``__mp_main__``, where
neither the main block nor the method runs: it sees the import-time default, and silently rejects
requests the configuration allows. Handing the value to the workers with each task (an argument:
here a ``functools.partial``) makes all three methods agree.

macOS and Windows were not run here: nothing on this path is platform-specific in CPython's source, so
each method does there what it does on Linux (Windows has only spawn).
"""

import functools
import os
from multiprocessing import Pool

from mpcheck.expect import Expect, by_method
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "worker_max_body": by_method(fork=4096, default=1024),
        "accepted": by_method(fork=[True, True, False], default=[True, False, False]),
        "as_argument": [True, True, False],
        "parent_max_body": 4096,
        "workers_are_children": True,
    }
)

SIZES = [512, 2048, 8192]

MAX_BODY = 1024  # the default; the server's configuration replaces it when it starts


def accepts(size):
    return size <= MAX_BODY, MAX_BODY, os.getpid()


def accepts_up_to(limit, size):
    return size <= limit, limit, os.getpid()


class Server:
    def __init__(self, max_body):
        self.max_body = max_body

    def start(self, sizes):
        global MAX_BODY
        MAX_BODY = self.max_body  # the pitfall: set in the parent only  # sanitize: MP103  # lint: MP103
        with Pool(2) as pool:
            return pool.map(accepts, sizes)


class FixedServer(Server):
    def start(self, sizes):
        with Pool(2) as pool:
            return pool.map(functools.partial(accepts_up_to, self.max_body), sizes)


if __name__ == "__main__":
    server = Server(max_body=4096)
    seen = server.start(SIZES)
    print(f"parent MAX_BODY = {MAX_BODY}; the workers read {sorted({s[1] for s in seen})}")

    fixed = FixedServer(max_body=4096).start(SIZES)
    print(f"the limit as an argument: {[s[0] for s in fixed]}")

    report(
        worker_max_body=seen[0][1],
        accepted=[s[0] for s in seen],
        as_argument=[s[0] for s in fixed],
        parent_max_body=MAX_BODY,
        workers_are_children=all(s[2] != os.getpid() for s in seen + fixed),
    )
