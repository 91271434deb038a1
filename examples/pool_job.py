"""The tutorial's Pool example: four workers double chunks of a list; the result is flattened.

Each worker prints its pid, which differs from run to run: the probe reports that output as
nondeterministic, not as a difference between start methods, and the methods agree.

    python -m mpcheck probe examples.pool_job:main --args '[100]'
    python -m mpcheck probe examples/pool_job.py
"""

import os
from multiprocessing import Pool


def double_chunk(chunk):
    print(f"worker {os.getpid()} doubles {len(chunk)} numbers", flush=True)
    return [2 * x for x in chunk]


def main(n=100):
    data = list(range(n))
    size = max(1, len(data) // 4)
    chunks = [data[i : i + size] for i in range(0, len(data), size)]
    with Pool(4) as pool:
        results = pool.map(double_chunk, chunks)
    flat = [x for chunk in results for x in chunk]
    print(f"{len(flat)} results, sum {sum(flat)}")
    return sum(flat)


if __name__ == "__main__":
    main()
