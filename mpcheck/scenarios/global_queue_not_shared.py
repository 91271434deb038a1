"""A Queue and an Event made at import, used by a child through the module's globals: shared only under fork.

A common shape (Network-intrusion-dataset-creator#1, and many "works on Linux, hangs on macOS"
reports): the script makes its queues and events at module level and its workers use them by name,
never handed over. A fork child is a copy of the parent: its globals are the parent's objects, the
same pipe and the same semaphores, so what it puts the parent gets, and an event the parent set is
set. A spawn child re-imports the script as ``__mp_main__`` (a forkserver child imports it too, or
inherits the fork server's import where the server preloads the script: from 3.13.8 and 3.14.1), and
the import makes new objects: its queue is a pipe nobody else reads, its event was never set. The
program does not fail: the child's puts are lost, a ``get()`` of the parent's waits for ever, a worker
waits on an event the parent already set.

Both facts are read without a timeout. The parent sets the event before it starts the child, so the
child sees it set exactly when it has the parent's event. The child puts one item on the global queue
and exits; exiting joins the queue's feeder thread, so the item is in the pipe before ``join()``
returns, and the parent's queue has it exactly when the child had the parent's queue. Run here on
CPython 3.9.18 to 3.15.2 and PyPy; macOS and Windows read from CPython's source (spawn makes new
objects there too), not run.

A side effect seen on stderr, not asserted: under forkserver the resource tracker warns at the end of the
cell that some semaphores leaked. They are the ones the child's import made (its Queue's and its Event's);
a forkserver child clears the finalizers that would unlink them (``BaseProcess._after_fork()``), so the
tracker unlinks them itself, as in ``global_counter_lock``: nothing is left behind.
"""

from multiprocessing import Event, Process, Queue

from mpcheck.expect import Expect, by_method
from mpcheck.facts import report

EXPECT = Expect(
    facts={
        "child_saw_parents_event": by_method(fork=True, default=False),
        "parent_got_childs_item": by_method(fork=True, default=False),
        "exitcodes": [0],
    }
)

results = Queue()  # sanitize: MP120  # lint: MP120
ready = Event()  # sanitize: MP120  # lint: MP120


def worker(reply):
    reply.put(ready.is_set())  # the right way: the reply queue is handed over
    results.put("done")  # the pitfall: the module's own queue, which the parent reads only under fork


if __name__ == "__main__":
    reply = Queue()
    ready.set()
    p = Process(target=worker, args=(reply,))
    p.start()
    saw_event = reply.get(timeout=30)
    p.join()
    got_item = not results.empty()
    if got_item:
        results.get(timeout=30)
    print(f"the child saw the parent's event set: {saw_event}; the parent got the child's item: {got_item}")

    report(
        child_saw_parents_event=saw_event,
        parent_got_childs_item=got_item,
        exitcodes=[p.exitcode],
    )
