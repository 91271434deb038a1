"""A dice generator the script makes at import, seeded from the OS, drawn from by a Pool's tasks
(ChineseCheckersAgent#47's shape): every fork worker starts from a copy of its state, so the workers
roll the same dice (MP121)."""

import random
from multiprocessing import Pool

dice = random.Random()  # sanitize: MP121


def roll(n):
    return [dice.randint(1, 6) for _ in range(n)]


if __name__ == "__main__":
    with Pool(2) as pool:
        print(pool.map(roll, [3, 3]))
