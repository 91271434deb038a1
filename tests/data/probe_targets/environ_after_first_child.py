"""Sets an environment variable after its first child started, then starts another child.

The second child sees the variable under fork and spawn; under forkserver it is forked by the
server, which kept the environment it was started with.
"""

import os
from multiprocessing import Process, Queue


def read_env(queue):
    queue.put(os.environ.get("PROBE_TARGET_FLAG"))


def main():
    queue = Queue()
    seen = []
    for step in range(2):
        p = Process(target=read_env, args=(queue,))
        p.start()
        seen.append(queue.get(timeout=30))
        p.join()
        if step == 0:
            os.environ["PROBE_TARGET_FLAG"] = "set after the first child"
    return seen
