import multiprocessing

import pytest


def square(x):
    return x * x


def test_pool():
    with multiprocessing.Pool(2) as pool:
        assert pool.map(square, [1, 2, 3]) == [1, 4, 9]


@pytest.mark.parametrize("n", [1, 2])
def test_process(n):
    process = multiprocessing.Process(target=square, args=(n,))
    process.start()
    process.join()
    assert process.exitcode == 0


def test_plain():
    assert square(3) == 9
