import multiprocessing

from helpers import nothing


def test_lambda_target():
    p = multiprocessing.Process(target=lambda: None)
    p.start()
    p.join()
    assert p.exitcode == 0


def test_module_level_target():
    p = multiprocessing.Process(target=nothing)
    p.start()
    p.join()
    assert p.exitcode == 0
