"""A job the tests run as a script: its worker is defined in the main block."""

import multiprocessing

if __name__ == "__main__":

    def work():
        print("working")

    p = multiprocessing.Process(target=work)
    p.start()
    p.join()
    raise SystemExit(p.exitcode)
