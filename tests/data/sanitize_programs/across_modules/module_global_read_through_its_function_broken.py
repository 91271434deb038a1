"""ddSMT#25: the main path sets another module's global (its temporary directory), and the Pool's tasks read
it through that module's function (``tmpdirlib.get_tmp_filename``): spawn and forkserver workers import the
module afresh and see None."""

import multiprocessing
import os
import shutil

import tmpdirlib


def check(candidate):
    return os.path.dirname(tmpdirlib.get_tmp_filename(candidate))


if __name__ == "__main__":
    tmpdirlib.init()
    try:
        with multiprocessing.Pool(2) as pool:
            print(pool.map(check, ["a", "b"]))
    finally:
        shutil.rmtree(tmpdirlib.get_tmp_dir(), ignore_errors=True)
