"""A class that holds read-only run input, given its attribute in the main block; an executor's tasks read it
(alex-sherman/deco#63: fine on Linux's fork, AttributeError on Windows). The class has no such attribute on
import: a spawn or forkserver worker imports afresh and cannot find it. The tasks go through ``map()``, which
hands the executor each chunk wrapped in the standard library's own function."""

# needs: spawn-executor
from concurrent.futures import ProcessPoolExecutor


class RunInput:
    pass


def scaled(lat, lon):
    return (lat + lon) * RunInput.settings["scale"]


if __name__ == "__main__":
    RunInput.settings = {"scale": 3}  # sanitize: MP103
    with ProcessPoolExecutor(2) as executor:
        got = list(executor.map(scaled, [1, 2, 3], [4, 5, 6]))
    print("OK" if got == [15, 21, 27] else f"BROKEN: {got!r}")
