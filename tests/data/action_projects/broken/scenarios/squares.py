"""The project's own scenario: its square() in a Pool gives the same under every start method."""

from multiprocessing import Pool

from toy import square

from mpcheck.expect import Expect
from mpcheck.facts import report

EXPECT = Expect(facts={"squares": [0, 1, 4, 9]})

if __name__ == "__main__":
    with Pool(2) as pool:
        report(squares=pool.map(square, range(4)))
