"""Pool workers triple numbers with a helper imported from beside this file."""

from multiprocessing import Pool

from _shared import FACTOR, triple

from mpcheck.expect import Expect
from mpcheck.facts import report

N = 5

EXPECT = Expect(facts={"tripled": [FACTOR * x for x in range(N)]})


if __name__ == "__main__":
    with Pool(2) as pool:
        report(tripled=pool.map(triple, range(N)))
