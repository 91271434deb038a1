"""The twin of pool_threads_at_fork_broken: the Pool is closed and joined (its threads ended) before the
later Process starts, so no other thread runs at the fork."""

import multiprocessing


def square(x):
    return x * x


def work():
    print("child")


if __name__ == "__main__":
    pool = multiprocessing.Pool(2)
    assert pool.map(square, range(4)) == [0, 1, 4, 9]
    pool.close()
    pool.join()
    p = multiprocessing.Process(target=work)
    p.start()
    p.join()
