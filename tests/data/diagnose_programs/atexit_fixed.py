"""The fix for MP111: the clean-up runs at the end of the target, in a finally block."""

from multiprocessing import Process


def goodbye():
    print("child cleaned up", flush=True)


def work():
    try:
        pass
    finally:
        goodbye()


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
