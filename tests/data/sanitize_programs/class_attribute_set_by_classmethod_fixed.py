"""The same classmethod sets ``cls.scale`` again in every worker: it is the Pool's initializer, and a
Process's target calls it before it reads the attribute."""

from multiprocessing import Pool, Process


class Settings:
    scale = 1

    @classmethod
    def configure(cls, scale):
        cls.scale = scale


def task(x):
    return x * Settings.scale


def work(scale):
    Settings.configure(scale)
    print("scale", Settings.scale)


if __name__ == "__main__":
    Settings.configure(3)
    with Pool(2, initializer=Settings.configure, initargs=(Settings.scale,)) as pool:
        print(pool.map(task, range(4)))
    p = Process(target=work, args=(Settings.scale,))
    p.start()
    p.join()
