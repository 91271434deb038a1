"""A private (name-mangled) method as a Process target: fine under fork, broken under spawn and forkserver.

gtdbtk's parallel runner starts ``Process(target=self.__process_manager)``. Inside ``class Runner`` the
compiler writes ``self.__work`` as ``self._Runner__work``, so the parent hands over a bound method whose
``__name__`` is ``__work``. Under fork the child inherits the method itself and runs it. Under spawn and
forkserver the Process is pickled, and multiprocessing pickles a bound method as a lookup of its
``__name__`` on its object (``reduction.py`` ``_reduce_method``: ``getattr, (m.__self__,
m.__func__.__name__)``, :206-214 in 3.9.18 and 3.15.2). The object pickles fine, so ``start()`` returns;
the child then fails to unpickle its target with ``AttributeError: 'Runner' object has no attribute
'__work'`` (3.10+ adds "Did you mean: '_work'?", 3.15 words it "Did you mean '._work' instead of
'.__work'?") and exits with code 1.

The fix: one underscore, ``self._work``: no mangling, the lookup by name finds it, and it runs under every
method.

3.15 taught pickle itself private names (python/cpython#77188, PR #21480: ``method.__reduce__`` and
``save_global`` mangle them; ``pickle.dumps`` of such a bound method round-trips on 3.15.2), but
multiprocessing's ``ForkingPickler`` registers its own reducer for bound methods, the unmangled one above,
so the child still dies on 3.15.0 and 3.15.2. (A private *static* method, pickled by its qualified name
``Runner.__static``, is the half 3.15 fixed: ``PicklingError`` at ``start()`` up to 3.14 and on PyPy, runs
on 3.15.0 and 3.15.2; left out of this scenario.)

Run here, all alike: CPython 3.9.18, 3.10.13, 3.11.7, 3.12.1, 3.13.0, 3.13.5, 3.13.15, 3.13.18, 3.14.8,
3.14.10, 3.15.0, 3.15.2 and PyPy 7.3.11, 7.3.19 and 8.0.1 (the stdlib's reduction.py). macOS and Windows
take the same platform-neutral pickling path (read from CPython's source, not run); on Windows, where
spawn makes the child before it pickles, the pickling succeeds here anyway: the child is the one that fails.
"""

import os
import sys
import tempfile
from multiprocessing import Process, Queue

from mpcheck.expect import Expect, by_method, matches
from mpcheck.facts import report

# --- observation only, not part of the user's code: when the parent asks, a child that re-imports
# this file sends its stderr to a file, so the parent can read why the child died. ---
# (fd 2 for what the interpreter writes itself, sys.stderr for tracebacks: it may be None on Windows)
if os.environ.get("CAPTURE_STDERR_TO"):
    sys.stderr = open(os.environ["CAPTURE_STDERR_TO"], "a", encoding="utf-8")  # noqa: SIM115
    os.dup2(sys.stderr.fileno(), 2)

EXPECT = Expect(
    facts={
        # the pattern: self.__work
        "private_method_exitcode": by_method(fork=0, default=1),
        "private_method_message": by_method(fork="done by Runner.__work", default=None),
        "private_method_child_error": by_method(
            fork=None, default=matches(r"^AttributeError: 'Runner' object has no attribute '__work'")
        ),
        # the fix: self._work
        "one_underscore_exitcode": 0,
        "one_underscore_message": "done by Runner._work",
    }
)


class Runner:
    def __init__(self, results):
        self.results = results

    def __work(self):  # sanitize: MP101
        self.results.put("done by Runner.__work")

    def _work(self):
        self.results.put("done by Runner._work")

    def run_private(self):
        p = Process(target=self.__work)  # lint: MP101
        p.start()
        p.join(timeout=30)
        return p.exitcode

    def run_one_underscore(self):
        p = Process(target=self._work)
        p.start()
        p.join(timeout=30)
        return p.exitcode


def child_error(captured):
    """The last line the children wrote to stderr (None under fork: no child re-imported this file)."""
    try:
        with open(captured, encoding="utf-8", errors="replace") as fh:
            lines = [line for line in fh.read().splitlines() if line.strip()]
    except FileNotFoundError:
        return None
    return lines[-1] if lines else None


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        captured = os.path.join(tmp, "child-stderr.txt")
        os.environ["CAPTURE_STDERR_TO"] = captured  # set before any child (and the forkserver) starts
        results = Queue()
        runner = Runner(results)

        private_exitcode = runner.run_private()
        private_error = child_error(captured)  # read before the working child adds anything
        private_message = results.get(timeout=30) if private_exitcode == 0 else None
        print("self.__work: exit code", private_exitcode, "child error:", private_error)

        one_exitcode = runner.run_one_underscore()
        one_message = results.get(timeout=30) if one_exitcode == 0 else None
        print("self._work: exit code", one_exitcode, "message:", one_message)

    report(
        private_method_exitcode=private_exitcode,
        private_method_message=private_message,
        private_method_child_error=private_error,
        one_underscore_exitcode=one_exitcode,
        one_underscore_message=one_message,
    )
