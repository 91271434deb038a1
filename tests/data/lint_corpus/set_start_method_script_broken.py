"""Modelled on pytorch/pytorch#3492: a script without a main block sets the start method, then starts
its processes, all in its top-level code. Every spawn child re-runs the script and dies at the first
line that sets the method again: "RuntimeError: context has already been set"."""

import multiprocessing as mp

mp.set_start_method("spawn")  # lint: MP113


def scale(shared, i, factor):
    shared[i] *= factor


def task(values, factor):
    shared = mp.Array("d", values)
    processes = []
    for i in range(len(values)):
        p = mp.Process(target=scale, args=(shared, i, factor))
        p.start()
        processes.append(p)
    for p in processes:
        p.join()
    return list(shared)


print(task([1.0, 2.0, 3.0], 2.0))  # lint: MP102
