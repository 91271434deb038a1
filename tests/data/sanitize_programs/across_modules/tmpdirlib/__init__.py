"""ddSMT's tmpfiles module, reduced: a run's temporary directory kept in a module global (see
module_global_read_through_its_function_broken.py)."""

import os
import tempfile

__TMPDIR = None


def init():
    global __TMPDIR
    __TMPDIR = tempfile.mkdtemp(prefix="mpcheck-tmpdirlib-")


def set_tmp_dir(path):
    global __TMPDIR
    __TMPDIR = path


def get_tmp_dir():
    return __TMPDIR


def get_tmp_filename(name):
    return os.path.join(__TMPDIR, f"{name}-{os.getpid()}")
