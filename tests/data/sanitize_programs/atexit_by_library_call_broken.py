"""The child calls a standard-library function that registers an atexit handler for it: weakref.finalize()
runs its callback at exit if the object is still alive, through an atexit handler of weakref's own. Before
3.13 a fork child ends with os._exit() and the callback never runs; a spawn child runs it. The hazard is
the program's line that called weakref (not weakref's own line), and says whose handler it is."""

import weakref
from multiprocessing import Process


class Connection:
    pass


def close():
    print("closed at exit")


def work():
    global CONNECTION
    CONNECTION = Connection()
    weakref.finalize(CONNECTION, close)  # sanitize: MP111


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
    assert p.exitcode == 0
