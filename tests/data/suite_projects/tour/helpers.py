"""Functions the tests hand to child processes (importable by name: spawn and forkserver need that)."""

import logging
import os

#: set at run time by test_state.py::test_runtime_global
CONFIG = None


def greeting():
    return "hello"


def put_config(queue):
    queue.put(CONFIG)


def put_greeting(queue):
    queue.put(greeting())


def put_env(queue, name):
    queue.put(os.environ.get(name))


def log_from_child():
    logging.getLogger("tour").info("hello from the child")


def nothing():
    pass
