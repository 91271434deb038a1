import multiprocessing

from helpers import nothing


def test_sets_own_method():
    multiprocessing.set_start_method("spawn", force=True)
    p = multiprocessing.Process(target=nothing)
    p.start()
    p.join()
    assert p.exitcode == 0


def test_pinned_context():
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        assert pool.map(abs, [-1, -2]) == [1, 2]


def test_fails_everywhere():
    p = multiprocessing.Process(target=nothing)
    p.start()
    p.join()
    assert p.exitcode == 1, "a bug, whatever the method"
