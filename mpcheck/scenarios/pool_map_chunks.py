"""Pool(4).map doubles chunks of range(N); the flattened result is in order, also when N % 4 != 0.

The tutorial splits the data into chunks of ``len(data) // 4`` items, so when N is not a multiple of 4
the slicing makes a fifth, shorter chunk. ``Pool.map`` returns one result per chunk in input order
whatever worker ran it, so the flattened result is still ``[2 * x for x in range(N)]`` under every
start method.
"""

from multiprocessing import Pool

from mpcheck.expect import Expect
from mpcheck.facts import report

N_EVEN = 12  # 4 chunks of 3
N_ODD = 13  # 4 chunks of 3 and a remainder chunk of 1

EXPECT = Expect(
    facts={
        "doubled_even": [2 * x for x in range(N_EVEN)],
        "doubled_odd": [2 * x for x in range(N_ODD)],
        "chunk_results": [4, 5],
    }
)


def double_all(numbers):
    return [2 * x for x in numbers]


def split_in_chunks(data, parts=4):
    size = len(data) // parts
    return [data[i : i + size] for i in range(0, len(data), size)]


if __name__ == "__main__":
    flattened = {}
    chunk_results = []
    with Pool(4) as pool:
        for n in (N_EVEN, N_ODD):
            results = pool.map(double_all, split_in_chunks(list(range(n))))
            chunk_results.append(len(results))
            flattened[n] = [x for chunk in results for x in chunk]
            print(f"N={n}: {len(results)} chunks -> {flattened[n]}")

    report(doubled_even=flattened[N_EVEN], doubled_odd=flattened[N_ODD], chunk_results=chunk_results)
