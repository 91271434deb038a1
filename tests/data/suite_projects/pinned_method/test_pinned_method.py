import multiprocessing


def square(x):
    return x * x


def test_pool():
    with multiprocessing.Pool(1) as pool:
        assert pool.map(square, [1, 2]) == [1, 4]


def test_process():
    p = multiprocessing.Process(target=square, args=(3,))
    p.start()
    p.join()
    assert p.exitcode == 0


def test_nothing_to_do_with_processes():
    assert square(2) == 4
