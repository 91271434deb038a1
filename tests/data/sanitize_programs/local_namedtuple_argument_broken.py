"""An object of a namedtuple class made inside a function, handed to a Process (katdal's ``mvftoms.py``: its
``CPInfo``). The class's name has no ``<locals>``, but its module has no ``CPInfo``: a spawn or forkserver
start cannot pickle it by reference. The start is shown, the class having no line of its own."""

import multiprocessing
from collections import namedtuple


def index(products):
    CPInfo = namedtuple("CPInfo", "ant1 ant2")
    return CPInfo([a for a, _ in products], [b for _, b in products])


def write(out, info):
    out.put(len(info.ant1))


if __name__ == "__main__":
    out = multiprocessing.Queue()
    p = multiprocessing.Process(target=write, args=(out, index([("m0", "m1")])))
    try:
        p.start()  # sanitize: MP101
    except Exception as exc:
        print("BROKEN:", type(exc).__name__, exc)
    else:
        print("OK" if out.get(timeout=30) == 1 else "BROKEN")
        p.join()
