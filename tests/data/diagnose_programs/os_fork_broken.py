"""os.fork() in a program that uses multiprocessing (MP109): the forked helper cannot start processes
under forkserver (the server is its sibling, not its child)."""

import os
from multiprocessing import Process


def work():
    pass


if __name__ == "__main__":
    first = Process(target=work)
    first.start()
    first.join()
    pid = os.fork()  # sanitize: MP109
    if pid == 0:
        try:
            helper = Process(target=work)
            helper.start()
            helper.join()
            print("the helper's child exit code", helper.exitcode, flush=True)
        except Exception as exc:
            print(f"the helper could not start a process: {type(exc).__name__}: {exc}", flush=True)
        os._exit(0)
    os.waitpid(pid, 0)
