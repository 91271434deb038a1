import multiprocessing
import signal
import time

FLAG = False


def child(event):
    if FLAG:  # set at run time in the parent: only a fork child sees it
        event.set()


def test_before():
    pass


def test_hangs_unless_forked():
    global FLAG
    FLAG = True
    event = multiprocessing.Event()
    p = multiprocessing.Process(target=child, args=(event,))
    p.start()
    event.wait()  # no timeout: a spawn or forkserver child never sets it
    p.join()


def test_after():
    pass


def test_uses_sigalrm():
    """The suite's per-test timeout must leave SIGALRM to the tests."""
    fired = []
    old = signal.signal(signal.SIGALRM, lambda *args: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.01)
        deadline = time.monotonic() + 5
        while not fired and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert fired
