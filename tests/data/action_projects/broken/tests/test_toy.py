import multiprocessing

from toy import square


def test_squares_in_a_pool():
    offset = 1

    def shifted(x):  # a local function: a spawn or forkserver child cannot import it
        return square(x) + offset

    ctx = multiprocessing.get_context()
    q = ctx.Queue()
    p = ctx.Process(target=lambda: q.put(shifted(3)))
    p.start()
    assert q.get(timeout=30) == 10
    p.join()
