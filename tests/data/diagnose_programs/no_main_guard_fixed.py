"""The fix for MP102: start processes under the main guard."""

from multiprocessing import Process


def work():
    print("working")


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
    print("child exit code", p.exitcode)
