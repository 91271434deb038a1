"""airflow#8794 made injectable: the test hands the child the fake DagBag class (pickled by reference, a
module-level class), so every method runs the same code; a patch the parent holds while the child starts
that the child's code never reads (the parent's own clock) changes nothing in the child; the tasks of a pool
made before the patch run the original under every method (its fork workers were forked without it). Nothing
to report."""

import multiprocessing
import time
from unittest import mock


class DagBag:
    def __init__(self, folder):
        self.dags = {}
        self.collect_dags(folder)

    def collect_dags(self, folder):
        self.dags[folder] = "parsed"


class FakeDagBag(DagBag):
    def collect_dags(self, folder):
        self.dags[folder] = "fake"


def parse(folder, out, dagbag_class=DagBag):
    out.put(sorted(dagbag_class(folder).dags.values()))


def parse_here(folder):
    return sorted(DagBag(folder).dags.values())


if __name__ == "__main__":
    out = multiprocessing.Queue()
    with mock.patch.object(time, "monotonic", return_value=0.0):
        p = multiprocessing.Process(target=parse, args=("dags", out, FakeDagBag))
        p.start()
        print(out.get(timeout=30))
        p.join(30)
    with multiprocessing.Pool(1) as pool:
        pool.apply(parse_here, ("warm",))
        with mock.patch.object(DagBag, "collect_dags", FakeDagBag.collect_dags):
            print(pool.apply(parse_here, ("dags",)))
