"""Attributes of a module-level object of the program (``config = Config()`` on import) set at run time in the
main path; the Pool's tasks and a Process's target read them: a spawn or forkserver child re-imports the
script, makes a new ``Config``, and reads what ``__init__`` or the class body gives."""

from multiprocessing import Pool, Process


class Config:
    verbose = False

    def __init__(self):
        self.precision = 6


config = Config()


def task(x):
    return round(x / 3, config.precision)


def work():
    print("verbose" if config.verbose else "BROKEN: quiet, the parent set verbose")


def main():
    config.precision = 2  # sanitize: MP103
    with Pool(2) as pool:
        got = pool.map(task, [1.0, 2.0])
    print("OK" if got == [0.33, 0.67] else f"BROKEN: the workers used precision 6: {got}")


if __name__ == "__main__":
    main()
    config.verbose = True  # sanitize: MP103
    p = Process(target=work)
    p.start()
    p.join()
