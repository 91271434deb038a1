"""The parent adds a handler at run time and starts its child through get_context("fork"), which it chose:
the child inherits the handler under every default method, so nothing differs (MP105 was reported in the
fork child as if the default had made it)."""

import logging
import multiprocessing


def work():
    logging.getLogger("app").warning("from the child")
    assert logging.getLogger("app").handlers


if __name__ == "__main__":
    logging.getLogger("app").addHandler(logging.StreamHandler())
    p = multiprocessing.get_context("fork").Process(target=work)
    p.start()
    p.join()
    assert p.exitcode == 0
