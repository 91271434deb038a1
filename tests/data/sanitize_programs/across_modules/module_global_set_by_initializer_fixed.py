"""ddSMT#25's fix: each Pool worker's initializer sets the module's temporary directory to the parent's."""

import multiprocessing
import os
import shutil

import tmpdirlib


def check(candidate):
    return os.path.dirname(tmpdirlib.get_tmp_filename(candidate))


if __name__ == "__main__":
    tmpdirlib.init()
    try:
        with multiprocessing.Pool(2, initializer=tmpdirlib.set_tmp_dir, initargs=(tmpdirlib.get_tmp_dir(),)) as pool:
            print(pool.map(check, ["a", "b"]))
    finally:
        shutil.rmtree(tmpdirlib.get_tmp_dir(), ignore_errors=True)
