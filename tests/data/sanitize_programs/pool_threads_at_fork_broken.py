"""A Pool still open (its three handler threads running) when a later Process starts: under fork the child
has only the forking thread, and from 3.12 the fork warns that the process is multi-threaded (issue 29:
a Pool's own threads were not counted)."""

import multiprocessing


def square(x):
    return x * x


def work():
    print("child")


if __name__ == "__main__":
    pool = multiprocessing.Pool(2)
    assert pool.map(square, range(4)) == [0, 1, 4, 9]
    p = multiprocessing.Process(target=work)
    p.start()  # sanitize: MP112
    p.join()
    pool.close()
    pool.join()
