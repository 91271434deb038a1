"""A decorator keeps one Pool across tests: the first test starts it, the others only send it work."""

import multiprocessing

import pytest
import settings


def with_pool(test):
    def wrapper():
        if settings.POOL is None:
            settings.configure()
            settings.POOL = multiprocessing.Pool(2)
        return test(settings.POOL)

    wrapper.__name__ = test.__name__
    return wrapper


@with_pool
def test_first_starts_the_pool(pool):
    assert pool.apply(settings.mode) == "fast"


@with_pool
def test_map_only_sends_work(pool):
    assert pool.map(settings.mode, range(2)) == ["fast", "fast"]


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_async_only_sends_work(n):
    pool = settings.POOL
    assert pool is not None
    assert pool.apply_async(settings.mode).get(timeout=30) == "fast"


def test_fails_without_a_process():
    assert settings.mode() == "slow"


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_process_while_a_thread_runs(n):
    settings.configure()
    process = multiprocessing.Process(target=settings.mode)
    process.start()
    process.join()
    assert process.exitcode == 0
