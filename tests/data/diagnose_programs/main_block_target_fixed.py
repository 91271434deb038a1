"""The fix for MP101: the target at module level, where a child that re-imports the script finds it."""

from multiprocessing import Process


def work():
    print("working")


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
    print("child exit code", p.exitcode)
