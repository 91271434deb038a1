"""A script whose main block starts a child that prints a module global set in the main block."""

from multiprocessing import Process

MODE = "import-time"


def show():
    print(f"child sees {MODE}")


if __name__ == "__main__":
    MODE = "main-block"
    p = Process(target=show)
    p.start()
    p.join()
