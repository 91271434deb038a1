"""Never finishes: the harness must report a timeout and kill its whole tree."""

import time
from multiprocessing import Process

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(facts={"finished": True})


def sleeper():
    while True:
        time.sleep(0.1)


if __name__ == "__main__":
    child = Process(target=sleeper)
    child.start()
    with open(__import__("os").environ["MPCHECK_TEST_PIDFILE"], "w") as fh:
        fh.write(str(child.pid))
    child.join()
    report(finished=True)
