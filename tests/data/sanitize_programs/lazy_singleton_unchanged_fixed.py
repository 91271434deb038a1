"""A singleton made on first use by the main guard and never changed: a spawn or forkserver worker's fresh one
holds the same values as the parent's. Every method prints [('npz', 1), ('npz', 1)]."""

from multiprocessing import Pool


class Settings:
    _instance = None

    def __init__(self):
        self.batch_size = 1
        self.format = "npz"

    @classmethod
    def get_instance(cls):
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance


def read_sample(i):
    settings = Settings.get_instance()
    return (settings.format, settings.batch_size)


if __name__ == "__main__":
    Settings.get_instance()
    with Pool(2) as pool:
        print(pool.map(read_sample, range(2)))
