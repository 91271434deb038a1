"""A module-level object made on first use by a getter with `global`: the main guard changes it, the child
calls the getter. Fork prints 'debug'; spawn and forkserver make a fresh one and print 'info'."""

from multiprocessing import Process

_config = None


class Config:
    def __init__(self):
        self.level = "info"


def get_config():
    global _config
    if _config is None:
        _config = Config()  # sanitize: MP103
    return _config


def work():
    print(get_config().level)


if __name__ == "__main__":
    get_config().level = "debug"
    p = Process(target=work)
    p.start()
    p.join()
