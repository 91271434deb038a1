"""at#347's fix: the global is set only when the start method is fork, whose workers inherit it; under spawn and
forkserver the ring is handed to each task (right under all three)."""

import multiprocessing
from functools import partial

globring = None


def _atpass_one(ring, r, nturns):
    if ring is None:
        ring = globring
    return [r * elem["k"] * nturns for elem in ring]


def _pass(ring, values, nturns):
    with multiprocessing.Pool(2) as pool:
        return pool.starmap(partial(_atpass_one, ring, nturns=nturns), [(r,) for r in values])


def patpass(ring, values, nturns=1):
    global globring
    if multiprocessing.get_start_method() == "fork" and values:
        globring = ring
        out = _pass(None, values, nturns)
        globring = None
        return out
    return _pass(ring, values, nturns)


if __name__ == "__main__":
    print(patpass([{"k": 1.01}, {"k": 0.99}], [1.0, 2.0]))
