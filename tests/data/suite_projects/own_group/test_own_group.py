"""A test that puts pytest in a process group of its own before it starts a child (aiotools' tests do, to
signal the whole group): it passes under plain pytest and under every forced method."""

import multiprocessing
import os

import pytest


def work():
    pass


@pytest.mark.skipif(not hasattr(os, "setpgrp"), reason="POSIX process groups")
def test_own_process_group():
    os.setpgrp()
    p = multiprocessing.Process(target=work)
    p.start()
    p.join()
    assert p.exitcode == 0
