"""A child a module-scoped fixture starts: the test that starts it and the test that only sends it work
over a Pipe both depend on how it was started."""

import multiprocessing

import pytest


def double(conn):
    for item in iter(conn.recv, None):
        conn.send(item * 2)


@pytest.fixture(scope="module")
def child():
    here, there = multiprocessing.Pipe()
    process = multiprocessing.Process(target=double, args=(there,))
    process.start()
    yield here
    here.send(None)
    process.join()


def test_child_starts(child):
    child.send(1)
    assert child.recv() == 2


def test_sends_to_the_running_child(child):
    child.send(3)
    assert child.recv() == 6
