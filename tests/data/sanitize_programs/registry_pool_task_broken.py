"""A Pool task looks a task up by name in the table that the main guard's import filled (its result handed
to a callback, which stays in the parent): a spawn or forkserver worker never imports that module."""

from multiprocessing import Pool

from tasklib import run

if __name__ == "__main__":
    from tasklib import jobs  # noqa: F401  # sanitize: MP103

    with Pool(1) as pool:
        result = pool.apply_async(run, ("double", 3), callback=lambda _: print("done"))
        try:
            result.get(timeout=30)
        except KeyError as exc:
            print(f"the worker has no task {exc}")
