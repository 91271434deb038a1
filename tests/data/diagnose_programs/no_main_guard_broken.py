"""A script that starts its Process at import time (MP102): fine under fork only."""

from multiprocessing import Process


def work():
    print("working")


p = Process(target=work)
p.start()  # sanitize: MP102
p.join()
print("child exit code", p.exitcode)
