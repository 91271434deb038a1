"""A class attribute set by the main guard after the Pool is made, read by the tasks: the fork workers were
forked before it was set, as a spawn or forkserver worker imports the class afresh. Every method prints
['small', 'small']."""

from multiprocessing import Pool


class Settings:
    size = "small"


def work(_):
    return Settings.size


if __name__ == "__main__":
    with Pool(2) as pool:
        Settings.size = "large"
        print(pool.map(work, [1, 2]))
