import multiprocessing


def square(x):
    return x * x


def test_target_in_test_module():
    # Under --import-mode=importlib (pytest.ini) the test module is not importable by name:
    # a spawn or forkserver child cannot unpickle `square`.
    p = multiprocessing.Process(target=square, args=(3,))
    p.start()
    p.join()
    assert p.exitcode == 0
