"""A Pool task defined in the main guard: a spawn or forkserver worker re-imports the script as __mp_main__,
where the guard does not run, and cannot find it by name (the task is lost: its result never comes, so the
program waits for it only where the pool forks)."""

import multiprocessing

if __name__ == "__main__":

    def square(x):  # sanitize: MP101
        return x * x

    with multiprocessing.Pool(2) as pool:
        result = pool.apply_async(square, (3,))
        if multiprocessing.get_start_method() == "fork":
            print(result.get())
