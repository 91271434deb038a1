"""The tutorial's logging example: logging configured in the main block, children that log.

Under fork the children inherit the configured root logger and their records reach stderr; under
spawn and forkserver a child starts with an unconfigured root logger and its INFO records vanish.

    python -m mpcheck probe examples/logging_job.py      # the script, run as __main__
    python -m mpcheck probe examples.logging_job:main    # the function, as a program's entry point
"""

import logging
from multiprocessing import Process


def worker(n):
    logging.info("worker %d processing", n)


def main():
    logging.basicConfig(level=logging.INFO)
    processes = [Process(target=worker, args=(i,)) for i in range(2)]
    for p in processes:
        p.start()
        p.join()  # one at a time: their records reach stderr in this order, run after run
    logging.info("all workers done")
    return [p.exitcode for p in processes]


if __name__ == "__main__":
    main()
