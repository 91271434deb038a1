"""The parent configures logging at run time, and its Pool's initializer sets the worker's logging up,
skipping where a handler is already there (as under fork, which inherits the parent's; BlueBrain/Search
#278's fix): under spawn and forkserver the initializer configures it itself, so every worker has a handler
under every method (issue 29: MP105 was reported under the default, unforced method, as if the program had
chosen fork for its pool)."""

import logging
import multiprocessing


def init_logging():
    root = logging.getLogger()
    if not any(isinstance(h, logging.StreamHandler) for h in root.handlers):
        logging.basicConfig(level=logging.INFO)


def work(x):
    logging.getLogger("worker").info("working on %s", x)
    return bool(logging.getLogger().handlers)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    with multiprocessing.Pool(2, initializer=init_logging) as pool:
        assert pool.map(work, [1, 2]) == [True, True]
