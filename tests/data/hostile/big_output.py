"""The main process and a child each write megabytes to stdout and stderr: passes, tails kept."""

import sys
from multiprocessing import Process

from _pids import record

from mpcheck.expect import Expect
from mpcheck.facts import report

MEGABYTES = 4
EXPECT = Expect(facts={"child_exitcode": 0})
LINE = "y" * 1023 + "\n"


def flood(tag):
    for _ in range(MEGABYTES * 1024):
        sys.stdout.write(LINE)
        sys.stderr.write(LINE)
    print(f"end of {tag} stdout", flush=True)
    print(f"end of {tag} stderr", file=sys.stderr, flush=True)


def child():
    record("child")
    flood("child")


if __name__ == "__main__":
    record("main")
    p = Process(target=child)
    p.start()
    p.join()
    flood("main")
    report(child_exitcode=p.exitcode)
