"""Modelled on n8n-io/n8n#19084 and jonatanjacobsson/ifcpipeline#28: the parent joins the worker, then reads
its result from the queue; any result over the pipe buffer (64 KiB) hangs both for ever."""

from multiprocessing import Process, Queue


def render(job, results):
    results.put(("ok", "x" * 100_000 + job))


def run(job):
    results = Queue()
    proc = Process(target=render, args=(job, results))
    proc.start()
    proc.join()  # lint: MP114
    return results.get()


if __name__ == "__main__":
    print(len(run("report")[1]))
