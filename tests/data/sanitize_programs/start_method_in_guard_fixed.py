"""set_start_method() in the main guard: a spawn child never runs it again."""

import multiprocessing


def work():
    print("child")


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    p = multiprocessing.Process(target=work)
    p.start()
    p.join()
