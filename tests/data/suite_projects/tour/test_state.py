import multiprocessing

import helpers
import pytest


def test_runtime_global():
    helpers.CONFIG = {"debug": True}  # set in the parent at run time: only a fork child has it
    try:
        queue = multiprocessing.Queue()
        p = multiprocessing.Process(target=helpers.put_config, args=(queue,))
        p.start()
        got = queue.get(timeout=30)
        p.join()
    finally:
        helpers.CONFIG = None
    assert got == {"debug": True}


@pytest.fixture
def polite(monkeypatch):
    monkeypatch.setattr(helpers, "greeting", lambda: "good morning")


def test_monkeypatched(polite):
    queue = multiprocessing.Queue()
    p = multiprocessing.Process(target=helpers.put_greeting, args=(queue,))
    p.start()
    got = queue.get(timeout=30)
    p.join()
    assert got == "good morning"
