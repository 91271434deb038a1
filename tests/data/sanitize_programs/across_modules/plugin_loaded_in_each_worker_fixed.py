"""Arelle#961's fix: each worker's initializer loads the plugin by its path before any task is unpickled."""

import importlib.util
import os
import sys
from concurrent.futures import ProcessPoolExecutor

PLUGIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins", "xule_compile.py")


def load(name, path):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    plugin = load("xule_compile", PLUGIN)
    with ProcessPoolExecutor(2, initializer=load, initargs=("xule_compile", PLUGIN)) as executor:
        print(list(executor.map(plugin.compile_rule, ["assert a1", "output o1"])))
