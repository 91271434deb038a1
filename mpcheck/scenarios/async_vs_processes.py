"""asyncio.run of a coroutine that awaits both a coroutine and a CPU task run in a ProcessPoolExecutor.

``loop.run_in_executor(pool, cpu_bound, N)`` ships the call to a worker process made with the cell's
start method (``ProcessPoolExecutor(mp_context=multiprocessing.get_context(method))``) and wraps its
concurrent future in an asyncio future. The event loop stays in the parent; only the pickled call and
its result cross, so both results are right under every method.
"""

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from mpcheck.expect import Expect
from mpcheck.facts import cell_method, report

N = 100_000

EXPECT = Expect(
    facts={
        "io_result": [0, 2, 4],
        "cpu_result": sum(i * i for i in range(N)),
        "cpu_ran_in_another_process": True,
    }
)


def cpu_bound(n):
    return sum(i * i for i in range(n)), os.getpid()


async def fetch(x):
    await asyncio.sleep(0.01)
    return 2 * x


async def main(ctx):
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        io_results, (total, worker_pid) = await asyncio.gather(
            asyncio.gather(*(fetch(x) for x in range(3))),
            loop.run_in_executor(pool, cpu_bound, N),
        )
    return io_results, total, worker_pid


if __name__ == "__main__":
    ctx = multiprocessing.get_context(cell_method())
    io_results, total, worker_pid = asyncio.run(main(ctx))
    print(f"coroutines gave {io_results}; the {ctx.get_start_method()} worker {worker_pid} computed {total}")

    report(io_result=io_results, cpu_result=total, cpu_ran_in_another_process=worker_pid != os.getpid())
