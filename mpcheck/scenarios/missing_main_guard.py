"""A script that starts a Process at module level, without the main guard: fine under fork, broken under spawn.

A spawn child, and a forkserver child, re-imports the script as ``__mp_main__`` to find the target;
without ``if __name__ == "__main__":`` that import runs ``start()`` again, inside the child, while it
is still bootstrapping. multiprocessing refuses: the child dies with ``RuntimeError`` ("An attempt
has been made to start a new process before the current process has finished its bootstrapping
phase") and exit code 1; the parent's ``join()`` returns normally. A forked child never re-imports
the script, so it just runs the target.

Forkserver, three regimes, by patch level:
- No preload (up to 3.13.7, and 3.14.0): as under spawn, exit code 1 and the bootstrapping error.
- The server preloads ``__main__`` (3.13.8+, 3.14.1+): the fix gh-126631 / gh-137996 (GH-135295,
  backported to 3.13.8 and 3.14.1) made the preload, dead code since 3.4, run the module-level code in
  the *server* at its start, so children forked from it do not re-import the script. What happens then
  depends on the server's own default start method, which the script does not set:
  - Linux 3.13.x (default fork): the server's ``start()`` forks a process of its own that runs the
    target too; the preload succeeds, and the script's child then runs and exits 0, no error.
  - Linux 3.14.x (default forkserver) and macOS (default spawn): the server's ``start()`` raises the
    bootstrapping ``RuntimeError``, the server dies, and ``start()`` in the parent fails instead
    (connection refused or end of file, depending on how far it got): the child never exists.
- 3.15+: a failed preload no longer kills the server (gh-141860, PR #141859: ``set_forkserver_preload``
  gained ``on_error=``, default ``'ignore'``, and ``__main__`` follows it). The server lives on, the child
  it forks re-imports the script and fails as under spawn: exit code 1 and the bootstrapping error.
Seen: 3.13.0 and 3.13.5 (no preload); 3.13.15 and 3.13.18 (Linux: exit 0); 3.14.8 and 3.14.10 (the
parent's ``start()`` fails); 3.15.0 and 3.15.2 (exit 1). 3.14.0 and the macOS rows are reasoned from
CPython's source (no such interpreter here).
"""

from multiprocessing import Process

from mpcheck.expect import Expect, by_method, default_is, matches, one_of, server_preloads_main, when
from mpcheck.facts import capture_reimports, error_name, reimports_error, report
from mpcheck.methods import PRELOAD_ERRORS_IGNORED

BOOTSTRAP_ERROR = matches(r"^RuntimeError: .*bootstrapping phase")
SERVER_DIED = one_of("ConnectionRefusedError", "ConnectionResetError", "BrokenPipeError", "EOFError")


# Forkserver, by the regimes above: NO_PRELOAD / PRELOAD (3.13.8+, 3.14.1+) / PRELOAD_IGNORED (3.15+), the
# versions from mpcheck.methods. While the preload kills the server, what happens follows the server's own
# default start method: fork (Linux up to 3.13) runs the child; any other kills the server.
PRELOAD_EXITCODE = default_is("fork", 0, None)
PRELOAD_CHILD_ERROR = default_is("fork", None, BOOTSTRAP_ERROR)
PRELOAD_START_ERROR = default_is("fork", None, SERVER_DIED)
FORKSERVER_EXITCODE = when(PRELOAD_ERRORS_IGNORED, 1, server_preloads_main(PRELOAD_EXITCODE, 1))
FORKSERVER_CHILD_ERROR = when(
    PRELOAD_ERRORS_IGNORED, BOOTSTRAP_ERROR, server_preloads_main(PRELOAD_CHILD_ERROR, BOOTSTRAP_ERROR)
)
FORKSERVER_START_ERROR = when(PRELOAD_ERRORS_IGNORED, None, server_preloads_main(PRELOAD_START_ERROR, None))

EXPECT = Expect(
    facts={
        "exitcode": by_method(fork=0, spawn=1, forkserver=FORKSERVER_EXITCODE),
        "child_error": by_method(fork=None, spawn=BOOTSTRAP_ERROR, forkserver=FORKSERVER_CHILD_ERROR),
        "start_error_in_parent": by_method(default=None, forkserver=FORKSERVER_START_ERROR),
    }
)

# --- observation only, not part of the user's script: every later run of this file (a child
# re-importing it, or the fork server preloading it) sends its stderr to a file the first run reads.
first_run = capture_reimports()
start_error = None
# -------------------------------------------------------------------------------------------------


def worker():
    print("hello from the child")


# The user's script: no `if __name__ == "__main__":` guard.
p = Process(target=worker)
try:
    p.start()  # sanitize: MP102  # lint: MP102
except Exception as exc:  # observation: only the first run survives a failed start(), to report it
    if not first_run:
        raise
    start_error = exc
else:
    p.join(timeout=30)
    print("child exit code:", p.exitcode)

# --- observation: the first run reads what the children wrote to stderr, and reports ----------------
if first_run:
    child_error = reimports_error()
    print("the child's error:", child_error)
    report(
        exitcode=p.exitcode if start_error is None else None,
        child_error=child_error,
        start_error_in_parent=error_name(start_error) if start_error else None,
    )
