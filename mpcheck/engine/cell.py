"""A cell's entry point: ``python -m mpcheck.engine.cell TARGET METHOD SET_METHOD DUMP_AFTER [ARGS...]``.

Sets the start method as a user's program would have it, arms a traceback dump for a hang, then runs
the scenario file as ``__main__`` so spawn and forkserver children re-import it as ``__mp_main__``,
exactly as they re-import a user's script. Every import here is paid once per cell: stdlib only, and
only what multiprocessing would load anyway.

The probe (``mpcheck probe``) uses the same bootstrap with a prefixed TARGET: ``script:PATH`` runs a
user's script as ``__main__``, ``call:MODULE:FUNCTION ARGS_JSON`` imports a user's module by name and
calls the function as the program's entry point, ``check:MODULE:FUNCTION`` only imports and resolves
it. Those record what came out (return value, exception, warnings) as facts, since the user's code
reports none. SET_METHOD ``default`` makes METHOD the interpreter's default without setting it, so a
program that calls ``set_start_method`` itself still may, as it would outside the probe.
"""

import faulthandler
import io
import os
import signal
import sys


def _run_as_main(path):
    """Run a script file as ``__main__``, as ``python path`` does.

    Not ``runpy.run_path``, which gives the same module (``__file__`` set, ``__spec__`` None, which
    is what spawn's re-import keys on) but first imports pkgutil, and with it typing: milliseconds
    per cell to ask whether a scenario file is a zip archive or a directory.
    """
    with io.open_code(os.path.abspath(path)) as fh:
        code = compile(fh.read(), path, "exec")
    main = type(sys)("__main__")
    main.__dict__.update(__file__=path, __cached__=None, __loader__=None, __package__="", __spec__=None)
    sys.modules["__main__"] = main
    sys.argv[0] = path
    exec(code, main.__dict__)


def _resolve(spec):
    import importlib

    module_name, _, qualname = spec.partition(":")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # as `python -c`/`-m` would, also under PYTHONSAFEPATH
    obj = importlib.import_module(module_name)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    if not callable(obj):
        raise TypeError(f"{spec} is a {type(obj).__name__}, not a function")
    return obj


def _warning_name(message, category):
    from mpcheck.facts import error_name

    return error_name(message) if isinstance(message, Warning) else category.__name__


def _probe(target, extra):
    """Run a probe target, reporting what came out; an exception still ends it as it would."""
    import traceback
    import warnings

    from mpcheck.facts import error_name, report

    kind, _, spec = target.partition(":")
    if kind == "check":
        try:
            _resolve(spec)
        except BaseException as exc:  # the user's module: anything may come out of its import
            report(target_error=f"{type(exc).__name__}: {exc}".splitlines()[0])
        else:
            # where the code is, so the harness can read (lint) it without importing it itself
            report(target_error=None, target_file=getattr(sys.modules[spec.partition(":")[0]], "__file__", None))
        return
    if kind == "call":
        import json

        args = json.loads(extra[0]) if extra else []
        sys.argv = [spec]
    else:
        sys.argv = [spec, *extra]
        sys.path.insert(0, os.path.dirname(os.path.abspath(spec)))
    with warnings.catch_warnings(record=True) as caught:  # the filters stay the program's own
        try:
            if kind == "call":
                returned = _resolve(spec)(*args)
                report(returned=repr(returned))
            else:
                _run_as_main(spec)
        except SystemExit:
            raise  # its code is the exit code
        except BaseException as exc:
            report(exception=f"{error_name(exc)}: {exc}")
            tb = exc.__traceback__
            while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
                tb = tb.tb_next  # show the user's frames only, as their own program would
            traceback.print_exception(type(exc), exc, tb)
            sys.exit(1)
        finally:
            report(warnings=[f"{_warning_name(w.message, w.category)}: {w.message}" for w in caught])


def tag_prefixes(tag: str) -> "tuple[str, str]":
    """The ``/dev/shm`` name prefixes of a cell tagged ``tag``: its named semaphores', and its shared-memory
    segments' (short: POSIX shared memory names are kept to 14 characters, so a 4-digit digest of the tag)."""
    import zlib

    return f"sem.mp-{tag}-", f"psm_{zlib.crc32(tag.encode()) & 0xFFFF:04x}"


def _tag_names(tag: str) -> None:
    """Put ``tag`` in the names of the semaphores and shared-memory segments this cell makes (and its
    children's semaphores: they inherit the prefix), for a leak check that counts only its own."""
    from multiprocessing import process, shared_memory

    process.current_process()._config["semprefix"] = f"/mp-{tag}"  # type: ignore[attr-defined]
    # the platform's prefix ("/psm_" on POSIX, the slash included), then the digest
    shared_memory._SHM_NAME_PREFIX += tag_prefixes(tag)[1][len("psm_") :]  # type: ignore[attr-defined]


def main() -> None:
    from mpcheck.facts import METHOD_ENV, NAME_TAG_ENV, OWNER_ENV

    target, method, set_method, dump_after = sys.argv[1:5]
    os.environ[OWNER_ENV] = str(os.getpid())
    os.environ[METHOD_ENV] = method
    faulthandler.enable()
    # Ctrl-C as at a terminal, whatever started mpcheck: a background job (`mpcheck run &` in a script, a
    # CI shell) starts with SIGINT ignored and every process inherits that, so the harness's interrupt,
    # the first step of its kill (the program says where it was), would do nothing.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if os.environ.get(NAME_TAG_ENV):
        _tag_names(os.environ[NAME_TAG_ENV])
    # Says where a hang hung, before the harness kills the tree. On POSIX the harness asks with
    # SIGUSR1: dump_traceback_later's watchdog thread would make every fork on 3.12+ see a
    # multi-threaded process (and warn), which the user's program is not. Windows has no fork.
    if hasattr(faulthandler, "register") and hasattr(signal, "SIGUSR1"):
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    elif float(dump_after) > 0:
        faulthandler.dump_traceback_later(float(dump_after), exit=False)
    if set_method == "1":
        import multiprocessing

        multiprocessing.set_start_method(method)
    elif set_method == "default":
        from mpcheck.start_method.hook import make_default_now

        make_default_now(method)
    if target.partition(":")[0] in ("script", "call", "check"):
        _probe(target, sys.argv[5:])
        return
    sys.argv = [target, *sys.argv[5:]]
    sys.path.insert(0, os.path.dirname(os.path.abspath(target)))
    _run_as_main(target)


if __name__ == "__main__":
    main()
