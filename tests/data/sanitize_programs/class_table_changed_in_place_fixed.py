"""Look-alikes of a class-level table filled at run time, each right under every method: a table filled on
import by a decorator; the Pool's initializer installs the parent's table in each worker; a pool the
program forks."""

import multiprocessing
from multiprocessing import Pool


class Models:
    registry = {}  # noqa: RUF012 (the shape under test)
    plugins = {}  # noqa: RUF012 (the shape under test)

    @classmethod
    def register(cls, name, model):
        cls.registry[name] = model

    @classmethod
    def install(cls, registry):
        cls.registry.update(registry)

    @classmethod
    def plugin(cls, function):
        cls.plugins[function.__name__] = function
        return function


class Echo:
    def __call__(self, prompt):
        return "echo:" + prompt


@Models.plugin
def shout(text):
    return text.upper()


def run(prompt):
    return Models.registry["echo"](prompt)


def use_plugin(text):
    return Models.plugins["shout"](text)


if __name__ == "__main__":
    Models.register("echo", Echo())
    with Pool(2, initializer=Models.install, initargs=(dict(Models.registry),)) as pool:
        got = pool.map(run, ["hi"])
    print("OK" if got == ["echo:hi"] else f"BROKEN: {got}")
    with Pool(2) as pool:
        got = pool.map(use_plugin, ["hi"])
    print("OK" if got == ["HI"] else f"BROKEN: {got}")
    with multiprocessing.get_context("fork").Pool(2) as pool:
        got = pool.map(run, ["hi"])
    print("OK" if got == ["echo:hi"] else f"BROKEN: {got}")
