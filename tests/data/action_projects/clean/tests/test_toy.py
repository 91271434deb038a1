import multiprocessing

from toy import square


def test_squares_in_a_pool():
    with multiprocessing.Pool(2) as pool:
        assert pool.map(square, range(4)) == [0, 1, 4, 9]
