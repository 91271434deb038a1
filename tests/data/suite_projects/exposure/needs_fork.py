"""A library that checks its start method, as multiprocessing-logging 0.4 does."""

import multiprocessing


def install():
    if multiprocessing.get_start_method() != "fork":
        raise AssertionError("This module only works with the 'fork' start method.")
    return True
