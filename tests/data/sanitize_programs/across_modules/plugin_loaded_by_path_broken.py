"""Arelle#961: the pool's tasks are a plugin's functions, and the plugin was loaded by its file path in the parent
only: a spawn or forkserver worker cannot import its module by name to unpickle the task."""

import importlib.util
import os
import sys
from concurrent.futures import ProcessPoolExecutor

PLUGIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins", "xule_compile.py")


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    plugin = load("xule_compile", PLUGIN)
    with ProcessPoolExecutor(2) as executor:
        print(list(executor.map(plugin.compile_rule, ["assert a1", "output o1"])))
