"""A classmethod the main guard calls sets ``cls.scale`` at run time; the Pool's tasks read the class attribute."""

from multiprocessing import Pool


class Settings:
    scale = 1

    @classmethod
    def configure(cls, scale):
        cls.scale = scale  # sanitize: MP103


def task(x):
    return x * Settings.scale


if __name__ == "__main__":
    Settings.configure(3)
    with Pool(2) as pool:
        print(pool.map(task, range(4)))
