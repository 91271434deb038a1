"""A daemonic process that starts a child gets AssertionError: daemonic processes are not allowed to have children.

``Process.start()`` refuses in a daemonic process (a daemon is terminated when its parent exits, and
would leave its own children orphaned). The error is raised inside the daemon, so the daemon sends
its type and message back through a Queue. The same code in a non-daemonic child starts the
grandchild normally.
"""

from multiprocessing import Process, Queue, current_process

from mpcheck.expect import Expect, contains
from mpcheck.facts import error_name, report

EXPECT = Expect(
    facts={
        "daemon_flag_in_child": True,
        "daemon_error_type": "AssertionError",
        "daemon_error_message": contains("daemonic processes are not allowed to have children"),
        "daemon_exitcode": 0,
        "normal_child_grandchild_exitcode": 0,
        "normal_exitcode": 0,
    }
)


def grandchild():
    print("grandchild running")


def start_grandchild(queue):
    try:
        p = Process(target=grandchild)
        p.start()
    except AssertionError as exc:
        queue.put((current_process().daemon, error_name(exc), str(exc)))
        return
    p.join()
    queue.put((current_process().daemon, None, p.exitcode))


if __name__ == "__main__":
    queue = Queue()
    daemon = Process(target=start_grandchild, args=(queue,), daemon=True)  # lint: MP115
    daemon.start()
    is_daemon, error_type, message = queue.get(timeout=30)
    daemon.join(timeout=30)
    print("daemonic child:", error_type, message)

    normal = Process(target=start_grandchild, args=(queue,))
    normal.start()
    _, _, grandchild_exitcode = queue.get(timeout=30)
    normal.join(timeout=30)

    report(
        daemon_flag_in_child=is_daemon,
        daemon_error_type=error_type,
        daemon_error_message=message,
        daemon_exitcode=daemon.exitcode,
        normal_child_grandchild_exitcode=grandchild_exitcode,
        normal_exitcode=normal.exitcode,
    )
