"""The fixes and look-alikes of generator_drawn_by_pool_tasks_broken.py: each Pool worker reseeds the
generator before its first task (``initializer=dice.seed``), a Process reseeds its own at its start, a
generator with a fixed seed gives every import the same state (the same under every method), and a spawn
context's children seed their own: nothing."""

import random
from multiprocessing import Pool, Process, get_context

dice = random.Random()
coin = random.Random()
fixed = random.Random(42)
spawned = random.Random()


def roll(n):
    return [dice.randint(1, 6) for _ in range(n)]


def flip():
    coin.seed()
    print(coin.random() < 0.5, fixed.random())


def in_spawn_child():
    print(spawned.random())


if __name__ == "__main__":
    with Pool(2, initializer=dice.seed) as pool:
        print(pool.map(roll, [3, 3]))
    for target in (flip,):
        p = Process(target=target)
        p.start()
        p.join()
    p = get_context("spawn").Process(target=in_spawn_child)
    p.start()
    p.join()
