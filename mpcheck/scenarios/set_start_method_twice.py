"""Setting the start method a second time raises RuntimeError; force=True and get_context() work.

``set_start_method()`` may be called once per program: a second call raises
``RuntimeError("context has already been set")`` even when it names the same method. So does a
first call made after ``get_start_method()``, which quietly fixes the default. ``force=True``
replaces the method, and ``get_context(method)`` gives a context of its own without touching the
global one, which is what libraries should use.
"""

import multiprocessing

from mpcheck.expect import Expect, contains
from mpcheck.facts import cell_method, error_name, report

EXPECT = Expect(
    facts={
        "unset_before": True,
        "second_error": "RuntimeError",
        "second_message": contains("context has already been set"),
        "same_again_error": "RuntimeError",
        "forced_method_applied": True,
        "get_context_method_applied": True,
        "global_method_unchanged_by_get_context": True,
        "exitcodes": [0, 0],
        "after_get_start_method_error": "RuntimeError",
    },
    set_method=False,
)


def worker(queue):
    queue.put(multiprocessing.current_process().name)


def run_child(ctx):
    queue = ctx.Queue()
    p = ctx.Process(target=worker, args=(queue,))
    p.start()
    queue.get(timeout=30)
    p.join()
    return p.exitcode


def try_set(method, **kwargs):
    try:
        multiprocessing.set_start_method(method, **kwargs)
    except RuntimeError as exc:
        print(f"set_start_method({method!r}) -> {exc!r}")
        return exc
    return None


if __name__ == "__main__":
    method = cell_method()
    others = [m for m in multiprocessing.get_all_start_methods() if m != method]
    other = others[0] if others else method  # Windows has spawn only

    unset_before = multiprocessing.get_start_method(allow_none=True) is None
    multiprocessing.set_start_method(method)
    second = try_set(other)  # lint: MP113
    same_again = try_set(method)  # lint: MP113

    multiprocessing.set_start_method(other, force=True)
    forced = multiprocessing.get_start_method()
    forced_exit = run_child(multiprocessing.get_context())

    ctx = multiprocessing.get_context(method)
    ctx_exit = run_child(ctx)
    unchanged = multiprocessing.get_start_method() == other

    # get_start_method() without allow_none picks the default for good: set_start_method() now fails.
    multiprocessing.set_start_method(None, force=True)
    multiprocessing.get_start_method()
    late = try_set(method)  # lint: MP113

    report(
        unset_before=unset_before,
        second_error=error_name(second) if second else None,
        second_message=str(second) if second else None,
        same_again_error=error_name(same_again) if same_again else None,
        forced_method_applied=forced == other,
        get_context_method_applied=ctx.get_start_method() == method,
        global_method_unchanged_by_get_context=unchanged,
        exitcodes=[forced_exit, ctx_exit],
        after_get_start_method_error=error_name(late) if late else None,
    )
