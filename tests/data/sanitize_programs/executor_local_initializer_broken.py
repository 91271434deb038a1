"""A ProcessPoolExecutor (through the attribute path, `import concurrent.futures`) whose initializer is a
local function (python/cpython PR #3895's case): a fork worker runs it, a spawn or forkserver worker is never
made (Can't pickle local object), and the executor breaks."""

# needs: spawn-executor

import concurrent.futures

STATE = {}


def scale(x):
    return x * STATE.get("factor", 0)


def main():
    factor = 3

    def init_worker():  # sanitize: MP101
        STATE["factor"] = factor

    try:
        with concurrent.futures.ProcessPoolExecutor(max_workers=2, initializer=init_worker) as executor:
            print(list(executor.map(scale, [1, 2])))
    except Exception as exc:
        print("broken:", type(exc).__name__)


if __name__ == "__main__":
    main()
