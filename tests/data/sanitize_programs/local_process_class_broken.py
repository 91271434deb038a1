"""A Process subclass defined inside a function and started through the default context (pexpect's
tests/test_expect.py, class Closed_stdin_proc(multiprocessing.Process) inside a test): spawn and forkserver
pickle the process object with its class, by name, and a local class has none a child can look up
("Can't pickle local object 'main.<locals>.Echo'" in the parent at start()); a fork child just has it."""

import multiprocessing


def main():
    class Echo(multiprocessing.Process):  # sanitize: MP101
        def run(self):
            print("child ran")

    p = Echo()
    try:
        p.start()
    except Exception as exc:
        print("start failed:", type(exc).__name__)
        return
    p.join()
    print("exitcode", p.exitcode)


if __name__ == "__main__":
    main()
