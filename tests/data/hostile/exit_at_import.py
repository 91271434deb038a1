"""Calls sys.exit(3) at import time, before its main guard: a crash with exit code 3."""

import sys

from _pids import record

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(facts={"finished": True})

record("main")
sys.exit(3)

if __name__ == "__main__":
    report(finished=True)
