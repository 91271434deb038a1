"""A child spins forever and the main process joins it: the cell must time out, its tree killed."""

from multiprocessing import Process

from _pids import record

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(facts={"finished": True})


def spin():
    record("child")
    while True:
        pass


if __name__ == "__main__":
    record("main")
    child = Process(target=spin)
    child.start()
    child.join()
    report(finished=True)
