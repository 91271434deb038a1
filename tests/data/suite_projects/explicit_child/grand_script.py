import multiprocessing
import sys

STATE = None


def check():
    sys.exit(0 if STATE == "set at run time" else 3)


if __name__ == "__main__":
    STATE = "set at run time"  # a forked child has it, a spawned one not
    process = multiprocessing.Process(target=check)
    process.start()
    process.join()
    sys.exit(process.exitcode)
