"""set_start_method() at module level: fine under fork; a spawn child dies re-importing the script.

The script sets its start method in its top-level code and starts its process in the main block. The
parent's call is its first, so it succeeds. A spawn child sets the parent's method itself (with
``force=True``) while it bootstraps, then re-imports the script as ``__mp_main__`` to find the target:
the top-level call runs again, without ``force``, and raises ``RuntimeError("context has already been
set")``. The child dies with exit code 1 before the target runs; the parent's ``join()`` returns
normally. A forked child never re-imports the script.

Forkserver, two regimes by patch level:
- No preload (up to 3.13.7, and 3.14.0): as under spawn, exit code 1 and the same error.
- The server preloads ``__main__`` (3.13.8+, 3.14.1+; gh-126631, GH-135295): the server imports the
  script once at its start, before any method is set in it, so the call succeeds there; children
  forked from the server find the script imported already and do not run it again: the target runs.
  Modules the script imports at its top level are preloaded with it; a call at import time in a
  module it imports only later (in its main block; a test module under pytest) still fails there:
  seen on 3.13.18, 3.14.10 and 3.15.2 with a target from such a module (exit 1, the same error).
Seen: 3.9 to 3.13.0 and 3.13.5 (forkserver exit 1); 3.13.15, 3.13.18, 3.14.8, 3.14.10, 3.15.0 and
3.15.2 (forkserver exit 0). 3.14.0 is reasoned from CPython's source (no such interpreter here).

The fix: set the method in the main block, once, or take a context where it is needed
(``multiprocessing.get_context("spawn")``), which sets nothing global.
"""

import multiprocessing

from mpcheck.expect import Expect, by_method, matches, server_preloads_main
from mpcheck.facts import capture_reimports, cell_method, reimports_error, report

ALREADY_SET = matches(r"^RuntimeError: context has already been set$")

EXPECT = Expect(
    facts={
        "method_set_in_parent": True,
        "exitcode": by_method(fork=0, spawn=1, forkserver=server_preloads_main(0, 1)),
        "child_error": by_method(fork=None, spawn=ALREADY_SET, forkserver=server_preloads_main(None, ALREADY_SET)),
        "target_ran": by_method(fork=True, spawn=False, forkserver=server_preloads_main(True, False)),
    },
    set_method=False,
)

# --- observation only, not part of the user's script: every later run of this file (a child
# re-importing it, or the fork server preloading it) sends its stderr to a file the first run reads.
capture_reimports()
# -------------------------------------------------------------------------------------------------

# The user's script: the start method set in its top-level code.
multiprocessing.set_start_method(cell_method())  # sanitize: MP113  # lint: MP113


def worker(ran):
    ran.value = 1


if __name__ == "__main__":
    ran = multiprocessing.Value("i", 0)
    p = multiprocessing.Process(target=worker, args=(ran,))
    p.start()
    p.join(timeout=30)
    child_error = reimports_error()
    print("child exit code:", p.exitcode, "the child's error:", child_error)
    report(
        method_set_in_parent=multiprocessing.get_start_method() == cell_method(),
        exitcode=p.exitcode,
        child_error=child_error,
        target_ran=ran.value == 1,
    )
