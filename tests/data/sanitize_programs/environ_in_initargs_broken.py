"""ypkg#145: a Pool's initargs hold a config object that keeps ``os.environ`` itself: spawn and forkserver cannot
pickle it (its encoders are local to ``os._createenviron``). The hazard is the program's object at the Pool, not a
function of the standard library's."""

import multiprocessing
import os


class Config:
    def __init__(self):
        self.values = os.environ
        self.flags = {"CFLAGS": self.values.get("CFLAGS", "-O2")}


_config = None


def init(config):
    global _config
    _config = config


def flags(name):
    return name, _config.flags["CFLAGS"]


if __name__ == "__main__":
    with multiprocessing.Pool(2, initializer=init, initargs=(Config(),)) as pool:  # sanitize: MP108
        print(pool.map(flags, ["nano", "nanorc"]))
