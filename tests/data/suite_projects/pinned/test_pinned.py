import concurrent.futures
import multiprocessing


def test_pool_with_its_own_context():
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(abs, (-3,)) == 3


def test_executor_with_its_own_context():
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=ctx) as executor:
        assert executor.submit(abs, -4).result() == 4


def test_no_processes():
    assert sum([1, 2]) == 3
