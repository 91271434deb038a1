"""The fix for MP109: the helper is a multiprocessing Process, which may start processes of its own."""

from multiprocessing import Process


def work():
    pass


def run_helper():
    helper = Process(target=work)
    helper.start()
    helper.join()
    print("the helper's child exit code", helper.exitcode, flush=True)


if __name__ == "__main__":
    first = Process(target=work)
    first.start()
    first.join()
    helper = Process(target=run_helper)
    helper.start()
    helper.join()
