import multiprocessing
import os

from turns_log import log, seen, wait_until_seen

LATER = [m for m in ("spawn", "forkserver") if m in multiprocessing.get_all_start_methods()]


def nothing():
    pass


def test_starts_a_process():
    log("test")
    p = multiprocessing.Process(target=nothing)
    p.start()
    p.join()
    assert p.exitcode == 0
    if os.environ["MPCHECK_START_METHOD"] == "fork":
        # the first method's run: once a test has started a process through the default context, the later
        # methods' pytest processes start meanwhile (bounded wait)
        for method in LATER:
            assert wait_until_seen(f"{method} plugin"), f"the {method} pytest did not start during the first run"
        if os.environ.get("TURNS_HOLD"):  # held until the supervisor is interrupted (bounded)
            assert not wait_until_seen("never", limit=60), seen("never")
    log("done")


def test_pure():
    # starts no process: it runs under the first method only, and says so in the log
    log("pure")
    assert seen(f"{os.environ['MPCHECK_START_METHOD']} pure")
