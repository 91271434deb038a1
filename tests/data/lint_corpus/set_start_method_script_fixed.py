"""Fixed twin of set_start_method_script_broken.py: the method is set, and the processes started, under
the main guard."""

import multiprocessing as mp


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


if __name__ == "__main__":
    mp.set_start_method("spawn")
    print(task([1.0, 2.0, 3.0], 2.0))
