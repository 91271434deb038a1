"""A function whose output is the same under every start method, but not the file it writes.

The child writes ``MODE`` to ``mode.txt``: a fork child has the value ``main()`` set, a spawn or
forkserver child re-imports this module and has the import-time one. Exit code, return value and
output agree; only ``--compare-files mode.txt`` shows the difference.
"""

import multiprocessing

MODE = "set at import"


def child(path):
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(MODE + "\n")


def main():
    global MODE
    MODE = "set in main()"
    p = multiprocessing.Process(target=child, args=("mode.txt",))
    p.start()
    p.join()
    print("done")
