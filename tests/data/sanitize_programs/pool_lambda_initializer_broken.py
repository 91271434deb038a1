"""A Pool whose initializer is a lambda: a fork worker runs it, a spawn or forkserver pool cannot start its
workers (the lambda does not pickle), and Pool() raises."""

import multiprocessing


def double(x):
    return 2 * x


if __name__ == "__main__":
    try:
        with multiprocessing.Pool(2, initializer=lambda: None) as pool:  # sanitize: MP101
            print(pool.map(double, [1, 2]))
    except Exception as exc:
        print("broken:", type(exc).__name__)
