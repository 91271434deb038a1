"""The fixed twin of executor_local_initializer_broken.py: the initializer is a module-level function and
what it sets is passed as initargs, so every method's workers run it."""

# needs: spawn-executor

import concurrent.futures

STATE = {}


def init_worker(factor):
    STATE["factor"] = factor


def scale(x):
    return x * STATE.get("factor", 0)


def main():
    with concurrent.futures.ProcessPoolExecutor(max_workers=2, initializer=init_worker, initargs=(3,)) as executor:
        assert list(executor.map(scale, [1, 2])) == [3, 6]


if __name__ == "__main__":
    main()
