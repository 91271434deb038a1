"""The fixed twin (dlio_benchmark's fix): the pool's initializer is handed the parent's object and installs
it as the singleton before any task reads it. Every method prints [('hdf5', 8), ('hdf5', 8)]."""

from multiprocessing import Pool


class Settings:
    __instance = None

    def __init__(self):
        self.batch_size = 1
        self.format = "npz"

    @staticmethod
    def get_instance():
        if Settings.__instance is None:
            Settings.__instance = Settings()
        return Settings.__instance

    @staticmethod
    def reset(instance):
        Settings.__instance = instance


def worker_init(settings):
    Settings.reset(settings)


def read_sample(i):
    settings = Settings.get_instance()
    return (settings.format, settings.batch_size)


if __name__ == "__main__":
    settings = Settings.get_instance()
    settings.batch_size = 8
    settings.format = "hdf5"
    with Pool(2, initializer=worker_init, initargs=(settings,)) as pool:
        print(pool.map(read_sample, range(2)))
