"""PasteHunter's shape: the paste queue and the results queue are made in the main block, and the scanner
Process uses them through the globals: a spawn or forkserver child re-imports the script, where the main
block does not run, and gets a NameError (MP103 where each is bound; not MP120, which is about objects made at
import)."""

import contextlib
import multiprocessing
import queue


def paste_scanner():
    while True:
        paste = q.get(timeout=30)
        if paste is None:
            break
        results.put(paste.upper())


if __name__ == "__main__":
    q = multiprocessing.Queue()  # sanitize: MP103
    results = multiprocessing.Queue()  # sanitize: MP103
    scanner = multiprocessing.Process(target=paste_scanner)
    scanner.start()
    for paste in ("a", "b", None):
        q.put(paste)
    found = []
    while len(found) < 2 and (scanner.is_alive() or not results.empty()):  # a child that died sends nothing
        with contextlib.suppress(queue.Empty):
            found.append(results.get(timeout=0.5))
    scanner.join(30)
    print(sorted(found), "exit code", scanner.exitcode)
