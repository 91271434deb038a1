"""A class attribute set by a classmethod before a Pool runs: only fork workers see it.

Settings classes are often filled once at start-up through a classmethod (``Settings.configure(...)``
sets ``cls.scale``), and the tasks a Pool runs read the class attribute. A fork worker is a copy of the
parent after the call and sees the configured value. A spawn or forkserver worker imports the script
afresh as ``__mp_main__``, where the main block does not run, so the class has its import-time value
and every result is silently different (noxdafox/pebble#71 reports the same with a plain class
attribute: right on Linux, wrong on Windows). Handing the value to the tasks as an argument (here a
``functools.partial``) makes all three methods agree.

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
        "worker_scale": by_method(fork=3, default=1),
        "results": by_method(fork=[0, 3, 6, 9], default=[0, 1, 2, 3]),
        "as_argument": [0, 3, 6, 9],
        "parent_scale": 3,
        "workers_are_children": True,
    }
)


class Settings:
    scale = 1  # the default; configure() replaces it at start-up

    @classmethod
    def configure(cls, scale):
        cls.scale = scale  # sanitize: MP103


def task(x):
    return x * Settings.scale, Settings.scale, os.getpid()


def scaled_task(scale, x):
    return x * scale, scale, os.getpid()


if __name__ == "__main__":
    Settings.configure(3)  # the pitfall: the class is configured in the parent only  # lint: MP103
    with Pool(2) as pool:
        seen = pool.map(task, range(4))
    print(f"parent Settings.scale = {Settings.scale}; the workers read {sorted({s[1] for s in seen})}")

    with Pool(2) as pool:
        fixed = pool.map(functools.partial(scaled_task, Settings.scale), range(4))
    print(f"the scale as an argument: {[s[0] for s in fixed]}")

    report(
        worker_scale=seen[0][1],
        results=[s[0] for s in seen],
        as_argument=[s[0] for s in fixed],
        parent_scale=Settings.scale,
        workers_are_children=all(s[2] != os.getpid() for s in seen + fixed),
    )
