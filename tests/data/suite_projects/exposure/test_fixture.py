"""A module-scoped pool: only the first test that uses it starts its processes, every user is exposed."""

import multiprocessing

import pytest

SETTINGS = {}


def read_setting():
    return SETTINGS.get("mode")


@pytest.fixture(scope="module")
def pool():
    SETTINGS["mode"] = "fast"  # run-time state, set before the workers start: only forked ones have it
    with multiprocessing.Pool(1) as p:
        yield p


def test_pool_starts(pool):
    assert pool.apply(abs, (-2,)) == 2


def test_pool_sees_runtime_state(pool):
    assert pool.apply(read_setting) == "fast"
