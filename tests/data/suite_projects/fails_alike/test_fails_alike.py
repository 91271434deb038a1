"""A suite whose tests agree under every method, one of them failing under each: the suite fails, as it
does under pytest alone (mpcheck suite exits 1, never 0)."""

import multiprocessing


def _double(x):
    return 2 * x


def test_fails_under_every_method():
    with multiprocessing.Pool(1) as pool:
        assert pool.apply(_double, (2,)) == 5  # wrong under every method


def test_passes_under_every_method():
    with multiprocessing.Pool(1) as pool:
        assert pool.apply(_double, (2,)) == 4
