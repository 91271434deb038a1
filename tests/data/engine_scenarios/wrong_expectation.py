"""Expects 2 + 2 to be 5: the harness must fail it and show expected against observed."""

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(facts={"total": 5})

if __name__ == "__main__":
    report(total=2 + 2)
