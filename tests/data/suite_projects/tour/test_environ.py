import multiprocessing

from helpers import nothing, put_env


def test_env_after_first_child(monkeypatch):
    first = multiprocessing.Process(target=nothing)
    first.start()
    first.join()
    monkeypatch.setenv("TOUR_TOKEN", "secret")  # after the first child: a fork server started before has not got it
    queue = multiprocessing.Queue()
    p = multiprocessing.Process(target=put_env, args=(queue, "TOUR_TOKEN"))
    p.start()
    got = queue.get(timeout=30)
    p.join()
    assert got == "secret"
