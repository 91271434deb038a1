"""A project that measures its coverage with pytest-cov (coverage ``parallel = true``, ``concurrency =
multiprocessing``, ``--cov-context=test``): its data, and its tests, are its own run's, under
``mpcheck suite`` as under pytest."""

import multiprocessing

import work


def test_a_child_through_the_default_context():
    p = multiprocessing.Process(target=work.in_child, args=(3,))
    p.start()
    p.join()
    assert p.exitcode == 0


def test_no_process():
    assert work.in_parent(1) == 2
