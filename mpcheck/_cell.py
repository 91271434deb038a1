"""A cell's entry point: ``python -m mpcheck._cell SCRIPT METHOD SET_METHOD DUMP_AFTER``.

Sets the start method as a user's program would have it, arms a traceback dump for a hang, then runs
the scenario file as ``__main__`` so spawn and forkserver children re-import it as ``__mp_main__``,
exactly as they re-import a user's script. Every import here is paid once per cell: stdlib only, and
only what multiprocessing would load anyway.
"""

import faulthandler
import os
import runpy
import sys


def main() -> None:
    script, method, set_method, dump_after = sys.argv[1:5]
    os.environ["MPCHECK_CELL_PID"] = str(os.getpid())
    os.environ["MPCHECK_METHOD"] = method
    faulthandler.enable()
    if float(dump_after) > 0:
        # Says where a hang hung, before the harness kills the tree.
        faulthandler.dump_traceback_later(float(dump_after), exit=False)
    if set_method == "1":
        import multiprocessing

        multiprocessing.set_start_method(method)
    sys.argv = [script, *sys.argv[5:]]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
