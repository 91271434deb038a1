"""ProcessPoolExecutor.submit of a function defined in the main guard: a spawn or forkserver worker
re-imports the script as __mp_main__, where the guard does not run, cannot find it, and the pool breaks."""

# needs: spawn-executor

from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

if __name__ == "__main__":

    def triple(x):  # sanitize: MP101
        return 3 * x

    with ProcessPoolExecutor(1) as executor:
        try:
            print(executor.submit(triple, 2).result())
        except BrokenProcessPool as exc:
            print("the worker could not run triple:", exc)
