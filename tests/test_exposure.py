"""What counts as a test's exposure to the forced start method (mpcheck.start_method.hook.count_starts):
sending work to a process, whoever started it, but not an explicit context's own traffic, nor the
questions multiprocessing's own code asks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import mpcheck

SOURCE_ROOT = str(Path(mpcheck.__file__).resolve().parent.parent)

PROGRAM = """
import gc, json, multiprocessing, concurrent.futures, threading
from mpcheck.start_method import hook

hook.count_starts()
found = {}

def tally(label):
    found[label] = sorted({kind for kind, _ in hook.counts})
    hook.reset_counts()

explicit = multiprocessing.get_context("spawn")
q = explicit.Queue(); q.put(1); q.get(); tally("explicit queue")
q = multiprocessing.Queue(); q.put(1); q.get(); tally("default queue")
q = multiprocessing.SimpleQueue(); q.put(1); q.get(); tally("default simple queue")
a, b = multiprocessing.Pipe(); a.send(1); b.recv(); tally("pipe, no process")
a, b = multiprocessing.get_context("fork").Pipe()
t = threading.Thread(target=a.send, args=(1,)); t.start(); b.recv(); t.join(); tally("a thread's pipe")

def double(conn):
    for item in iter(conn.recv, None):
        conn.send(item * 2)

a, b = multiprocessing.Pipe()
child = multiprocessing.get_context("fork").Process(target=double, args=(b,)); child.start(); hook.reset_counts()
a.send(1); a.recv(); tally("pipe to a running child")  # started before: still exposed
a.send(None); child.join(); hook.reset_counts()
a, b = multiprocessing.Pipe(); a.send(1); b.recv(); tally("pipe, the child joined")
with explicit.Pool(1) as pool:
    pool.apply(abs, (-3,))
tally("explicit pool")
with concurrent.futures.ProcessPoolExecutor(1, mp_context=explicit) as executor:
    executor.submit(abs, -4).result()
tally("explicit executor")
with explicit.Manager() as manager:
    hook.reset_counts()
    shared = manager.list(); shared.append(1)
    tally("explicit manager's proxy")
with multiprocessing.Manager() as manager:
    hook.reset_counts()
    shared = manager.list(); shared.append(1)
    tally("default manager's proxy")
    # a proxy let go of (its finalizer tells the manager, on a connection of its own, at garbage time: in
    # whichever test then runs): a reference released, no work sent
    del shared; gc.collect(); tally("default manager's proxy collected")
with explicit.Manager() as manager:
    shared = manager.list(); hook.reset_counts()
    del shared; gc.collect(); tally("explicit manager's proxy collected")
hook.reset_counts()
pool = multiprocessing.Pool(1)
tally("default pool started")
pool.apply(abs, (-3,)); tally("work sent to a running default pool")
# what the pool's result-handler thread does once a task's result is set (after the test waiting for it may
# have ended): it wakes the pool's worker-handler thread, in this process
pool._change_notifier.put(None); tally("a pool waking its own thread")
pool.terminate(); pool.join(); hook.reset_counts()

def drain(queue):
    queue.get(); queue.get()

q = multiprocessing.Queue()
q.put(b"x" * (1 << 20))  # more than a pipe holds: the queue's feeder thread waits in its send for a reader
q.put(b"y")  # the feeder sends it once the reader has read the first: after the reset below
hook.reset_counts()
reader = multiprocessing.Process(target=drain, args=(q,)); reader.start(); reader.join()
tally("a queue's feeder thread sends what an earlier put queued")  # the start only: the put counted before
multiprocessing.get_start_method(); tally("asks for the method")
print(json.dumps(found))
"""


@pytest.mark.skipif(
    "fork" not in __import__("multiprocessing").get_all_start_methods(), reason="counts under a forced fork"
)
@pytest.mark.skipif(
    tuple(getattr(sys, "pypy_version_info", (0, 0, 0))[:3]) in ((7, 3, 10), (7, 3, 11)),
    reason="PyPy 7.3.10/7.3.11's ProcessPoolExecutor.submit() fails under spawn (mpcheck/scenarios/_pypy.py): "
    "the explicit spawn executor this counts cannot run there",
)
def test_sends_count_and_an_explicit_contexts_own_traffic_does_not():
    env = {k: v for k, v in os.environ.items() if not k.startswith("MPCHECK_")}
    env["MPCHECK_START_METHOD"] = "fork"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [SOURCE_ROOT, env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-c", PROGRAM], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found == {
        "explicit queue": [],
        "default queue": ["other"],
        "default simple queue": ["other"],
        "pipe, no process": [],  # no process to receive it
        "a thread's pipe": [],
        "pipe to a running child": ["other"],
        "pipe, the child joined": [],
        "explicit pool": ["explicit"],  # its start; not its tasks, not its own queues' traffic
        "explicit executor": ["explicit"],
        "explicit manager's proxy": [],
        "default manager's proxy": ["other"],
        "default manager's proxy collected": [],
        "explicit manager's proxy collected": [],
        "default pool started": ["default"],
        "work sent to a running default pool": ["other"],  # started by someone else: still exposed
        "a pool waking its own thread": [],
        "a queue's feeder thread sends what an earlier put queued": ["default"],
        "asks for the method": ["other"],
    }
