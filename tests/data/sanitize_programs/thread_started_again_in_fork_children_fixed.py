"""A client that polls in a thread of its own and starts that thread again in every fork child through
``os.register_at_fork(after_in_child=...)`` (flagsmith-python-client's fix, PR #203): a fork child lacks no
thread the program needs, and the program made up for it itself."""

import multiprocessing
import os
import threading
import time


class Client:
    def __init__(self):
        self.polls = 0
        self._start_polling()
        os.register_at_fork(after_in_child=self._start_polling)

    def _start_polling(self):
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _poll(self):
        while True:
            self.polls += 1
            time.sleep(0.05)


client = Client()


def work(out):
    time.sleep(0.3)
    out.put(client.thread.is_alive())


if __name__ == "__main__":
    out = multiprocessing.Queue()
    p = multiprocessing.Process(target=work, args=(out,))
    p.start()
    alive = out.get(timeout=30)
    p.join()
    print("OK" if alive else "BROKEN: the child has no polling thread")
