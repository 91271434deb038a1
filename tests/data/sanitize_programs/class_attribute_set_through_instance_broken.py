"""A method the main guard calls sets the class attribute through ``type(self)`` and ``self.__class__``;
the child reads both."""

from multiprocessing import Process


class Config:
    limit = 10
    verbose = False

    def apply(self, limit):
        type(self).limit = limit  # sanitize: MP103
        self.__class__.verbose = True  # sanitize: MP103


def work():
    print("limit", Config.limit, Config.verbose)


if __name__ == "__main__":
    Config().apply(99)
    p = Process(target=work)
    p.start()
    p.join()
