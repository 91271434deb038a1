"""A configuration singleton made on first use (dlio_benchmark #116): the main guard gets it and changes its
values; each worker calls get_instance(). A fork worker gets the parent's object ([('hdf5', 8), ...]); a
spawn or forkserver worker finds __instance None and makes a fresh one with the defaults ([('npz', 1), ...])."""

from multiprocessing import Pool


class Settings:
    __instance = None

    def __init__(self):
        self.batch_size = 1
        self.format = "npz"

    @staticmethod
    def get_instance():
        if Settings.__instance is None:
            Settings.__instance = Settings()  # sanitize: MP103
        return Settings.__instance


def read_sample(i):
    settings = Settings.get_instance()
    return (settings.format, settings.batch_size)


if __name__ == "__main__":
    settings = Settings.get_instance()
    settings.batch_size = 8
    settings.format = "hdf5"
    with Pool(2) as pool:
        print(pool.map(read_sample, range(2)))
