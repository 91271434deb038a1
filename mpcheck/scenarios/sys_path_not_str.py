"""A ``pathlib.Path`` appended to ``sys.path``: the fork server dies at start, so ``start()`` fails.

Import ignores non-str entries, so ``sys.path.append(Path(...))`` goes unnoticed for years. fork
copies ``sys.path``, spawn pickles it (a Path pickles): children start under both. The fork server,
though, is launched with ``python -c "...main(..., **{'sys_path': [...]})"``, its arguments written
with ``%r``: the entry becomes ``PosixPath('/...')`` in that command, where ``PosixPath`` is not
defined, so the server dies at once with ``NameError`` and the parent's ``start()`` fails with the
connection error of a server that is gone (which one depends on how far the parent got). The
command has carried ``sys_path`` since the server was added in 3.4 (it was ignored by the server
until gh-117378, but still evaluated), so every version here fails; the report, gh-145898 (filed
when 3.14 made forkserver Linux's default), was closed without a change: 3.15.2 still writes the
command with ``%r``.
"""

import os
import sys
import tempfile
from multiprocessing import Process
from pathlib import Path

from mpcheck.expect import Expect, by_method, contains, one_of
from mpcheck.facts import error_name, report

EXPECT = Expect(
    facts={
        "start_error": by_method(
            forkserver=one_of("ConnectionRefusedError", "ConnectionResetError", "BrokenPipeError", "EOFError"),
            default=None,
        ),
        "exitcode": by_method(forkserver=None, default=0),
        "server_stderr": by_method(forkserver=contains("NameError: name 'PosixPath' is not defined"), default=""),
    }
)


def work():
    print("hello from the child")


if __name__ == "__main__":
    # the pitfall: a Path, not a str
    sys.path.append(Path(tempfile.gettempdir()) / "plugins")  # sanitize: MP110  # lint: MP110

    with tempfile.TemporaryFile(mode="w+") as captured:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(captured.fileno(), 2)  # the fork server, started by start(), inherits fd 2
        try:
            p = Process(target=work)
            try:
                p.start()
                start_error = None
            except Exception as exc:
                start_error = exc
            else:
                p.join(30)
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        captured.seek(0)
        stderr = captured.read()
    print(f"start() -> {start_error!r}; stderr of the children:\n{stderr}")

    report(
        start_error=error_name(start_error) if start_error else None,
        exitcode=None if start_error else p.exitcode,
        server_stderr=stderr,
    )
