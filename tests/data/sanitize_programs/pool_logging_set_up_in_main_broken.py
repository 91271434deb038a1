"""The parent configures logging at run time and its Pool's workers log, with no initializer: a fork
worker inherits the handler, a spawn or forkserver worker has none (its INFO records vanish)."""

import logging
import multiprocessing


def work(x):
    logging.getLogger("worker").info("working on %s", x)
    return bool(logging.getLogger().handlers)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)  # sanitize: MP105
    with multiprocessing.Pool(2) as pool:
        print("workers with a handler:", pool.map(work, [1, 2]))
