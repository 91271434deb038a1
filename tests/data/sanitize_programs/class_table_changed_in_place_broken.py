"""A class-level table filled in place at run time, through a classmethod the main path calls and through the
class's name in the main block; the Pool's tasks read it: a spawn or forkserver child imports afresh and
gets the class body's empty table, whatever the entries are (here objects, not functions)."""

from multiprocessing import Pool


class Models:
    registry = {}  # noqa: RUF012 (the shape under test)
    names = []  # noqa: RUF012 (the shape under test)

    @classmethod
    def register(cls, name, model):
        cls.registry[name] = model  # sanitize: MP103


class Echo:
    def __call__(self, prompt):
        return "echo:" + prompt


def run(prompt):
    return Models.registry["echo"](prompt)


def known(_):
    return list(Models.names)


def main():
    Models.register("echo", Echo())
    with Pool(2) as pool:
        got = pool.map(run, ["hi"])
    print("OK" if got == ["echo:hi"] else f"BROKEN: {got}")


if __name__ == "__main__":
    try:
        main()
    except KeyError as error:
        print(f"BROKEN: KeyError {error}")
    Models.names.append("echo")  # sanitize: MP103
    with Pool(2) as pool:
        got = pool.map(known, [0])
    print("OK" if got == [["echo"]] else f"BROKEN: {got}")
