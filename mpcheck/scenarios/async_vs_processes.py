"""asyncio.run of a coroutine that awaits both a coroutine and a CPU task run in a ProcessPoolExecutor.

``loop.run_in_executor(pool, cpu_bound, N)`` ships the call to a worker process made with the cell's
start method (``ProcessPoolExecutor(mp_context=multiprocessing.get_context(method))``) and wraps its
concurrent future in an asyncio future. The event loop stays in the parent; only the pickled call and
its result cross, so both results are right under every method.

PyPy 7.3.10 and 7.3.11 (Python 3.9) ship a ``concurrent/futures/process.py`` whose merge of CPython's
gh-90622 fix (workers started on demand unless the context forks) renamed ``_adjust_process_count``
to ``_adjust_process_count_cpython`` but left ``submit()`` calling the old name. So under spawn and
forkserver every ``submit()``, and with it ``run_in_executor``, raises ``AttributeError:
'ProcessPoolExecutor' object has no attribute '_adjust_process_count'``; under fork (workers started
up front) it works. Reported as https://github.com/pypy/pypy/issues/3873 (7.3.10),
https://github.com/pypy/pypy/issues/3910 and https://github.com/pypy/pypy/issues/4922 (7.3.11).
Seen on Debian's 7.3.11; 7.3.19 and 8.0.1 work. The boundary here, 7.3.12 (the release after the
report on 7.3.11 was closed), is not verified on a PyPy between 7.3.11 and 7.3.19.
"""

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from mpcheck.expect import Expect, by_impl, by_method, pypy_since
from mpcheck.facts import cell_method, error_name, report
from mpcheck.scenarios._pypy import PYPY_SUBMIT_ERROR

N = 100_000
TOTAL = sum(i * i for i in range(N))

EXPECT = Expect(
    facts={
        "io_result": [0, 2, 4],
        "executor_error": by_impl(
            pypy=by_method(fork=None, default=pypy_since("7.3.12", None, PYPY_SUBMIT_ERROR)), default=None
        ),
        "cpu_result": by_impl(pypy=by_method(fork=TOTAL, default=pypy_since("7.3.12", TOTAL, None)), default=TOTAL),
        "cpu_ran_in_another_process": by_impl(
            pypy=by_method(fork=True, default=pypy_since("7.3.12", True, None)), default=True
        ),
    }
)


def cpu_bound(n):
    return sum(i * i for i in range(n)), os.getpid()


async def fetch(x):
    await asyncio.sleep(0.01)
    return 2 * x


async def in_worker(pool):
    # run_in_executor submits at once: awaited from a coroutine, an error in submit() is the task's.
    return await asyncio.get_running_loop().run_in_executor(pool, cpu_bound, N)


async def main(ctx):
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        io_results, cpu = await asyncio.gather(
            asyncio.gather(*(fetch(x) for x in range(3))), in_worker(pool), return_exceptions=True
        )
    return io_results, cpu


if __name__ == "__main__":
    ctx = multiprocessing.get_context(cell_method())
    io_results, cpu = asyncio.run(main(ctx))
    if isinstance(cpu, BaseException):
        print(f"coroutines gave {io_results}; run_in_executor raised {error_name(cpu)}: {cpu}")
        error, total, in_another = f"{error_name(cpu)}: {cpu}", None, None
    else:
        total, worker_pid = cpu
        print(f"coroutines gave {io_results}; the {ctx.get_start_method()} worker {worker_pid} computed {total}")
        error, in_another = None, worker_pid != os.getpid()

    report(io_result=io_results, executor_error=error, cpu_result=total, cpu_ran_in_another_process=in_another)
