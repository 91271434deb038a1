"""A test that starts nothing but branches on the start method."""

import multiprocessing


def test_default_is_fork():
    assert multiprocessing.get_start_method() == "fork"
