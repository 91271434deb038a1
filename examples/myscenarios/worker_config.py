"""A worker reads a setting the main block changed: only a forked worker sees the change.

A project's own scenario, in the same form as mpcheck's catalog: it pins down how its job's
configuration reaches its workers under each start method.
"""

from multiprocessing import Pool

from mpcheck.expect import Expect, by_method
from mpcheck.facts import report

WORKERS = 2

EXPECT = Expect(
    facts={
        "worker_settings": by_method(fork=["from main"], default=["import-time"]),
        "results": [x * 10 for x in range(4)],
    }
)

SETTING = "import-time"


def scale(x):
    return SETTING, x * 10


if __name__ == "__main__":
    SETTING = "from main"
    with Pool(WORKERS) as pool:
        out = pool.map(scale, range(4))
    report(worker_settings=sorted({s for s, _ in out}), results=[x for _, x in out])
