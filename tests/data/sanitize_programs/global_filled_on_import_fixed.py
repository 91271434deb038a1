"""A look-alike of global_changed_in_place_broken: a decorator fills the module-level list when the script is
imported, which a spawn child's re-import does as well."""

from multiprocessing import Process

HOOKS = []


def hook(func):
    HOOKS.append(func)
    return func


@hook
def greet():
    return "hello"


def work():
    print([h() for h in HOOKS])


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
