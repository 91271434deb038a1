"""Aborts: the harness must report a crash with the signal."""

import os

from mpcheck.expect import Expect

EXPECT = Expect(facts={"finished": True})

if __name__ == "__main__":
    os.abort()
