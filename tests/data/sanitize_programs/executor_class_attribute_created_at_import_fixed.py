"""The fixed twin of executor_class_attribute_created_at_run_time_broken.py: the attribute is given on import
(a statement of the module's own, outside the guard, as deco#63's fix does), so a worker that imports afresh
has it too. A class that inherits the attribute from its base and a run-time read of an attribute the class
body binds are not a creation either."""

# needs: spawn-executor
from concurrent.futures import ProcessPoolExecutor


class RunInput:
    pass


class Base:
    settings = {"scale": 3}  # noqa: RUF012 (a class holding run input, as deco#63 does)


class Derived(Base):
    pass


RunInput.settings = {"scale": 3}


def scaled(lat, lon):
    return (lat + lon) * RunInput.settings["scale"] * Derived.settings["scale"] // 3


if __name__ == "__main__":
    with ProcessPoolExecutor(2) as executor:
        got = list(executor.map(scaled, [1, 2, 3], [4, 5, 6]))
    print("OK" if got == [15, 21, 27] else f"BROKEN: {got!r}")
