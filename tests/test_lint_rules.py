"""Each rule on small programs: the pitfall is flagged on its marked line (``# lint: MPxxx``) and
nothing else is, including look-alikes that must not be flagged (a lambda given to the builtin
``map()`` or to a Thread, a guarded start, a global only read, a constant, ``sys.path.append(str(p))``)."""

from __future__ import annotations

import textwrap

import pytest
from support.lint_marks import findings, marks

CASES = {
    # --- MP101 unpicklable target --------------------------------------------------------------------
    "mp101_object_of_a_local_class_as_an_argument": """
        # katdal#339: a namedtuple class made inside a function, its object handed to a Process (run: "Can't pickle
        # <class '__main__.CPInfo'>: attribute lookup CPInfo on __main__ failed" under spawn and forkserver; a class
        # statement: "Can't pickle local object"). A module-level namedtuple, one that says how it is pickled, or a
        # fork context: silent
        import multiprocessing
        from collections import namedtuple
        Point = namedtuple("Point", "x y")
        def corrprod_index():
            CPInfo = namedtuple("CPInfo", "ant1 ant2")
            return CPInfo(1, 2)
        def work(q, cp_info):
            q.put(repr(cp_info))
        def main():
            class Local:
                pass
            class Reduced:
                def __reduce__(self):
                    return (Point, (1, 2))
            q = multiprocessing.Queue()
            cp_info = corrprod_index()
            multiprocessing.Process(target=work, args=(q, cp_info)).start()  # lint: MP101
            multiprocessing.Process(target=work, args=(q, Local())).start()  # lint: MP101
            multiprocessing.Process(target=work, args=(q, Point(1, 2))).start()
            multiprocessing.Process(target=work, args=(q, Reduced())).start()
            multiprocessing.get_context("fork").Process(target=work, args=(q, Local())).start()
        if __name__ == "__main__":
            main()
    """,
    "mp101_lambda_target": """
        from multiprocessing import Process
        if __name__ == "__main__":
            p = Process(target=lambda: print("hi"))  # lint: MP101
            p.start()
    """,
    "mp101_local_function_and_args": """
        import multiprocessing as mp
        def outer():
            def inner(x):
                return x
            p = mp.Process(target=inner, args=(1,))  # lint: MP101
            q = mp.Process(target=print, args=(lambda: 1,))  # lint: MP101
            p.start(); q.start()
        if __name__ == "__main__":
            outer()
    """,
    "mp101_private_method": """
        # gtdbtk's runner: a bound method pickles as a lookup of its name, __work, on its object, which keeps it
        # as _Runner__work. Run: spawn and forkserver children exit 1 (AttributeError), fork runs it; a Pool's
        # worker fails to unpickle the task under every method, fork included (the task is lost: map() hangs)
        import multiprocessing
        class Runner:
            def __work(self, x=None):
                return x
            def start(self):
                multiprocessing.Process(target=self.__work).start()  # lint: MP101
                with multiprocessing.Pool(1) as pool:
                    pool.map(self.__work, [1])  # lint: MP101
    """,
    "mp101_one_underscore_or_not_a_method_not_flagged": """
        import multiprocessing
        def report():
            pass
        class Base:
            def __work(self):
                pass
        class Runner(Base):
            def __init__(self):
                self.__callback = report  # a function kept privately pickles by its own name
            def _work(self):
                pass
            @property
            def __prop(self):
                return report
            @staticmethod
            def __static():  # pickled by its qualified name: PicklingError before 3.15, runs on 3.15
                pass
            def start(self):
                multiprocessing.Process(target=self._work).start()
                multiprocessing.Process(target=self.__callback).start()
                multiprocessing.Process(target=self.__prop).start()
                multiprocessing.Process(target=self.__static).start()
        class Answers:
            def __work(self):
                pass
            def __getattr__(self, name):
                return getattr(self, "_Answers" + name)
            def start(self):
                multiprocessing.Process(target=self.__work).start()
    """,
    "mp102_a_manager_made_with_a_fork_context": """
        # nctoolkit's session.py: its own Manager() starts a SyncManager(ctx=get_context("fork")) on import; a fork
        # child re-imports nothing (run: exit 0 under the three methods). One with a spawn context re-runs it
        import multiprocessing as mp
        from multiprocessing.managers import SyncManager
        def fork_manager():
            manager = SyncManager(ctx=mp.get_context("fork"))
            manager.start()
            return manager
        def spawn_manager():
            manager = SyncManager(ctx=mp.get_context("spawn"))
            manager.start()
            return manager
        SHARED = fork_manager().list()
        OTHER = spawn_manager().list()  # lint: MP102
    """,
    "mp102_start_under_an_import_time_test_a_child_may_answer_otherwise_not_flagged": """
        # mosaicml-streaming's Streamlit page: the executor starts only when the form's button was pressed; a
        # spawn or forkserver worker re-runs the page as __mp_main__, where the button is not pressed (run with
        # Streamlit's AppTest under the three methods: [0, 1, 4, 9] each time); a file's existence, a widget,
        # a call lint cannot follow may answer otherwise in the child: not certain
        import os
        from concurrent.futures import ProcessPoolExecutor
        import streamlit as st
        def square(x):
            return x * x
        submitted = st.form_submit_button("Run")
        if submitted:
            with ProcessPoolExecutor(2) as ex:
                st.write(list(ex.map(square, range(4))))
        if os.path.exists("cache.db"):
            with ProcessPoolExecutor(2) as ex:
                ex.map(square, range(4))
    """,
    "mp102_start_under_a_test_the_child_answers_alike": """
        # a spawn child is handed the parent's sys.argv and environment, and runs on the same platform: these
        # tests answer as they did in the parent, and the child starts again
        import os
        import sys
        from multiprocessing import Pool
        PARALLEL = True
        WORKERS = int(os.environ.get("WORKERS", "2"))
        def square(x):
            return x * x
        if sys.platform != "win32" and len(sys.argv) > 1:
            Pool(2).map(square, [1])  # lint: MP102
        if PARALLEL and WORKERS > 1:
            Pool(WORKERS).map(square, [1])  # lint: MP102
    """,
    # stance, and the distributed-queue example: start() pickles the registry to the server (spawn: PicklingError)
    "mp101_a_lambda_or_local_function_registered_with_a_manager_that_starts": """
        import queue
        from multiprocessing.managers import BaseManager, SyncManager
        tasks = queue.Queue()
        class QueueManager(BaseManager):
            pass
        class TableManager(SyncManager):
            pass
        QueueManager.register("get_tasks", callable=lambda: tasks)  # lint: MP101
        def serve():
            def make():
                return {}
            TableManager.register("Table", make)  # lint: MP101
            with TableManager() as manager:
                manager.Table()
        def start(manager_class, port):
            manager_class.register("get_tasks", callable=lambda: tasks)  # lint: MP101
            manager = manager_class(address=("", port), authkey=b"x")
            manager.start()
        if __name__ == "__main__":
            manager = QueueManager(address=("127.0.0.1", 0), authkey=b"x")
            manager.start()
            serve()
    """,
    # aspine: the manager made in __init__, started in start() (run: Can't pickle local object under spawn)
    "mp101_a_manager_kept_on_self_and_started_by_another_method": """
        from multiprocessing.managers import SyncManager
        class Server:
            def __init__(self, port):
                class HelperManager(SyncManager):
                    pass
                self.data = {}
                def get_data():
                    return self.data
                HelperManager.register("get_data", get_data)  # lint: MP101
                self.manager = HelperManager(("", port), authkey=b"x")  # lint: MP101
            def start(self):
                self.manager.start()
            def run(self):
                self.manager.get_server().serve_forever()
    """,
    "mp101_a_manager_only_served_here_connected_to_or_pinned_to_fork_not_flagged": """
        import multiprocessing as mp
        import queue
        from multiprocessing.managers import BaseManager, SyncManager
        tasks = queue.Queue()
        class QueueManager(BaseManager):
            pass
        class ClientManager(BaseManager):
            pass
        class TableManager(SyncManager):
            pass
        QueueManager.register("get_tasks", callable=lambda: tasks)
        ClientManager.register("get_tasks")
        def serve(context):
            def make():
                return {}
            TableManager.register("Table", make)
            with TableManager(ctx=mp.get_context("fork")) as manager:
                manager.Table()
            with TableManager(ctx=context) as manager:
                manager.Table()
        def connect(manager_class):
            manager_class.register("get_tasks", callable=lambda: tasks)
            manager = manager_class(address=("", 50000), authkey=b"x")
            manager.connect()
        if __name__ == "__main__":
            QueueManager(address=("", 50000), authkey=b"x").get_server().serve_forever()
            ClientManager(address=("", 50000), authkey=b"x").start()
    """,
    # a Process subclass inside a test; stance's ClassManager: "Can't pickle local object" under spawn (run)
    "mp101_an_object_of_a_local_process_or_manager_class_started": """
        import multiprocessing as mp
        from multiprocessing.managers import BaseManager
        def test_worker():
            class Worker(mp.Process):
                def run(self):
                    pass
            class SpawnWorker(mp.get_context("spawn").Process):
                def run(self):
                    pass
            class ForkWorker(mp.get_context("fork").Process):
                def run(self):
                    pass
            w = Worker()  # lint: MP101
            w.start()
            SpawnWorker().start()  # lint: MP101
            ForkWorker().start()
            Worker().run()
        def serve(context):
            class ClassManager(BaseManager):
                pass
            with ClassManager() as manager:  # lint: MP101
                pass
            with ClassManager(ctx=context) as manager:
                pass
            with ClassManager(ctx=mp.get_context("fork")) as manager:
                pass
            ClassManager(address=("", 50000), authkey=b"x").connect()
    """,
    # task-multiprocess, timeout decorators: the decorated name holds the wrapper; pickle finds "not the same
    # object" (run: the Process under spawn, the Pool task under every method)
    "mp101_the_function_a_decorator_wraps_sent_to_a_child": """
        import functools
        import multiprocessing as mp
        def timeout(seconds):
            def deco(func):
                @functools.wraps(func)
                def wrapper(*args):
                    p = mp.Process(target=func, args=args)  # lint: MP101
                    p.start()
                    p.join(seconds)
                return wrapper
            return deco
        def in_pool(func):
            def wrapper(items):
                with mp.Pool(2) as pool:
                    return pool.map(func, items)  # lint: MP101
            return wrapper
        def registered(func):
            REGISTRY.append(func)
            mp.Process(target=func).start()
            return func
        def wrap_only(func):
            def wrapper():
                mp.Process(target=func).start()
            return wrapper
        REGISTRY = []
        @timeout(5)
        def slow(x):
            pass
        @in_pool
        def square(x):
            return x * x
        @registered
        def plain():
            pass
        def quick():
            pass
        quick_later = wrap_only(quick)
    """,
    "mp101_pool_methods": """
        from multiprocessing import Pool
        def top(x):
            return x
        if __name__ == "__main__":
            square = lambda x: x * x
            with Pool(2) as pool:
                pool.map(lambda x: x, [1])  # lint: MP101
                pool.imap_unordered(top, [1])
                pool.apply_async(top, (lambda: 1,))  # lint: MP101
                pool.starmap(square, [(1,)])
    """,
    "mp101_module_level_lambda_name_is_fine_for_pool_of_main": """
        from multiprocessing import Pool
        def top(x):
            return x
        if __name__ == "__main__":
            with Pool(2) as pool:
                print(pool.map(top, [1, 2]))
    """,
    "mp101_executor_through_the_attribute_path": """
        import concurrent.futures
        import torch.multiprocessing
        def main():
            def job(n):
                return n * 2
            with concurrent.futures.ProcessPoolExecutor() as ex:
                print(list(ex.map(job, range(3))))  # lint: MP101
            p = torch.multiprocessing.Process(target=job, args=(1,))  # lint: MP101
            p.start()
        if __name__ == "__main__":
            main()
    """,
    # pyftpdlib#656: Process(target=self._loop) pickles the server, whose poller cannot be (spawn: TypeError, run)
    "mp108_a_method_of_an_object_keeping_a_lock_or_a_poller_as_a_target": """
        import multiprocessing as mp
        import queue
        import select
        import subprocess
        import threading
        class Epoll:
            def __init__(self):
                self._poller = select.epoll()
        class Server:
            def __init__(self):
                self.ioloop = Epoll()
            def _loop(self, n):
                pass
            def serve(self):
                mp.Process(target=self._loop, args=(1,)).start()  # lint: MP108
        class Locked:
            def __init__(self):
                self.lock = threading.Lock()
                self.handler = print
            def work(self):
                pass
            @staticmethod
            def helper():
                pass
            def run(self):
                mp.Process(target=self.work).start()  # lint: MP108
                mp.Process(target=self.helper).start()
                mp.Process(target=self.handler).start()
                mp.get_context("fork").Process(target=self.work).start()
        class SaysHowItPickles:
            def __init__(self):
                self.lock = threading.Lock()
            def __getstate__(self):
                return {}
            def work(self):
                pass
            def run(self):
                mp.Process(target=self.work).start()
        class Agent:  # wandb's AgentProcess: a Popen under `if command:`, its Process under `elif function:`
            def __init__(self, command=None, function=None):
                self._popen = None
                if command:
                    self._popen = subprocess.Popen(command)
                elif function:
                    self._proc = mp.Process(target=self._start, args=(function,))
                    self._proc.start()
            def _start(self, function):
                function()
        def drain(q):
            pass
        if __name__ == "__main__":
            mp.Process(target=drain, args=(queue.Queue(),)).start()  # lint: MP108
    """,
    "mp108_a_process_object_never_started_or_run_here_not_flagged": """
        # crawlmp's tests: a Process subclass keeping a Lock, its run handed to a Thread (it runs here) and another
        # built only to read an attribute; nothing is pickled. The one started is flagged
        import multiprocessing
        import threading
        class Worker(multiprocessing.Process):
            def __init__(self, lock):
                super().__init__()
                self.lock = lock
            def run(self):
                with self.lock:
                    pass
        def test_worker():
            lock = threading.Lock()
            first = Worker(lock)
            t = threading.Thread(target=first.run)
            t.start()
            t.join()
            first.run()
            second = Worker(lock)
            assert second.name
            third = Worker(lock)  # lint: MP108
            third.start()
    """,
    "mp108_generator_or_lock_holding_argument": """
        import multiprocessing
        import threading
        class Progress(object):
            def __init__(self, total):
                self.total = total
                self._lock = threading.Lock()
        def numbers():
            yield from range(3)
        def work(*items):
            print(items)
        if __name__ == "__main__":
            bar = Progress(3)
            p = multiprocessing.Process(target=work, args=(bar,))  # lint: MP108
            q = multiprocessing.Process(target=work, args=(numbers(),))  # lint: MP108
            r = multiprocessing.Process(target=work, args=((i for i in range(3)),))  # lint: MP108
            with multiprocessing.Pool(2) as pool:
                pool.apply_async(work, (threading.Lock(),))  # lint: MP108
            p.start(); q.start(); r.start()
    """,
    "mp108_an_object_keeping_a_lambda_or_a_local_function": """
        # clarity#424 (held-out set 6): a dataset keeps `lambda audio: audio`, and the data loader's workers are
        # handed it (run on 3.11: "Can't pickle <function <lambda>>", "Can't pickle local object" under spawn and
        # forkserver; a Pool task's arguments fail under every method). One that says how it is pickled, one
        # that sets the lambda later (in a method lint does not order), or a fork context: silent
        import multiprocessing
        class Dataset:
            def __init__(self):
                self.source_augmentations = lambda audio: audio
        class Local:
            def __init__(self):
                def scale(x):
                    return x * 2
                self.scale = scale
        class Stated:
            def __init__(self):
                self.aug = lambda audio: audio
            def __getstate__(self):
                return {}
        class Later:
            def set_up(self):
                self.aug = lambda audio: audio
        class Worker(multiprocessing.Process):
            def __init__(self):
                super().__init__()
                self.aug = lambda audio: audio  # lint: MP108
        def work(dataset):
            print(dataset)
        if __name__ == "__main__":
            ds = Dataset()
            multiprocessing.Process(target=work, args=(ds,)).start()  # lint: MP108
            multiprocessing.Process(target=work, args=(Local(),)).start()  # lint: MP108
            with multiprocessing.Pool(2) as pool:
                pool.apply_async(work, (Dataset(),))  # lint: MP108
            multiprocessing.Process(target=work, args=(Stated(),)).start()
            multiprocessing.Process(target=work, args=(Later(),)).start()
            multiprocessing.get_context("fork").Process(target=work, args=(Dataset(),)).start()
    """,
    "mp108_a_progress_bar_that_keeps_its_output_stream": """
        import multiprocessing
        from tqdm import tqdm
        from tqdm.auto import tqdm as auto_tqdm
        class Search:
            def __init__(self, total):
                self.bar = tqdm(total=total)
        def work(n, bar):
            bar.update(n)
        if __name__ == "__main__":
            bar = tqdm(total=5, position=0)
            multiprocessing.Process(target=work, args=(5, bar)).start()  # lint: MP108
            multiprocessing.Process(target=work, args=(5, auto_tqdm(total=5))).start()  # lint: MP108
            multiprocessing.Process(target=work, args=(5, Search(5))).start()  # lint: MP108
    """,
    "mp108_a_progress_bar_without_a_stream_or_forked_not_flagged": """
        import io
        import multiprocessing
        from tqdm import tqdm
        def work(n, bar):
            bar.update(n)
        if __name__ == "__main__":
            quiet = tqdm(total=5, disable=True)  # keeps no stream: it pickles
            multiprocessing.Process(target=work, args=(5, quiet)).start()
            multiprocessing.Process(target=work, args=(5, tqdm(total=5, file=io.StringIO()))).start()  # not told
            fork = multiprocessing.get_context("fork")
            fork.Process(target=work, args=(5, tqdm(total=5))).start()  # a fork child pickles nothing
    """,
    "mp101_a_default_start_inside_a_child_pinned_to_fork_not_flagged": """
        import multiprocessing
        def stats(q):
            q.put("stats")
        def main():
            fork = multiprocessing.get_context("fork")
            q = fork.Queue()
            def run():  # runs only in a fork child: its default context is fork
                p = multiprocessing.Process(target=lambda: stats(q))
                p.start()
                p.join()
            fork.Process(target=run).start()
            def also_called():  # called by the parent too: its default context is the platform's
                multiprocessing.Process(target=lambda: stats(q)).start()  # lint: MP101
            fork.Process(target=also_called).start()
            also_called()
            def spawned():  # a spawn child's default is spawn: the lambda is pickled there
                multiprocessing.Process(target=lambda: stats(None)).start()  # lint: MP101
            multiprocessing.get_context("spawn").Process(target=spawned).start()  # lint: MP101
        if __name__ == "__main__":
            main()
    """,
    "mp101_picklable_or_forked_arguments_not_flagged": """
        import multiprocessing
        import socket
        import threading
        class Progress:
            def __init__(self, total):
                self._lock = threading.Lock()
            def __getstate__(self):
                return {}
        def numbers():
            yield from range(3)
        def work(*items):
            print(items)
        if __name__ == "__main__":
            fork = multiprocessing.get_context("fork")
            fork.Process(target=work, args=(numbers(), threading.Lock())).start()  # a fork child pickles nothing
            multiprocessing.Process(target=work, args=(Progress(3), list(numbers()))).start()
            multiprocessing.Process(target=work, args=(socket.socket(),)).start()  # duplicated for the child
    """,
    "mp108_generator_kept_by_a_process_subclass_mp101_a_lambda_by_a_target_object": """
        import multiprocessing
        from dataclasses import dataclass
        class InputQueue(multiprocessing.Process):  # gensim's chunkize()
            def __init__(self, q, corpus):
                super().__init__()
                self.q = q
                self.corpus = corpus
            def run(self):
                for x in self.corpus:
                    self.q.put(x)
        @dataclass
        class Worker:  # pypeln's worker: the user's function travels inside the target
            f: object
            q: object
            def __call__(self):
                self.q.put(self.f(1))
        def chunkize(corpus):
            q = multiprocessing.Queue()
            w = InputQueue(q, corpus)
            w.start()
            items = [q.get() for _ in range(3)]
            w.join()
            return items
        def start_worker(target):
            p = multiprocessing.Process(target=target)
            p.start()
            return p
        def pmap(f):
            q = multiprocessing.Queue()
            p = start_worker(Worker(f, q))
            result = q.get()
            p.join()
            return result
        def pages():
            yield from range(3)
        if __name__ == "__main__":
            print(chunkize(pages()))  # lint: MP108
            q = multiprocessing.Queue()
            w = InputQueue(q, (n for n in range(3)))  # lint: MP108
            w.start()
            print([q.get() for _ in range(3)])
            w.join()
            print(pmap(lambda x: x + 1))  # lint: MP101
    """,
    "mp101_what_an_object_does_not_keep_or_pickles_its_own_way_not_flagged": """
        import multiprocessing
        class InputQueue(multiprocessing.Process):
            def __init__(self, q, corpus):
                super().__init__()
                self.q = q
                self.items = list(corpus)  # the generator is consumed here, not kept
            def run(self):
                for x in self.items:
                    self.q.put(x)
        class Worker:
            def __init__(self, f, q):
                self.f = f
                self.q = q
            def __getstate__(self):
                return {"q": self.q}
            def __setstate__(self, state):
                self.__dict__.update(state, f=abs)
            def __call__(self):
                self.q.put(self.f(1))
        def chunkize(corpus):
            q = multiprocessing.Queue()
            w = InputQueue(q, corpus)
            w.start()
            items = [q.get() for _ in range(3)]
            w.join()
            return items
        def pmap(f):
            q = multiprocessing.Queue()
            p = multiprocessing.Process(target=Worker(f, q))
            p.start()
            result = q.get()
            p.join()
            return result
        def pages():
            yield from range(3)
        if __name__ == "__main__":
            print(chunkize(pages()))
            print(pmap(lambda x: x + 1))
            print(chunkize(list(pages())))
    """,
    "mp101_executor": """
        from concurrent.futures import ProcessPoolExecutor
        def work(x):
            return x
        def main():
            def helper(x):
                return x
            with ProcessPoolExecutor() as ex:
                ex.submit(helper, 1)  # lint: MP101
                ex.submit(work, 1)
                list(ex.map(lambda x: x, [1]))  # lint: MP101
        if __name__ == "__main__":
            main()
    """,
    "mp101_main_block_function": """
        from multiprocessing import Process
        if __name__ == "__main__":
            def shout():
                print("hi")
            Process(target=shout).start()  # lint: MP101
    """,
    "mp101_forwarded_through_helper": """
        from multiprocessing import Process
        def run(target):
            p = Process(target=target)
            p.start()
            p.join()
        def make():
            return lambda: None
        def ok():
            pass
        if __name__ == "__main__":
            run(lambda: None)  # lint: MP101
            run(make())  # lint: MP101
            run(ok)
    """,
    # pandarallel#72: a decorator factory's product, ``prepare_worker(flag)(worker)``, is its nested ``wrapper``;
    # a factory whose product returns a module-level function, or that may return either, is not followed
    "mp101_the_function_a_factory_made_function_returns": """
        from multiprocessing import Pool
        def init(worker):
            global WORKER
            WORKER = worker
        def task(x):
            return WORKER(x)
        def prepare_worker(flag):
            def closure(function):
                def wrapper(x):
                    return function(x)
                return wrapper
            return closure
        def plain_maker(flag):
            def closure(function):
                return task
            return closure
        def either(flag):
            def closure(function):
                def wrapper(x):
                    return function(x)
                return wrapper
            if flag:
                return closure
            return task
        if __name__ == "__main__":
            with Pool(2, init, (prepare_worker(True)(task),)) as pool:  # lint: MP101
                pool.map(task, [1])
            with Pool(2, init, (plain_maker(True)(task),)) as pool:
                pool.map(task, [1])
            with Pool(2, init, (either(True)(task),)) as pool:
                pool.map(task, [1])
    """,
    # openpilot#33139: a main-block function handed down through a function and a method of an object of the
    # program's into a ``partial`` that a Pool maps; a module-level one, or a partial under a fork context, is fine
    "mp101_a_main_block_function_a_partial_carries_to_a_pool": """
        import multiprocessing
        from functools import partial
        def apply(func, i):
            return func(i)
        def module_level(x):
            return x
        class Reader:
            def _one(self, func, i):
                return func(i)
            def across(self, func):
                with multiprocessing.Pool(2) as pool:
                    return list(pool.imap(partial(self._one, func), range(3)))
        def load(process):
            reader = Reader()
            return reader.across(process)
        def forked(func):
            with multiprocessing.get_context("fork").Pool(2) as pool:
                return pool.map(partial(apply, func), range(3))
        if __name__ == "__main__":
            def process(x):
                return x
            load(process)  # lint: MP101
            Reader().across(process)  # lint: MP101
            with multiprocessing.Pool(2) as pool:
                pool.map(partial(apply, process), range(3))  # lint: MP101
                pool.map(partial(apply, module_level), range(3))
            load(module_level)
            forked(process)
    """,
    "mp101_lookalikes_not_flagged": """
        import functools
        import threading
        from multiprocessing import Process
        from multiprocessing.pool import ThreadPool
        from concurrent.futures import ThreadPoolExecutor
        def top(a, b):
            return a + b
        class C:
            def method(self):
                pass
        if __name__ == "__main__":
            print(list(map(lambda x: x * 2, [1, 2])))
            t = threading.Thread(target=lambda: None)
            t.start()
            t.join()
            with ThreadPool(2) as tp:
                tp.map(lambda x: x, [1])
            with ThreadPoolExecutor() as ex:
                ex.submit(lambda: 1)
            Process(target=functools.partial(top, 1), args=(2,)).start()
            Process(target=C().method).start()
            sorted([3, 1], key=lambda x: -x)
    """,
    "mp101_fork_only_program_spares_process_lambda": """
        import multiprocessing
        if __name__ == "__main__":
            ctx = multiprocessing.get_context("fork")
            ctx.Process(target=lambda: None).start()
            with ctx.Pool(2) as pool:
                pool.map(lambda x: x, [1])  # lint: MP101
    """,
    "mp101_a_test_class_pinned_to_fork_and_reset_after_not_flagged": """
        # trytond's ProcessLocalTestCase: fork pinned for the class, the default put back after it (None is no
        # method of its own: the platform's default again); a local target is never pickled by a fork start
        import unittest
        from multiprocessing import Process, set_start_method
        class ProcessLocalTestCase(unittest.TestCase):
            @classmethod
            def setUpClass(cls):
                set_start_method("fork", force=True)
            @classmethod
            def tearDownClass(cls):
                set_start_method(None, force=True)
            def test_fork(self):
                def f(num):
                    pass
                p = Process(target=f, args=(7,))
                p.start()
                p.join()
    """,
    "mp101_a_reset_alone_pins_nothing": """
        import unittest
        from multiprocessing import Process, set_start_method
        class ResetTestCase(unittest.TestCase):
            @classmethod
            def tearDownClass(cls):
                set_start_method(None, force=True)
            def test_start(self):
                def f():
                    pass
                p = Process(target=f)  # lint: MP101
                p.start()
                p.join()
    """,
    "mp101_a_pin_through_a_module_constant_not_flagged": """
        # the method a module-level name is bound once to pins as its literal does (conftest.py and entry
        # points read it so too)
        import multiprocessing
        METHOD = "fork"
        def start():
            def f():
                pass
            p = multiprocessing.Process(target=f)
            p.start()
            p.join()
        if __name__ == "__main__":
            multiprocessing.set_start_method(METHOD)
            start()
    """,
    "mp101_a_pin_through_a_name_bound_twice_pins_nothing": """
        import multiprocessing
        import sys
        METHOD = "fork"
        if sys.platform == "win32":
            METHOD = "spawn"
        def start():
            def f():
                pass
            p = multiprocessing.Process(target=f)  # lint: MP101
            p.start()
            p.join()
        if __name__ == "__main__":
            multiprocessing.set_start_method(METHOD)
            start()
    """,
    "mp101_a_context_bound_once_per_platform": """
        # glances: get_context("fork") on Linux, the default elsewhere, where its decorator never makes the Process.
        # The method cannot be read: silent. Two bindings that agree are read (run: the spawn pair fails to pickle
        # the local target on every platform, the fork pair starts it under fork everywhere it runs)
        import multiprocessing
        import sys
        if sys.platform.startswith("linux"):
            CTX = multiprocessing.get_context("fork")
        else:
            CTX = multiprocessing.get_context()
        if sys.platform == "win32":
            SPAWN = multiprocessing.get_context("spawn")
        else:
            SPAWN = multiprocessing.get_context("spawn")
        if sys.platform == "darwin":
            FORK = multiprocessing.get_context("fork")
        else:
            FORK = multiprocessing.get_context("fork")
        def run():
            def handler():
                pass
            CTX.Process(target=handler).start()
            SPAWN.Process(target=handler).start()  # lint: MP101
            FORK.Process(target=handler).start()
    """,
    "mp101_a_nested_function_declared_global_is_not_local": """
        # deeplabcut's "hack to make the function picklable": `global wrapped` makes it its module's, pickled by
        # name (run: a fork Pool runs it; a spawn or forkserver worker cannot find it, an import does not define
        # it). Not "local": it pickles under every method
        import multiprocessing
        def assemble(data):
            global wrapped
            def wrapped(i):
                return i * 10
            def local(i):
                return i
            with multiprocessing.Pool(2) as pool:
                pool.map(wrapped, data)
                pool.map(local, data)  # lint: MP101
    """,
    "mp101_local_initializer_of_a_pool_pinned_to_fork_not_flagged": """
        # tensorpack's shape, pinned: a pool's initializer travels in its workers' Process arguments, which a
        # fork start never pickles (its tasks it still does)
        import multiprocessing
        def square(x):
            return x * x
        def main():
            def init():
                pass
            with multiprocessing.get_context("fork").Pool(2, initializer=init) as pool:
                print(pool.map(square, range(4)))
        if __name__ == "__main__":
            main()
    """,
    "mp101_local_initializer_breaks_spawn_and_forkserver": """
        import multiprocessing
        def square(x):
            return x * x
        def main():
            def init():
                pass
            with multiprocessing.Pool(2, initializer=init) as pool:  # lint: MP101
                print(pool.map(square, range(4)))
        if __name__ == "__main__":
            main()
    """,
    # --- MP102 missing main guard --------------------------------------------------------------------
    "mp102_pool_started_by_a_method_called_at_the_top_level": """
        # pyLIMA#66: the example script makes a fit object and calls its fit() at the top level; the Pool it
        # starts starts again in each spawn or forkserver child that imports the script (run: RuntimeError, the
        # pool waits). A method whose pool starts only when a test says so: silent
        import multiprocessing as mul
        def objective(params):
            return sum(params)
        class DEfit:
            def __init__(self, guesses, processes=2):
                self.guesses = guesses
                self.processes = processes
            def fit(self):
                with mul.Pool(processes=self.processes) as pool:
                    return pool.map(objective, self.guesses)
            def maybe_fit(self):
                if self.processes > 1:
                    with mul.Pool(processes=self.processes) as pool:
                        return pool.map(objective, self.guesses)
                return [objective(g) for g in self.guesses]
        fit = DEfit([(1, 2), (3, 4)])
        print(fit.maybe_fit())
        print(fit.fit())  # lint: MP102
    """,
    "mp102_module_level_start": """
        from multiprocessing import Pool, Process
        def work():
            pass
        p = Process(target=work)
        p.start()  # lint: MP102
        pool = Pool(2)  # lint: MP102
    """,
    "mp102_start_in_a_class_body": """
        # pytest-concurrent's modes/mproc.py (twentieth corpus): a class body runs with its `class` statement, so a
        # Manager made there starts on every import (run: a spawn or forkserver child that imports the module to
        # find the class's method dies "before the current process has finished its bootstrapping phase"); one in
        # a class the main block defines, or in a method, starts only when that runs
        import multiprocessing
        class MultiProcessMode:
            MANAGER = multiprocessing.Manager()  # lint: MP102
            LOCK = multiprocessing.Lock()  # lint: MP120
            class Inner:
                POOL = multiprocessing.Pool(2)  # lint: MP102
            def run_item(self, i):
                with MultiProcessMode.LOCK:
                    print(i)
        class Lazy:
            def manager(self):
                return multiprocessing.Manager()
        if __name__ == "__main__":
            class Local:
                MANAGER = multiprocessing.Manager()
            multiprocessing.Process(target=MultiProcessMode().run_item, args=(1,)).start()
    """,
    "mp102_reached_from_module_level": """
        from concurrent.futures import ProcessPoolExecutor
        def work(x):
            return x
        def main():
            with ProcessPoolExecutor() as ex:
                return list(ex.map(work, [1]))
        main()  # lint: MP102
    """,
    "mp102_a_start_pinned_to_fork_on_import_not_flagged": """
        import multiprocessing
        FORK = multiprocessing.get_context("fork")
        def probe(q):
            q.put("probed")
        def probe_isolated():
            ctx = multiprocessing.get_context("fork")
            q = ctx.Queue()
            p = ctx.Process(target=probe, args=(q,))
            p.start()  # a fork child re-imports nothing
            p.join()
            return q.get()
        CATALOG = {k: probe_isolated() for k in range(3)}
        def classify(mode):
            return probe_isolated() if mode == "isolated" else None
        def catalog(*, probe=False):
            return [classify(probe) for _ in range(3)]
        OPS = catalog(probe=False)  # crosshair-tool's shape: every start it may lead to is a fork one
        FORK.Process(target=probe, args=(FORK.Queue(),)).start()
        SPAWNED = multiprocessing.get_context("spawn").Process(target=probe, args=(None,))
        SPAWNED.start()  # lint: MP102
        def both():
            probe_isolated()
            multiprocessing.Process(target=probe, args=(None,)).start()
        both()  # lint: MP102
    """,
    "mp102_guarded_is_fine": """
        from multiprocessing import Process, Manager
        def work():
            pass
        def main():
            Process(target=work).start()
            with Manager() as m:
                m.dict()
        if __name__ == "__main__":
            main()
    """,
    "mp102_definitions_only_is_fine": """
        from multiprocessing import Process, Queue, Lock
        lock = Lock()
        q = Queue()
        def start():
            Process(target=print).start()
    """,
    # --- MP103 parent runtime state ------------------------------------------------------------------
    "mp103_target_of_a_process_subclass_whose_run_calls_the_base_run": """
        # multicore's Process (twentieth corpus): a subclass whose run() wraps the library's to send the target's
        # exception back still runs the target it is given (run: spawn and forkserver workers read the import-time
        # None, "'NoneType' object is not subscriptable"); a run() of its own that never calls the base one does not
        # (its target is still pickled with the Process: a lambda there fails under spawn, not told here)
        import mmap
        import multiprocessing
        _state = None
        _other = None
        class Process(multiprocessing.Process):
            def __init__(self, *args, **kwargs):
                multiprocessing.Process.__init__(self, *args, **kwargs)
                self._pconn, self._cconn = multiprocessing.Pipe()
            def run(self):
                try:
                    multiprocessing.Process.run(self)
                    self._cconn.send(None)
                except Exception as e:
                    self._cconn.send(e)
                    raise
        class Wrapped(Process):
            def run(self):
                super().run()
        class Own(multiprocessing.Process):
            def run(self):
                print("own")
        def fetch_and_run(lock):
            print(_state[0], _other)
        def initialize():
            global _state, _other
            _state = mmap.mmap(-1, 8)  # lint: MP103
            _other = 1  # lint: MP103
            Process(target=fetch_and_run, args=(None,)).start()
            Wrapped(target=fetch_and_run, args=(None,)).start()
        def initialize_own():
            global _state
            _state = mmap.mmap(-1, 8)
            Own(target=fetch_and_run, args=(None,)).start()  # its run() never calls fetch_and_run
        if __name__ == "__main__":
            Wrapped(target=lambda: None).start()  # lint: MP101
    """,
    "mp103_object_attribute_read_by_a_function_the_worker_is_handed": """
        # pyphi#38 (held-out set 6): the user sets `config.PRECISION`, then `MapReduce(cuts).run()` (a method of an
        # object of the program's) starts workers handed `evaluate_cut`, which they call as `compute(obj)` and which
        # reads the config (run: spawn and forkserver workers round with the defaults); the fix hands the workers
        # a snapshot they load first
        import multiprocessing
        class Config:
            def __init__(self):
                self.PRECISION = 6
                self.MEASURE = "EMD"
            def snapshot(self):
                return dict(self.__dict__)
            def load_dict(self, values):
                self.__dict__.update(values)
        config = Config()
        def evaluate_cut(cut):
            return round(cut * 0.1234567, config.PRECISION)
        class MapReduce:
            def __init__(self, iterable):
                self.iterable = list(iterable)
            @staticmethod
            def worker(compute, in_queue, out_queue):
                for obj in iter(in_queue.get, None):
                    out_queue.put(compute(obj))
            @staticmethod
            def loaded(values, compute, in_queue, out_queue):
                config.load_dict(values)
                for obj in iter(in_queue.get, None):
                    out_queue.put(compute(obj))
            def run(self):
                in_queue, out_queue = multiprocessing.Queue(), multiprocessing.Queue()
                p = multiprocessing.Process(target=self.worker, args=(evaluate_cut, in_queue, out_queue))
                p.start()
            def run_loaded(self):
                in_queue, out_queue = multiprocessing.Queue(), multiprocessing.Queue()
                args = (config.snapshot(), evaluate_cut, in_queue, out_queue)
                multiprocessing.Process(target=self.loaded, args=args).start()
        def fixed():
            config.MEASURE = "KLD"
            MapReduce([1, 2]).run_loaded()
        if __name__ == "__main__":
            config.PRECISION = 2  # lint: MP103
            MapReduce([1, 2]).run()
            fixed()
    """,
    "mp103_module_level_options_filled_by_the_parser": """
        # mytools#10 (held-out set 6): optparse fills the module-level FLAGS from the command line in the main path,
        # and the children read its connection settings (run: spawn and forkserver children see the defaults);
        # argparse's namespace= the same. Children handed the parsed flags that load them first: silent
        import argparse
        import optparse
        from multiprocessing import Process
        FLAGS = optparse.Values()
        ARGS = argparse.Namespace()
        OPTIONS = optparse.Values()
        parser = optparse.OptionParser()
        parser.add_option("--db_name", default="test")
        def insert():
            print(FLAGS.db_name)
        def report():
            print(ARGS.verbose)
        def load_then_read(flags):
            OPTIONS.__dict__.update(flags)
            print(OPTIONS.db_name)
        def parse(argv):
            parser.parse_args(args=argv, values=OPTIONS)
        if __name__ == "__main__":
            argv = ["--db_name", "prod"]
            parser.parse_args(args=argv, values=FLAGS)  # lint: MP103
            argparse.ArgumentParser().parse_known_args(argv, namespace=ARGS)  # lint: MP103
            parse(argv)
            Process(target=insert).start()
            Process(target=report).start()
            Process(target=load_then_read, args=(vars(OPTIONS),)).start()
    """,
    "mp103_global_set_only_when_the_method_is_fork": """
        # at#347: the ring goes through a global only where the children fork (run: right under all three); the
        # test on the platform instead (the bug) leaves spawn and forkserver children with the import-time None
        import sys
        from multiprocessing import Pool, get_start_method
        globring = None
        def one(ring, r):
            return (globring if ring is None else ring)[0] * r
        def run(ring, values):
            with Pool(2) as pool:
                return pool.starmap(one, [(ring, v) for v in values])
        def patpass(ring, values):
            global globring
            if get_start_method() == "fork" and values:
                globring = ring
                return run(None, values)
            return run(ring, values)
        def patpass_by_platform(ring, values):
            global globring
            if sys.platform.startswith("linux"):
                globring = ring
                return run(None, values)
            return run(ring, values)
        if __name__ == "__main__":
            print(patpass([2.0], [1, 2]))
            print(patpass_by_platform([2.0], [1, 2]))  # lint: MP103
    """,
    "mp103_initializer_called_in_the_parent": """
        # valhalla#3003: `initializer=initialize(args)` runs initialize here, in the parent, and hands the Pool None;
        # its globals reach the workers only by fork (run: NameError under spawn and forkserver). Handed over as
        # the initializer, with its initargs, each worker sets them itself: silent
        import multiprocessing
        def initialize(url):
            global session
            session = {"url": url}
        def make_request(line):
            return line, session["url"]
        def main(url):
            with multiprocessing.Pool(initializer=initialize(url), processes=2) as pool:  # lint: MP103
                print(pool.map(make_request, ["a", "b"]))
            with multiprocessing.Pool(initializer=initialize, initargs=(url,), processes=2) as pool:
                print(pool.map(make_request, ["a", "b"]))
        if __name__ == "__main__":
            main("http://localhost")
    """,
    "mp103_global_changed_in_main": """
        from multiprocessing import Process
        MODE = "default"
        def work():
            print(MODE)
        if __name__ == "__main__":
            MODE = "fast"  # lint: MP103
            Process(target=work).start()
    """,
    "mp103_global_set_via_main_function": """
        from multiprocessing import Pool
        CONFIG = None
        def work(x):
            return CONFIG[x]
        def main():
            global CONFIG
            CONFIG = {1: 2}
            with Pool(2) as pool:
                pool.map(work, [1])
        if __name__ == "__main__":
            main()  # lint: MP103
    """,
    "mp103_global_bound_again_to_its_import_time_literal_not_flagged": """
        # the main path binds what the import binds: a spawn or forkserver child imports an equal value (run: the
        # same output under fork, spawn and forkserver). NAMES gets another list, and STEP is also set by a
        # function run on import, so a child imports 20 where the main path has 10: both still flagged
        from multiprocessing import Pool
        LIMIT = 10
        CACHE = {}
        SIGN = -1
        NAMES = ["a"]
        STEP = 10
        def configure():
            global STEP
            STEP = 20
        configure()
        def work(x):
            CACHE[x] = x
            return LIMIT, SIGN, NAMES, STEP, len(CACHE)
        def main():
            with Pool(2) as pool:
                pool.map(work, [1])
        if __name__ == "__main__":
            LIMIT = 10
            CACHE = dict()
            CACHE = {}
            SIGN = -1
            NAMES = ["a", "b"]  # lint: MP103
            STEP = 10  # lint: MP103
            main()
    """,
    "mp103_global_set_in_a_function_another_module_calls": """
        # losoto's run(), cosmosis's sampler: the function sets a global, then starts the children that read it.
        # Run (the module imported, each function called): fork children read the values, spawn and forkserver
        # children None (TypeError); run_with's pool, handed in, and early()'s executor, whose workers started
        # before the global was set, read None under fork too; run_fork's children are forks
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor
        DATA = None
        SCALE = 1
        def task(i):
            return DATA[i] * SCALE
        def setup(values):
            global DATA
            DATA = values
        def run(values):
            global DATA
            DATA = values  # lint: MP103
            with mp.Pool(2) as pool:
                return pool.map(task, range(len(values)))
        def run_exec(values, scale):
            global SCALE, DATA
            DATA = values  # lint: MP103
            SCALE = scale  # lint: MP103
            with ProcessPoolExecutor(2) as ex:
                return list(ex.map(task, range(len(values))))
        def run_proc(values):
            global DATA
            DATA = values  # lint: MP103
            mp.Process(target=task, args=(0,)).start()
        def run_with(pool, values):
            global DATA
            DATA = values
            return pool.map(task, range(len(values)))
        def early(values):
            global DATA
            with ProcessPoolExecutor(2) as ex:
                ex.submit(print, 1).result()
                DATA = values
                return list(ex.map(task, range(len(values))))
        def run_fork(values):
            global DATA
            DATA = values
            with mp.get_context("fork").Pool(2) as pool:
                return pool.map(task, range(len(values)))
        def run_set_up(values):
            global DATA
            DATA = values
            with mp.Pool(2, initializer=setup, initargs=(values,)) as pool:
                return pool.map(task, range(len(values)))
    """,
    "mp103_only_defined_in_main_and_import": """
        from multiprocessing import Process
        def work():
            print(settings, json.dumps({}))
        if __name__ == "__main__":
            import json  # lint: MP103
            settings = {"a": 1}  # lint: MP103
            Process(target=work).start()
    """,
    "mp103_monkeypatch_and_class_attribute": """
        import socket
        from multiprocessing import Process
        class Config:
            level = 1
        def work():
            print(Config.level)
        if __name__ == "__main__":
            socket.socket = object  # lint: MP103
            Config.level = 2  # lint: MP103
            Process(target=work).start()
    """,
    # PanACoTA: a level the program adds to `logging` in its main path (a name the library never uses) matters only
    # where a child's code reads it; its workers add the level name themselves and never read `logging.DETAIL`
    # (the same output under the three methods, run)
    "mp103_a_new_library_attribute_only_where_a_child_reads_it": """
        import logging
        from multiprocessing import Pool, Process
        def handle_family(n):
            logging.addLevelName(15, "DETAIL")
            logging.getLogger("align").log(15, "family %d", n)
        def verbose():
            logging.getLogger("align").log(logging.VERBOSE, "verbose")
        if __name__ == "__main__":
            logging.DETAIL = 15
            with Pool(2) as pool:
                pool.map(handle_family, range(2))
            logging.VERBOSE = 14  # lint: MP103
            Process(target=verbose).start()
    """,
    # matrix-synapse's complement_fork_starter: the parent keeps the handlers it replaces so that a fork child can
    # put them back; a spawn or forkserver child starts with those anyway (the same handlers under the three
    # methods, run). A table of anything else the child reads is still the pitfall.
    "mp103_original_signal_handlers_kept_for_a_fork_child": """
        import multiprocessing
        import os
        import signal
        _original_signal_handlers = {}
        _jobs = {}
        def _worker_entrypoint(name):
            for sig, handler in _original_signal_handlers.items():
                signal.signal(sig, handler)
            print(_jobs[name])
        def handle_signal(signum, frame):
            os._exit(1)
        if __name__ == "__main__":
            for sig in (signal.SIGINT, signal.SIGTERM):
                _original_signal_handlers[sig] = signal.signal(sig, handle_signal)
            _jobs["a"] = 1  # lint: MP103
            multiprocessing.Process(target=_worker_entrypoint, args=("a",)).start()
    """,
    # fairchem's create_finetune_dataset: the global the pool's tasks read is set just before a pool its code pins
    # to fork (kept so for Python 3.14's default): the workers are copies that have it; a default pool's do not
    "mp103_a_global_read_by_a_pool_pinned_to_fork": """
        import multiprocessing as mp
        def extract(idx):
            return dataset[idx]
        def compute(n):
            global dataset
            dataset = list(range(n))
            with mp.get_context("fork").Pool(2) as pool:
                return pool.map(extract, range(n))
        def extract_table(idx):
            return table[idx]
        def launch(n):
            global table
            table = list(range(n))
            with mp.Pool(2) as pool:
                return pool.map(extract_table, range(n))
        if __name__ == "__main__":
            print(compute(3))
            print(launch(3))  # lint: MP103
    """,
    "mp103_an_excepthook_a_child_never_calls_not_flagged": """
        import sys
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import Process
        def hook(*exc_info):
            print("hooked", exc_info)
        def check():
            raise RuntimeError("a check crashed")  # printed by the child's _bootstrap, or sent back: no hook
        if __name__ == "__main__":
            sys.excepthook = hook
            with ProcessPoolExecutor(1) as executor:
                executor.submit(check)
            Process(target=check).start()
    """,
    "mp103_an_excepthook_the_childs_own_code_calls": """
        import sys
        from multiprocessing import Process
        def hook(*exc_info):
            print("hooked", exc_info)
        def show():
            sys.excepthook(RuntimeError, RuntimeError("shown"), None)
        if __name__ == "__main__":
            sys.excepthook = hook  # lint: MP103
            Process(target=show).start()
    """,
    "mp103_streams_rewrapped_for_a_child_that_never_writes_to_them_not_flagged": """
        import codecs
        import pickle
        import sys
        from multiprocessing import Pool
        def count(path):  # subword-nmt's shape: a task reads a file and pickles its result, printing nothing
            with open(path) as fh, open(path + ".counts", "wb") as out:
                pickle.dump(len(fh.read().split()), out)
        if __name__ == "__main__":
            sys.stderr = codecs.getwriter("UTF-8")(sys.stderr.buffer)
            sys.stdout = codecs.getwriter("UTF-8")(sys.stdout.buffer)
            sys.tracebacklimit = 0
            with Pool(2) as pool:
                pool.map(count, sys.argv[1:])
    """,
    "mp103_stdout_a_pools_initializer_printed_to_before_it_was_set_not_flagged": """
        import sys
        from multiprocessing import Pool
        def hello():
            print("worker ready")  # at the Pool's making: its workers start then, under every method
        def square(n):
            return n * n
        if __name__ == "__main__":
            with Pool(2, initializer=hello) as pool:
                sys.stdout = open("run.log", "w")
                pool.map(square, range(4))
    """,
    "mp103_a_stream_the_childs_code_writes_to": """
        import logging
        import sys
        from multiprocessing import Process
        def report(n):
            print("done", n)  # sys.stdout, unnamed
        def warn():
            logging.warning("late")  # no handler in a spawn child: logging's last resort, sys.stderr
        def helper():
            report(1)
        if __name__ == "__main__":
            sys.stdout = open("run.log", "w")  # lint: MP103
            Process(target=helper).start()
            sys.stderr = open("err.log", "w")  # lint: MP103
            Process(target=warn).start()
    """,
    "mp103_stdout_read_by_a_child_started_before_it_was_set_not_flagged": """
        import sys
        from multiprocessing import Process
        def report(n):
            print("done", n)
        def quiet(path):
            open(path, "w").close()
        if __name__ == "__main__":
            Process(target=report, args=(1,)).start()  # before: the parent's stdout, under every method
            sys.stdout = open("run.log", "w")
            Process(target=quiet, args=("out.txt",)).start()
    """,
    "mp103_stdout_a_pools_initializer_prints_to": """
        import sys
        from multiprocessing import Pool
        def hello():
            print("worker ready")
        def square(n):
            return n * n
        if __name__ == "__main__":
            sys.stdout = open("run.log", "w")  # lint: MP103
            with Pool(2, initializer=hello) as pool:
                pool.map(square, range(4))
    """,
    "mp103_stdout_a_child_prints_elsewhere_not_flagged": """
        import sys
        from multiprocessing import Process
        def report(path):
            with open(path, "w") as fh:
                print("done", file=fh)
        if __name__ == "__main__":
            sys.stdout = open("run.log", "w")
            Process(target=report, args=("out.txt",)).start()
    """,
    "mp103_patching_helper_then_a_pool_without_it": """
        import socket
        from multiprocessing import Pool

        def apply_patches():
            socket.socket = object

        def look(_):
            return socket.socket.__name__

        if __name__ == "__main__":
            apply_patches()  # lint: MP103
            with Pool(1) as pool:
                pool.map(look, [0])
            with Pool(1, initializer=apply_patches) as pool:
                pool.map(look, [0])
    """,
    "mp103_patching_helper_that_every_pool_reruns_not_flagged": """
        import socket
        from multiprocessing import Pool

        def apply_patches():
            socket.socket = object

        def look(_):
            return socket.socket.__name__

        if __name__ == "__main__":
            apply_patches()
            with Pool(1, initializer=apply_patches) as pool:
                pool.map(look, [0])
    """,
    "mp103_lookalikes_not_flagged": """
        import sys
        from multiprocessing import Pool, Process, Queue
        LIMIT = 10
        counter = None
        def init(c):
            global counter
            counter = c
        def work(q):
            q.put(LIMIT)
        def count(_):
            return counter
        if __name__ == "__main__":
            q = Queue()
            counter = 5  # read only by the tasks of the pool whose initializer sets it
            sys.argv = ["x"]
            p = Process(target=work, args=(q,))
            p.start()
            LIMIT = 20
            with Pool(2, initializer=init, initargs=(3,)) as pool:
                pool.map(count, [1])
    """,
    "mp103_global_set_in_a_method_the_main_path_calls": """
        import multiprocessing
        LIMIT = None
        def work(n):
            return n < LIMIT
        class Server:
            def __init__(self, limit):
                self.limit = limit
            def start(self):
                global LIMIT
                LIMIT = self.limit  # lint: MP103
                with multiprocessing.Pool(2) as pool:
                    return pool.map(work, range(4))
        if __name__ == "__main__":
            server = Server(2)
            print(server.start())
    """,
    "mp103_class_attribute_set_by_a_classmethod": """
        import multiprocessing
        class Settings:
            scale = None
            @classmethod
            def configure(cls, scale):
                cls.scale = scale
            def local(self, scale):
                self.scale = scale  # an instance's attribute: not the class's
        def task(x):
            return x * Settings.scale
        if __name__ == "__main__":
            Settings().local(5)
            Settings.configure(3)  # lint: MP103
            with multiprocessing.Pool(2) as pool:
                print(pool.map(task, range(3)))
    """,
    "mp103_method_or_classmethod_state_the_child_sets_itself_not_flagged": """
        import multiprocessing
        LIMIT = None
        def init(limit):
            global LIMIT
            LIMIT = limit
        def work(n):
            return n < LIMIT
        class Settings:
            scale = None
            @classmethod
            def configure(cls, scale):
                cls.scale = scale
        def task(x):
            return x * Settings.scale
        class Server:
            def __init__(self, limit):
                self.limit = limit
            def start(self):
                global LIMIT
                LIMIT = self.limit
                with multiprocessing.Pool(2, initializer=init, initargs=(self.limit,)) as pool:
                    return pool.map(work, range(4))
        if __name__ == "__main__":
            server = Server(2)
            print(server.start())
            with multiprocessing.Pool(2, initializer=Settings.configure, initargs=(3,)) as pool:
                print(pool.map(task, range(3)))
    """,
    "mp103_an_initializer_sets_the_state_in_its_own_pool_only": """
        import multiprocessing
        MAX_BODY = 1024
        def accepts(size):
            return size <= MAX_BODY
        def set_max_body(limit):
            global MAX_BODY
            MAX_BODY = limit
        class Settings:
            scale = 1
            @classmethod
            def configure(cls, scale):
                cls.scale = scale
        def task(x):
            return x * Settings.scale
        class Server:
            def __init__(self, max_body):
                self.max_body = max_body
            def start(self, sizes):
                global MAX_BODY
                MAX_BODY = self.max_body  # lint: MP103
                with multiprocessing.Pool(2) as pool:
                    return pool.map(accepts, sizes)
        class FixedServer(Server):
            def start(self, sizes):
                with multiprocessing.Pool(2, initializer=set_max_body, initargs=(self.max_body,)) as pool:
                    return pool.map(accepts, sizes)
        if __name__ == "__main__":
            server = Server(4096)
            print(server.start([512, 8192]))
            fixed = FixedServer(4096)
            print(fixed.start([512, 8192]))
            Settings.configure(3)  # lint: MP103
            with multiprocessing.Pool(2) as pool:
                print(pool.map(task, range(4)))
            with multiprocessing.Pool(2, initializer=Settings.configure, initargs=(Settings.scale,)) as pool:
                print(pool.map(task, range(4)))
    """,
    "mp103_each_pool_sets_the_state_itself_not_flagged": """
        import multiprocessing
        MAX_BODY = 1024
        def accepts(size):
            return size <= MAX_BODY
        def set_max_body(limit):
            global MAX_BODY
            MAX_BODY = limit
        class Settings:
            scale = 1
            @classmethod
            def configure(cls, scale):
                cls.scale = scale
        def task(x):
            return x * Settings.scale
        def work(scale):
            Settings.configure(scale)
            print(Settings.scale)
        class Server:
            def __init__(self, max_body):
                self.max_body = max_body
            def start(self, sizes):
                global MAX_BODY
                MAX_BODY = self.max_body
                with multiprocessing.Pool(2, initializer=set_max_body, initargs=(self.max_body,)) as pool:
                    return pool.map(accepts, sizes)
        if __name__ == "__main__":
            server = Server(4096)
            print(server.start([512, 8192]))
            Settings.configure(3)
            with multiprocessing.Pool(2, initializer=Settings.configure, initargs=(Settings.scale,)) as pool:
                print(pool.map(task, range(4)))
            p = multiprocessing.Process(target=work, args=(Settings.scale,))
            p.start()
            p.join()
    """,
    "mp103_table_or_object_changed_in_place_in_the_main_path": """
        from multiprocessing import Pool, Process
        TASKS = {}
        PLUGINS = []
        class Config:
            def __init__(self):
                self.verbose = False
        config = Config()
        def task(func):
            TASKS[func.__name__] = func
            return func
        def run(name, x):
            return TASKS[name](x) if name in TASKS else "missing"
        def show():
            print(PLUGINS, config.verbose)
        def main():
            PLUGINS.append("gzip")
            p = Process(target=show)
            p.start()
            p.join()
        if __name__ == "__main__":
            @task  # lint: MP103
            def double(x):
                return 2 * x
            with Pool(1) as pool:
                print(pool.apply(run, ("double", 3)))
            config.verbose = True  # lint: MP103
            main()  # lint: MP103
    """,
    "mp103_table_filled_on_import_or_by_the_child_or_under_fork_not_flagged": """
        import multiprocessing
        from multiprocessing import Pool, Process
        TASKS = {}
        SETTINGS = {"retries": 1}
        SEEN = []
        def task(func):
            TASKS[func.__name__] = func
            return func
        @task
        def double(x):
            return 2 * x
        def triple(x):
            return 3 * x
        def register_triple():
            task(triple)
        def run(name, x):
            return TASKS[name](x) if name in TASKS else "missing"
        def work(settings):
            SETTINGS.update(settings)
            print(SETTINGS["retries"])
        def seen(_):
            return list(SEEN)
        def local_table():
            table = {}
            table["a"] = 1
            return table
        if __name__ == "__main__":
            task(double)  # the decorator fills it on import too: every child has `double`
            SETTINGS["retries"] = 5
            register_triple()
            with Pool(1, initializer=register_triple) as pool:  # the worker registers it again itself
                print(pool.apply(run, ("double", 3)), pool.apply(run, ("triple", 3)))
            p = Process(target=work, args=(dict(SETTINGS),))  # the child applies the settings itself
            p.start()
            p.join()
            SEEN.append("parent")
            with multiprocessing.get_context("fork").Pool(1) as pool:  # a fork child is a copy of the parent
                print(pool.map(seen, [0]))
            print(local_table())
    """,
    "mp103_table_changed_after_its_pool_started_not_flagged": """
        from multiprocessing import Pool, Process
        TABLE = {}
        def look(k):
            return TABLE.get(k, "missing")
        if __name__ == "__main__":
            pool = Pool(1)
            TABLE["x"] = 1  # the pool's workers started before: none has it, under every method
            print(pool.map(look, ["x"]))
            pool.close()
            pool.join()
            p = Process(target=print, args=("later",))
            p.start()
            p.join()
    """,
    "mp103_class_attribute_set_through_type_of_self_in_a_method_the_main_path_calls": """
        import multiprocessing
        class Settings:
            scale = 1
            def __init__(self, scale):
                self.want = scale
            def load(self):
                type(self).scale = self.want  # lint: MP103
        def task(x):
            return x * Settings.scale
        class Job:
            limit = 1
            def run(self, limit):
                self.__class__.limit = limit  # lint: MP103
                with multiprocessing.Pool(1) as pool:
                    return pool.map(check, [1, 3])
        def check(n):
            return n <= Job.limit
        if __name__ == "__main__":
            settings = Settings(3)
            settings.load()
            with multiprocessing.Pool(2) as pool:
                print(pool.map(task, range(3)))
            print(Job().run(4))
    """,
    "mp103_type_of_self_on_a_subclass_set_again_or_under_fork_not_flagged": """
        import multiprocessing
        class Settings:
            scale = 1
            def __init__(self, scale):
                self.want = scale
            def load(self):
                type(self).scale = self.want
        class Special(Settings):
            pass
        def task(x):
            return x * Settings.scale
        def init(scale):
            Settings(scale).load()
        if __name__ == "__main__":
            Special(5).load()  # sets Special.scale: the tasks read Settings.scale, the same everywhere
            settings = Settings(3)
            settings.load()
            with multiprocessing.Pool(2, initializer=init, initargs=(3,)) as pool:  # each worker loads it again
                print(pool.map(task, range(3)))
            with multiprocessing.get_context("fork").Pool(2) as pool:  # a fork child is a copy of the parent
                print(pool.map(task, range(3)))
    """,
    "mp103_object_set_again_through_its_method_in_the_child_not_flagged": """
        import multiprocessing
        class Config:
            def __init__(self):
                self.precision = 6
                self.retries = 1
                self.depth = 1
            def snapshot(self):
                return dict(vars(self))
            def load(self, values):
                vars(self).update(values)
            def apply(self, values):
                for key, value in values.items():
                    setattr(self, key, value)
            def set_retries(self, n):
                self._store(n)
            def _store(self, n):
                self.retries = n
            def set_depth(self, n):
                self.label = n
        config = Config()
        def load_config(values):
            config.load(values)
        def compute(x):
            return round(x / 3, config.precision)
        def attempt(values):
            config.apply(values)
            return config.precision
        def retry(n):
            config.set_retries(n)
            return config.retries
        def deep(n):
            config.set_depth(n)
            return config.depth
        if __name__ == "__main__":
            config.precision = 2
            config.retries = 3
            config.depth = 4  # lint: MP103
            with multiprocessing.Pool(2, initializer=load_config, initargs=(config.snapshot(),)) as pool:
                print(pool.map(compute, [1.0, 2.0]))
            p = multiprocessing.Process(target=attempt, args=(config.snapshot(),))
            p.start()
            p.join()
            p = multiprocessing.Process(target=retry, args=(config.retries,))
            p.start()
            p.join()
            p = multiprocessing.Process(target=deep, args=(config.depth,))
            p.start()
            p.join()
    """,
    "mp103_global_read_by_the_tasks_of_a_pool_an_object_of_the_program_starts": """
        import multiprocessing
        PROFILER = None
        MODE = "slow"
        def read(name):
            return PROFILER, MODE
        class Bench:
            def __init__(self, n):
                self.n = n
            def initialize(self):
                global PROFILER
                PROFILER = "trace"  # lint: MP103
            def run(self):
                with multiprocessing.Pool(self.n) as pool:
                    return pool.map(read, ["a"])
        if __name__ == "__main__":
            bench = Bench(1)
            bench.initialize()
            MODE = "fast"  # lint: MP103
            bench.run()
    """,
    "mp103_object_started_pool_set_again_before_or_forked_not_flagged": """
        import multiprocessing
        PROFILER = None
        def init(profiler):
            global PROFILER
            PROFILER = profiler
        def read(name):
            return PROFILER
        class Bench:
            def initialize(self):
                global PROFILER
                PROFILER = "trace"
            def run(self):
                with multiprocessing.Pool(1, initializer=init, initargs=(PROFILER,)) as pool:
                    return pool.map(read, ["a"])
            def run_forked(self):
                with multiprocessing.get_context("fork").Pool(1) as pool:
                    return pool.map(read, ["b"])
            def run_plain(self):
                with multiprocessing.Pool(1) as pool:
                    return pool.map(read, ["c"])
        if __name__ == "__main__":
            Bench().run_plain()  # before the set: every child reads None, as the parent did
            bench = Bench()
            bench.initialize()
            bench.run()
            bench.run_forked()
    """,
    "mp103_class_attribute_read_through_an_instance_the_child_is_handed": """
        import multiprocessing as mp
        class Config:
            SCALE = 3
            LIMIT = 1
            NAME = "a"
            def __init__(self, name="x"):
                self.NAME = name
        class Plain:
            SCALE = 3
        def work(config, out):
            out.put((config.SCALE, config.NAME))
        def other(plain):
            return plain.SCALE
        def limit(config):
            Config.LIMIT = 7
            return config.LIMIT
        if __name__ == "__main__":
            Config.SCALE = 5  # lint: MP103
            Config.NAME = "b"
            Config.LIMIT = 2
            cfg = Config()
            q = mp.Queue()
            p = mp.Process(target=work, kwargs=dict(config=cfg, out=q))
            p.start()
            print(q.get())
            p.join()
            p = mp.Process(target=limit, args=(cfg,))
            p.start()
            p.join()
            p = mp.Process(target=other, args=(Plain(),))
            p.start()
            p.join()
    """,
    # neuronumba#28: a classmethod makes the class attribute on a subclass at run time (``cls.P = ...``); the
    # executor's tasks are sent the objects (``map`` over a comprehension of them) and read it in their methods
    "mp103_class_attribute_read_in_the_methods_of_objects_the_child_is_sent": """
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import Process
        class Model:
            names = []
            P = None
            def __init__(self, **params):
                self.params = dict(params)
            @classmethod
            def init_enums(cls):
                cls.P = {name: i for i, name in enumerate(cls.names)}
            def values(self):
                return [self.params[name] for name in self.P]
        class Hopf(Model):
            names = ["a", "g"]
            def step(self, x):
                a, g = self.values()
                return x + a * g
        class Config:
            scale = 1
            @classmethod
            def setup(cls, n):
                cls.scale = n
            def apply(self, x):
                return x * self.scale
        def simulate(model):
            return model.step(0.5)
        def work(cfg, x):
            print(cfg.apply(x))
        def run(gs):
            Hopf.init_enums()
            models = [Hopf(a=0.1, g=g) for g in gs]
            with ProcessPoolExecutor(2) as ex:
                return list(ex.map(simulate, models))
        if __name__ == "__main__":
            run([1.0, 2.0])  # lint: MP103
            Config.setup(3)  # lint: MP103
            p = Process(target=work, args=(Config(), 2))
            p.start()
            p.join()
    """,
    # the method hands its object on (``type(self)``: neuronumba's fix makes the enum again there), the object sets
    # the attribute as its own, or the elements mapped over are not all made alike: not followed
    "mp103_methods_of_sent_objects_not_followed": """
        from concurrent.futures import ProcessPoolExecutor
        class Model:
            P = None
            @classmethod
            def init_enums(cls):
                cls.P = {"a": 0}
            def configure(self):
                cls = type(self)
                if cls.P is None:
                    cls.init_enums()
                return self
            def step(self):
                return self.P
        class Own:
            P = None
            @classmethod
            def init(cls):
                cls.P = 1
            def __init__(self):
                self.P = 2
            def step(self):
                return self.P
        def simulate(model):
            model.configure()
            return model.step()
        def own(obj):
            return obj.step()
        if __name__ == "__main__":
            Model.init_enums()
            Own.init()
            with ProcessPoolExecutor(2) as ex:
                print(list(ex.map(simulate, [Model() for _ in range(2)])))
                print(list(ex.map(own, [Own(), Own()])))
                print(list(ex.map(own, [Own(), Model()])))
    """,
    "mp103_class_level_table_changed_in_place_in_the_main_path": """
        import multiprocessing
        class Registry:
            models = {}
            plugins = []
            @classmethod
            def register(cls, name, factory):
                cls.models[name] = factory
            @staticmethod
            def run(name):
                return name in Registry.models
        class Hooks:
            names = []
            seen = set()
            @classmethod
            def install(cls, names):
                cls.names.extend(names)
            def active(self):
                return list(self.names)
        def look(name):
            return Registry.run(name), list(Hooks.names)
        def plugins(_):
            return list(Registry.plugins)
        def seen(_):
            return sorted(Hooks.seen)
        def main():
            Registry.register("bard", len)
            Hooks.install(["a"])
            Hooks.seen.add("x")
            with multiprocessing.Pool(1, initializer=Hooks.install, initargs=(["a"],)) as pool:
                pool.map(look, ["bard"])
            with multiprocessing.get_context("fork").Pool(1) as pool:
                pool.map(seen, [0])
        if __name__ == "__main__":
            Registry.plugins.append("zip")  # lint: MP103
            main()  # lint: MP103
            p = multiprocessing.Process(target=plugins, args=(0,))
            p.start()
            p.join()
    """,
    "mp103_class_level_table_filled_on_import_by_the_child_or_under_fork_not_flagged": """
        import multiprocessing
        class Registry:
            models = {}
            @classmethod
            def add(cls, func):
                cls.models[func.__name__] = func
                return func
            @classmethod
            def install(cls, models):
                cls.models.update(models)
        class Hooks:
            names = []
        @Registry.add
        def double(x):
            return 2 * x
        def triple(x):
            return 3 * x
        def run(name):
            return Registry.models[name](2)
        def hooks(_):
            return list(Hooks.names)
        if __name__ == "__main__":
            Registry.add(triple)
            with multiprocessing.Pool(1, initializer=Registry.install, initargs=(dict(Registry.models),)) as pool:
                print(pool.map(run, ["double", "triple"]))  # each worker installs the parent's table
            Hooks.names.append("audit")
            with multiprocessing.get_context("fork").Pool(1) as pool:  # a fork child is a copy of the parent
                print(pool.map(hooks, [0]))
    """,
    # --- MP104 global counter lock -------------------------------------------------------------------
    "mp104_counter_under_lock": """
        from multiprocessing import Lock, Process
        counter = 0
        lock = Lock()
        def work():
            global counter
            with lock:
                counter += 1  # lint: MP104
        if __name__ == "__main__":
            Process(target=work).start()
    """,
    "mp104_value_and_parent_only_not_flagged": """
        import threading
        from multiprocessing import Process, Value
        counter = 0
        lock = threading.Lock()
        def work(v):
            with v.get_lock():
                v.value += 1
        def parent_only():
            global counter
            with lock:
                counter += 1
        if __name__ == "__main__":
            v = Value("i", 0)
            Process(target=work, args=(v,)).start()
            parent_only()
    """,
    # --- MP105 logging -------------------------------------------------------------------------------
    "mp105_basicconfig_in_main": """
        import logging
        from multiprocessing import Process
        log = logging.getLogger(__name__)
        def work():
            log.info("working")
        if __name__ == "__main__":
            logging.basicConfig(level=logging.INFO)  # lint: MP105
            Process(target=work).start()
    """,
    "mp105_a_level_the_childs_records_pass": """
        import logging
        from multiprocessing import Process
        log = logging.getLogger(__name__)
        def work():
            log.debug("detail")
            log.info("working")
        if __name__ == "__main__":
            logging.basicConfig(level="INFO")  # lint: MP105
            Process(target=work).start()
    """,
    "mp105_a_level_that_drops_the_childs_records_not_flagged": """
        import logging
        from multiprocessing import Process
        def work():
            logging.debug("detail")  # dropped at INFO, in a fork child as in a spawn child
        if __name__ == "__main__":
            logging.basicConfig(level=logging.INFO)
            Process(target=work).start()
    """,
    "mp105_every_level_a_name_may_hold_drops_the_childs_records_not_flagged": """
        import logging
        import sys
        from multiprocessing import Process
        def work():
            logging.debug("detail")
        def main():
            # NGSpeciesID's shape: logging.debug (a function, not a level: basicConfig raises) or INFO
            loglevel = logging.debug if "--debug" in sys.argv else logging.INFO
            logging.basicConfig(level=loglevel)
            Process(target=work).start()
        if __name__ == "__main__":
            main()
    """,
    "mp105_a_level_that_cannot_be_read": """
        import logging
        import sys
        from multiprocessing import Process
        def work():
            logging.info("step")
        def main():
            # kneaddata's shape: the level comes from the command line
            logging.basicConfig(level=getattr(logging, sys.argv[1]))
            Process(target=work).start()
        if __name__ == "__main__":
            main()  # lint: MP105
    """,
    "mp105_configured_at_import_or_in_child_or_warning": """
        import logging
        from multiprocessing import Pool, Process
        def setup():
            logging.basicConfig(level=logging.INFO)
        def task(x):
            logging.info("x=%s", x)
        def warn():
            logging.warning("visible anyway")
        if __name__ == "__main__":
            logging.basicConfig(level=logging.INFO)
            with Pool(2, initializer=setup) as pool:
                pool.map(task, [1])
            Process(target=warn).start()
    """,
    "mp105_handler_or_sink_added_to_a_module_level_logger_in_the_main_path": """
        import logging
        import os
        import tempfile
        from multiprocessing import Process
        from loguru import logger
        log = logging.getLogger("jobs")
        def work(n):
            log.info("working on %d", n)
            logger.info("working on {}", n)
        if __name__ == "__main__":
            folder = tempfile.mkdtemp()
            log.addHandler(logging.FileHandler(os.path.join(folder, "jobs.log")))  # lint: MP105
            log.setLevel(logging.INFO)
            logger.add(os.path.join(folder, "loguru.log"), format="{level} {message}")  # lint: MP105
            p = Process(target=work, args=(1,))
            p.start()
            p.join()
    """,
    "mp105_sink_added_on_import_not_flagged": """
        import os
        import tempfile
        from multiprocessing import Process
        from loguru import logger
        logger.add(os.path.join(tempfile.gettempdir(), "jobs.log"))
        def work(n):
            logger.info("working on {}", n)
        if __name__ == "__main__":
            logger.add(os.path.join(tempfile.gettempdir(), "more.log"))
            p = Process(target=work, args=(1,))
            p.start()
            p.join()
    """,
    "mp105_handler_without_a_level_sink_above_the_record_or_set_up_by_the_child_not_flagged": """
        import logging
        import multiprocessing
        import os
        import sys
        import tempfile
        from multiprocessing import Process
        from loguru import logger
        FOLDER = tempfile.mkdtemp()
        log = logging.getLogger("jobs")
        def work(n):
            log.info("working on %d", n)
            logger.info("work {}", n)
        def sets_up(n, path):
            logger.remove()
            logger.add(path, format="{level} {message}")
            logger.info("working on {}", n)
        if __name__ == "__main__":
            log.addHandler(logging.FileHandler(os.path.join(FOLDER, "jobs.log")))  # no level: fork drops INFO too
            p = Process(target=work, args=(1,))
            p.start()
            p.join()
            logger.add(os.path.join(FOLDER, "warnings.log"), level="WARNING")  # takes no INFO record
            logger.add(sys.stderr, format="{level} {message}")  # loguru's own default sink
            path = os.path.join(FOLDER, "own.log")
            logger.add(path, format="{level} {message}")
            p = Process(target=sets_up, args=(2, path))  # the child sets its sinks up itself
            p.start()
            p.join()
            with multiprocessing.get_context("fork").Pool(1) as pool:  # a fork child is a copy of the parent
                pool.map(work, [3])
    """,
    "mp105_partial_bound_to_a_name": """
        import logging
        from concurrent.futures import ProcessPoolExecutor
        from functools import partial
        log = logging.getLogger(__name__)
        def process(name, verbose=False):
            log.info("processing %s", name)
        def pipeline(names):
            with ProcessPoolExecutor(2) as executor:
                worker = partial(process, verbose=True)  # trafilatura's CLI
                return list(executor.map(worker, names))
        if __name__ == "__main__":
            logging.basicConfig(level=logging.INFO)  # lint: MP105
            pipeline(["a", "b"])
    """,
    "mp105_partial_bound_to_a_name_of_a_child_that_configures_logging_not_flagged": """
        import logging
        from concurrent.futures import ProcessPoolExecutor
        from functools import partial
        log = logging.getLogger(__name__)
        def configured(name):
            logging.basicConfig(level=logging.INFO)
            log.info("processing %s", name)
        def process(name, verbose=False):
            log.info("processing %s", name)
        def pipeline(names):
            with ProcessPoolExecutor(2) as executor:
                worker = partial(configured)
                list(executor.map(worker, names))
                task = partial(process, verbose=True)
                if names:
                    task = print  # bound twice: which one is sent cannot be told
                return list(executor.map(task, names))
        if __name__ == "__main__":
            logging.basicConfig(level=logging.INFO)
            pipeline(["a", "b"])
    """,
    "mp105_child_sets_logging_up_itself_not_flagged": """
        import logging
        import multiprocessing
        from somelib.logs import setup_logging  # a library's: what it does cannot be read
        log = logging.getLogger(__name__)
        def child(n):
            setup_logging()
            log.info("child %s", n)
        def child2(n):
            root = logging.getLogger()
            if not root.handlers:  # a set-up that skips a handler already there
                root.addHandler(logging.StreamHandler())
                root.setLevel(logging.INFO)
            log.info("child2 %s", n)
        if __name__ == "__main__":
            logging.basicConfig(level=logging.INFO)
            p = multiprocessing.Process(target=child, args=(1,))
            p.start()
            p.join()
            p = multiprocessing.Process(target=child2, args=(1,))
            p.start()
            p.join()
    """,
    # --- MP106 environ after first child -------------------------------------------------------------
    # asv #1551's fix: the pool's initializer installs the parent's environment, then every task reads it
    "mp106_a_pool_whose_initializer_sets_the_environment_not_flagged": """
        import multiprocessing
        import os
        def init(env):
            os.environ.update(env)
        def make_pool():
            return multiprocessing.Pool(2, init, (dict(os.environ),))
        def check(name):
            return os.environ.get("ENV_DIR")
        def main():
            with make_pool() as pool:
                pool.map(check, ["setup"])
            os.environ["ENV_DIR"] = "/tmp/env"
            with make_pool() as pool:
                pool.map(check, ["run"])
        if __name__ == "__main__":
            main()
    """,
    "mp106_environ_after_start": """
        import os
        from multiprocessing import Process
        def work():
            print(os.environ.get("X"))
        def run():
            p = Process(target=work)
            p.start()
            p.join()
        if __name__ == "__main__":
            os.environ["EARLY"] = "1"
            run()
            os.environ["X"] = "late"  # lint: MP106
            os.environ.update(Y="1")  # lint: MP106
            run()
    """,
    "mp106_child_applies_the_environment_it_is_handed_not_flagged": """
        import os
        from multiprocessing import Process
        def work(env, name):
            os.environ.update(env)  # the child sets it again itself, before it reads it
            print(name, os.environ.get("MODE"))
        def fresh(mode):
            os.environ["MODE"] = mode
            print(os.environ["MODE"])
        if __name__ == "__main__":
            first = Process(target=work, args=(dict(os.environ), "first"))
            first.start()
            first.join()
            os.environ["MODE"] = "fast"
            later = Process(target=work, args=(dict(os.environ), "later"))
            later.start()
            later.join()
            Process(target=fresh, args=("slow",)).start()
    """,
    "mp106_fork_only_or_before_not_flagged": """
        import os
        import multiprocessing as mp
        def work():
            pass
        if __name__ == "__main__":
            mp.set_start_method("spawn")
            os.environ["A"] = "1"
            mp.Process(target=work).start()
            os.environ["B"] = "2"
    """,
    "mp106_environ_set_in_a_function_before_its_own_start_not_flagged": """
        import os
        from multiprocessing import Process
        def work():
            print(os.environ["MODE"])
        def main():
            os.environ["MODE"] = "x"  # before the child starts: every method's child sees it
            p = Process(target=work)
            p.start()
            p.join()
        if __name__ == "__main__":
            main()
    """,
    # --- MP107 signal handler ------------------------------------------------------------------------
    "mp107_a_managers_server_ignores_sigint": """
        # FireWorks' rlaunch: the first child after its SIGINT handler is a Manager's server, which sets SIGINT
        # to SIG_IGN itself (multiprocessing.managers, 3.8 on; run: under fork, SIGINT to it runs no handler)
        import multiprocessing
        import signal
        def on_signal(signum, frame):
            pass
        if __name__ == "__main__":
            signal.signal(signal.SIGINT, on_signal)
            manager = multiprocessing.Manager()
    """,
    "mp107_sigint_then_a_manager_then_processes_or_sigterm_then_a_manager": """
        # the Process started after the Manager inherits the SIGINT handler; a SIGTERM handler the server keeps
        import multiprocessing
        import signal
        def work():
            pass
        def on_signal(signum, frame):
            pass
        if __name__ == "__main__":
            signal.signal(signal.SIGTERM, on_signal)  # lint: MP107
            signal.signal(signal.SIGINT, on_signal)  # lint: MP107
            manager = multiprocessing.Manager()
            multiprocessing.Process(target=work).start()
    """,
    "mp107_handler_before_start": """
        import signal
        from multiprocessing import Process
        def on_term(signum, frame):
            raise SystemExit(0)
        def work():
            pass
        if __name__ == "__main__":
            signal.signal(signal.SIGTERM, on_term)  # lint: MP107
            Process(target=work).start()
    """,
    "mp107_handler_installed_by_a_method_of_the_programs_object": """
        import multiprocessing
        import signal
        class Server:
            def on_term(self, signum, frame):
                raise SystemExit(0)
            def serve(self, n):
                print("serving", n)
            def start_server(self):
                signal.signal(signal.SIGTERM, self.on_term)
                p = multiprocessing.Process(target=self.serve, args=(1,))
                p.start()
                p.terminate()
            def quiet(self):
                if self.verbose:
                    signal.signal(signal.SIGINT, self.on_term)  # under a condition: not every run
                multiprocessing.Process(target=self.serve, args=(2,)).start()
        if __name__ == "__main__":
            Server().start_server()  # lint: MP107
            Server().quiet()
    """,
    "mp107_a_process_whose_own_init_sets_its_own_method_as_handler_not_flagged": """
        import signal
        from multiprocessing import Event, Process
        class Recorder(Process):
            def __init__(self):
                Process.__init__(self, daemon=True)
                self.done = Event()
                signal.signal(signal.SIGTERM, self.stop)
            def run(self):
                self.done.wait()
            def stop(self, *args):
                self.done.set()
        def main():
            recorder = None
            recorder = Recorder()
            recorder.start()
            recorder.terminate()
        if __name__ == "__main__":
            main()
    """,
    # microscope's fix for its issue #9: the handler acts only in the process that installed it
    "mp107_a_handler_that_asks_which_process_it_runs_in_not_flagged": """
        import multiprocessing
        import os
        import signal
        import sys
        def serve():
            pass
        def main():
            parent = multiprocessing.current_process()
            def term(sig, frame):
                if parent == multiprocessing.current_process():
                    sys.exit()
            signal.signal(signal.SIGTERM, term)
            multiprocessing.Process(target=serve).start()
        PARENT = os.getpid()
        def by_pid(sig, frame):
            if os.getpid() == PARENT:
                sys.exit()
        if __name__ == "__main__":
            main()
            signal.signal(signal.SIGINT, by_pid)
            multiprocessing.Process(target=serve).start()
    """,
    "mp107_default_or_after_not_flagged": """
        import signal
        from multiprocessing import Process
        def on_term(signum, frame):
            pass
        def work():
            pass
        if __name__ == "__main__":
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            p = Process(target=work)
            p.start()
            signal.signal(signal.SIGTERM, on_term)
    """,
    "mp107_the_handler_that_was_there_put_back_not_flagged": """
        # osrframework's pool made with SIGINT ignored (its workers ignore it under every method), the original
        # handler put back after; from a thread signal.signal raises ValueError and the pool is made plainly
        import signal
        from multiprocessing import Pool
        def square(x):
            return x * x
        def search(names):
            try:
                original = signal.signal(signal.SIGINT, signal.SIG_IGN)
                pool = Pool(2)
                signal.signal(signal.SIGINT, original)
            except ValueError:
                pool = Pool(2)
            previous = signal.getsignal(signal.SIGTERM)
            signal.signal(signal.SIGTERM, previous)
            results = pool.map(square, names)
            pool.close()
            pool.join()
            return results
        if __name__ == "__main__":
            search([1, 2])
    """,
    "mp107_handler_installed_on_import_not_flagged": """
        # meson's run_project_tests.py: the handlers are installed when the script is imported, so a spawn or
        # forkserver worker, which re-imports it, installs them too. Run under the three methods: the worker's
        # SIGTERM and SIGINT handlers are the script's own under every one
        import signal
        from concurrent.futures import ProcessPoolExecutor
        def stop_handler(signum, frame):
            pass
        signal.signal(signal.SIGINT, stop_handler)
        signal.signal(signal.SIGTERM, stop_handler)
        def task(_):
            return signal.getsignal(signal.SIGTERM) is stop_handler
        if __name__ == "__main__":
            with ProcessPoolExecutor(1) as ex:
                print(ex.submit(task, 0).result())
    """,
    "mp107_windows_only_signal_not_flagged": """
        # dispy's node: SIGBREAK exists on Windows alone, where children are spawned, never forked
        import os
        import signal
        from multiprocessing import Process
        def on_break(signum, frame):
            pass
        def work():
            pass
        if __name__ == "__main__":
            if os.name == "nt":
                signal.signal(signal.SIGBREAK, on_break)
            Process(target=work).start()
    """,
    # --- MP108 unpicklable process state -------------------------------------------------------------
    "mp108_value_yielded_by_a_context_manager": """
        # spinedb-api's test: `with closing_server(...) as url` binds the str its @contextmanager generator yields,
        # not a generator (run: the child gets the str under every method); a generator itself does not pickle
        from contextlib import contextmanager
        from multiprocessing import Process
        @contextmanager
        def closing_server(name):
            yield f"http://localhost/{name}"
        def numbers():
            yield 1
        def work(x):
            print(x)
        if __name__ == "__main__":
            with closing_server("db") as url:
                Process(target=work, args=(url,)).start()
            gen = numbers()
            Process(target=work, args=(gen,)).start()  # lint: MP108
    """,
    "mp108_standard_streams_and_environ": """
        # django-chroniker#397: a Process subclass keeps the output stream on self (`fout or sys.stdout`, fout None
        # by default); ypkg#145: an object keeping os.environ; sys.stdout as an argument. None pickles (run:
        # "cannot pickle '_io.TextIOWrapper' object", "Can't pickle local object '_createenviron.<locals>.encode'"
        # under spawn and forkserver). A stream passed in by every caller, or the environment copied: silent
        import os
        import sys
        from multiprocessing import Process
        class TimedProcess(Process):
            def __init__(self, fout=None, **kwargs):
                super().__init__(**kwargs)
                self.fout = fout or sys.stdout  # lint: MP108
        class Given(Process):
            def __init__(self, fout, **kwargs):
                super().__init__(**kwargs)
                self.fout = fout or sys.stdout
        class Config:
            def __init__(self):
                self.values = os.environ
        class Copied:
            def __init__(self):
                self.values = dict(os.environ)
        def work(*args):
            print(args)
        if __name__ == "__main__":
            Process(target=work, args=(Config(),)).start()  # lint: MP108
            Process(target=work, args=(Copied(),)).start()
            Process(target=work, args=(sys.stdout,)).start()  # lint: MP108
            Process(target=work, args=(sys.stdout.name,)).start()
    """,
    "mp108_open_in_init": """
        import sqlite3
        from multiprocessing import Process
        from multiprocessing.connection import Listener
        class Worker(Process):
            def __init__(self, path):
                super().__init__()
                self.path = path
                self.db = sqlite3.connect(path)  # lint: MP108
                self.listener = Listener(("localhost", 0))  # lint: MP108
            def run(self):
                pass
    """,
    "mp108_compressed_and_archive_files": """
        # kgtk's --gzip-in-parallel: a gzip.open() file handed to a Process subclass that keeps it; bz2, lzma,
        # tarfile, zipfile, codecs and os.fdopen files are the same (run on 3.9 to 3.13 and PyPy: "cannot pickle
        # '_io.TextIOWrapper' object" and its like under spawn and forkserver); a path handed over: silent
        import bz2
        import codecs
        import gzip
        import lzma
        import os
        import tarfile
        import zipfile
        from multiprocessing import Process, Queue
        class GzipProcess(Process):
            def __init__(self, gzip_file, line_queue):
                super().__init__()
                self.gzip_file = gzip_file
                self.line_queue = line_queue
            def run(self):
                self.gzip_file.write(self.line_queue.get())
        def work(f):
            print(f)
        if __name__ == "__main__":
            GzipProcess(gzip.open("out.tsv.gz", mode="wt"), Queue()).start()  # lint: MP108
            Process(target=work, args=(bz2.open("a.bz2"),)).start()  # lint: MP108
            Process(target=work, args=(lzma.LZMAFile("a.xz"),)).start()  # lint: MP108
            Process(target=work, args=(tarfile.open("a.tar"),)).start()  # lint: MP108
            Process(target=work, args=(zipfile.ZipFile("a.zip"),)).start()  # lint: MP108
            Process(target=work, args=(codecs.open("a.txt", "r", "utf-8"),)).start()  # lint: MP108
            Process(target=work, args=(os.fdopen(3),)).start()  # lint: MP108
            Process(target=work, args=("out.tsv.gz",)).start()
    """,
    "mp108_a_pipe_or_a_socket_kept_on_self_not_flagged": """
        # machin's shape: multiprocessing's reducers pickle a Connection and a socket when a process starts
        # (the child gets a duplicate of the descriptor): start() works under spawn and forkserver, run
        import multiprocessing
        import socket
        from multiprocessing import Pipe, Process
        class Worker(Process):
            def __init__(self):
                super().__init__()
                self.exc_pipe = Pipe()
                self.conn = multiprocessing.Pipe(duplex=False)
                self.sock = socket.create_connection(("localhost", 80))
                self.pair = socket.socketpair()
            def run(self):
                self.exc_pipe[1].send(None)
    """,
    "mp108_open_in_run_not_flagged": """
        import threading
        from multiprocessing import Process
        class Worker(Process):
            def __init__(self, path):
                super().__init__()
                self.path = path
                with open(path) as fh:
                    self.header = fh.readline()
            def run(self):
                self.fh = open(self.path)
        class Plain:
            def __init__(self):
                self.fh = open("x")
        class T(threading.Thread):
            def __init__(self):
                super().__init__()
                self.fh = open("x")
    """,
    # --- MP109 os.fork -------------------------------------------------------------------------------
    "mp109_os_fork": """
        import os
        import multiprocessing
        def work():
            pass
        if __name__ == "__main__":
            multiprocessing.Process(target=work).start()
            pid = os.fork()  # lint: MP109
            if pid == 0:
                multiprocessing.Process(target=work).start()
                os._exit(0)
    """,
    "mp109_os_fork_then_a_method_that_starts_children": """
        # flent#325 (held-out set 6): the GUI keeps a Pool, then "Run test" os.fork()s a batch runner whose
        # self.run() makes an aggregator that starts a Manager and a Pool (run on 3.11 under forkserver:
        # ChildProcessError [Errno 10] in the forked process). A module that starts nothing else: silent
        import os
        from multiprocessing import Manager, Pool
        def parse_one(raw):
            return len(raw)
        class Aggregator:
            def parse_results_parallel(self):
                with Manager() as mngr:
                    with Pool(2) as pool:
                        return pool.map(parse_one, ["a"])
        class BatchRunner:
            def run(self):
                return Aggregator().parse_results_parallel()
            def fork_and_run(self):
                pid = os.fork()  # lint: MP109
                if pid:
                    return pid
                self.run()
                os._exit(0)
        class MainWindow:
            def __init__(self):
                self.worker_pool = Pool(2)
    """,
    "mp109_os_fork_then_a_method_in_a_program_that_starts_nothing_else_not_flagged": """
        # the same forked runner where nothing started a fork server before the fork (run on 3.11 under forkserver:
        # the forked process starts its own, and its Pool works)
        import os
        from multiprocessing import Manager, Pool
        def parse_one(raw):
            return len(raw)
        class Aggregator:
            def parse_results_parallel(self):
                with Manager() as mngr:
                    with Pool(2) as pool:
                        return pool.map(parse_one, ["a"])
        class BatchRunner:
            def run(self):
                return Aggregator().parse_results_parallel()
            def fork_and_run(self):
                pid = os.fork()
                if pid:
                    return pid
                self.run()
                os._exit(0)
    """,
    "mp109_fork_that_starts_nothing_not_flagged": """
        import os
        import multiprocessing
        def work():
            pass
        def fork_and_log():
            pid = os.fork()
            if pid == 0:
                os._exit(0)
            os.waitpid(pid, 0)
        if __name__ == "__main__":
            multiprocessing.Process(target=work).start()
            fork_and_log()
    """,
    "mp109_without_multiprocessing_not_flagged": """
        import os
        import subprocess
        pid = os.fork()
        # multiprocessing is only mentioned in this comment
    """,
    # --- MP110 sys.path not str ----------------------------------------------------------------------
    "mp110_path_objects": """
        import sys
        from pathlib import Path
        from multiprocessing import Process
        HERE = Path(__file__).resolve().parent
        sys.path.insert(0, HERE)  # lint: MP110
        sys.path.append(Path(__file__).parent / "lib")  # lint: MP110
        if __name__ == "__main__":
            Process(target=print).start()
    """,
    "mp110_str_not_flagged": """
        import os
        import sys
        from pathlib import Path
        from multiprocessing import Process
        HERE = Path(__file__).resolve().parent
        sys.path.append(str(HERE))
        sys.path.insert(0, os.path.dirname(__file__))
        sys.path.append(os.fspath(HERE / "lib"))
        sys.path.append("lib")
        if __name__ == "__main__":
            Process(target=print).start()
    """,
    # --- MP111 atexit in child -----------------------------------------------------------------------
    "mp111_handler_also_called_in_finally": """
        # coverage#879: the child's handler saves the data; a fork child (before 3.13) never runs it. Its fix calls
        # the same save in a `finally:` (run: nothing lost under fork, spawn and forkserver): silent
        import atexit
        import multiprocessing
        class Coverage:
            def save(self):
                print("saved")
        def startup():
            cov = Coverage()
            atexit.register(cov.save)  # lint: MP111
            return cov
        def startup_saved():
            cov = Coverage()
            atexit.register(cov.save)
            return cov
        def func():
            startup()
        def func_saved():
            cov = startup_saved()
            try:
                print("work")
            finally:
                cov.save()
        if __name__ == "__main__":
            multiprocessing.Process(target=func).start()
            multiprocessing.Process(target=func_saved).start()
    """,
    "mp111_atexit_in_child": """
        import atexit
        from multiprocessing import Process
        def cleanup():
            pass
        def setup():
            atexit.register(cleanup)  # lint: MP111
        def work():
            setup()
        if __name__ == "__main__":
            atexit.register(cleanup)
            Process(target=work).start()
    """,
    "mp111_spawn_context_child_with_a_fallback_that_never_runs": """
        import atexit
        import multiprocessing
        from multiprocessing import Process
        def cleanup():
            pass
        def work():
            atexit.register(cleanup)
        def start():
            try:
                context = multiprocessing.get_context("spawn")
                process = context.Process(target=work)
            except RuntimeError:
                process = Process(target=work)
            process.start()
        if __name__ == "__main__":
            start()
    """,
    "mp111_fork_context_child_with_a_fallback_where_fork_is_missing": """
        import atexit
        import multiprocessing
        from multiprocessing import Process
        def cleanup():
            pass
        def work():
            atexit.register(cleanup)  # lint: MP111
        def start():
            try:
                process = multiprocessing.get_context("fork").Process(target=work)
            except ValueError:
                process = Process(target=work)
            process.start()
        if __name__ == "__main__":
            start()
    """,
    "mp111_fallback_to_the_default_after_a_start_that_failed": """
        import atexit
        import multiprocessing
        from multiprocessing import Process
        def cleanup():
            pass
        def work():
            atexit.register(cleanup)  # lint: MP111
        def start():
            try:
                process = multiprocessing.get_context("spawn").Process(target=work)
                process.start()
            except Exception:
                process = Process(target=work)
                process.start()
        if __name__ == "__main__":
            start()
    """,
    # --- MP112 threads before fork -------------------------------------------------------------------
    # Flagsmith's fix (PR #203): the client starts its polling thread again in every fork child
    "mp112_a_thread_the_module_starts_again_in_fork_children_not_flagged": """
        import multiprocessing
        import os
        import threading
        def poll():
            pass
        class Client:
            def __init__(self):
                self.thread = threading.Thread(target=poll, daemon=True)
                self.thread.start()
                os.register_at_fork(after_in_child=self._restart)
            def _restart(self):
                self.thread = threading.Thread(target=poll, daemon=True)
                self.thread.start()
        client = Client()
        def work():
            pass
        if __name__ == "__main__":
            multiprocessing.Process(target=work).start()
    """,
    "mp112_thread_running_at_start": """
        import threading
        from multiprocessing import Process
        def spin():
            pass
        def work():
            pass
        if __name__ == "__main__":
            t = threading.Thread(target=spin)
            t.start()
            Process(target=work).start()  # lint: MP112
            t.join()
            Process(target=work).start()
    """,
    "mp112_main_run_by_an_entry_runner": """
        import threading
        from multiprocessing import Process
        from absl import app
        import fire
        import typer
        def spin():
            pass
        def work():
            pass
        def main(argv):  # PySC2's replay_actions: absl's app.run(main) calls it with the arguments left
            t = threading.Thread(target=spin)
            t.start()
            Process(target=work).start()
        def cli(n=1):
            t = threading.Thread(target=spin)
            t.start()
            Process(target=work).start()
        def other():
            t = threading.Thread(target=spin)
            t.start()
            Process(target=work).start()
        if __name__ == "__main__":
            # each reported where the main block runs the function, as for a call of main()
            app.run(main)  # lint: MP112
            fire.Fire(cli)  # lint: MP112
            typer.run(other)  # lint: MP112
    """,
    "mp112_a_function_handed_to_what_is_not_a_runner_not_flagged": """
        import threading
        from multiprocessing import Process
        import atexit
        def spin():
            pass
        def work():
            pass
        def main():
            t = threading.Thread(target=spin)
            t.start()
            Process(target=work).start()
        if __name__ == "__main__":
            atexit.register(main)
    """,
    "mp112_a_pool_made_only_when_none_is_handed_in": """
        # pyklip's shape: helpers make a Pool of their own only when not handed one; readdata() always hands
        # them its own, through a parameter of the function between (no fork while it is open: 3.12 warns at
        # none, run). Called without one while a Pool is open, the helper does fork beside its threads.
        import multiprocessing as mp
        def square(x):
            return x * x
        def high_pass(imgs, pool=None):
            if pool is None:
                tpool = mp.Pool(2)
            else:
                tpool = pool
            return tpool.map(square, imgs)
        def process_file(imgs, pool=None):
            if not pool:
                pool = mp.Pool(2)
            return high_pass(imgs, pool=pool)
        def readdata(files):
            pool = mp.Pool()
            out = [process_file(range(f), pool=pool) for f in files]
            pool.close()
            pool.join()
            return out
        def control():
            pool = mp.Pool(2)
            out = high_pass(range(3))
            pool.close()
            pool.join()
            return out
        if __name__ == "__main__":
            readdata([3, 4])
            control()  # lint: MP112
    """,
    "mp112_a_pool_made_when_a_parameter_is_false_and_false_is_handed_in": """
        import multiprocessing as mp
        def square(x):
            return x * x
        def counted(imgs, workers=0):
            if not workers:  # 0 takes this arm, as None would
                return mp.Pool(2).map(square, imgs)
            return list(map(square, imgs))
        def zero():
            pool = mp.Pool(2)
            out = counted(range(3), workers=0)
            pool.close()
            pool.join()
            return out
        if __name__ == "__main__":
            zero()  # lint: MP112
    """,
    "mp112_executor_first_submit_while_a_thread_runs": """
        import threading
        from concurrent.futures import ProcessPoolExecutor
        def shard(n):
            return n
        def tick():
            pass
        if __name__ == "__main__":
            pool = ProcessPoolExecutor(2)  # no process yet
            t = threading.Thread(target=tick)
            t.start()
            print(list(pool.map(shard, range(2))))  # lint: MP112
            print(pool.submit(shard, 1).result())  # the workers run already
            t.join()
            pool.shutdown()
    """,
    "mp112_executor_started_before_the_thread_or_spawn_not_flagged": """
        import multiprocessing
        import threading
        from concurrent.futures import ProcessPoolExecutor
        def shard(n):
            return n
        def tick():
            pass
        if __name__ == "__main__":
            pool = ProcessPoolExecutor(2)
            pool.submit(shard, 0).result()  # the workers start here, before any thread
            spawn = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
            t = threading.Thread(target=tick)
            t.start()
            print(list(pool.map(shard, range(2))))
            print(list(spawn.map(shard, range(2))))  # never forked
            t.join()
            pool.shutdown()
            spawn.shutdown()
    """,
    "mp112_thread_of_a_contextmanager_runs_during_its_block": """
        import contextlib
        import threading
        from concurrent.futures import ProcessPoolExecutor
        @contextlib.contextmanager
        def time_stamper():
            stop = []
            thread = threading.Thread(target=lambda: stop)
            thread.start()
            try:
                yield
            finally:
                thread.join()
        def shard(n):
            return n
        if __name__ == "__main__":
            pool = ProcessPoolExecutor(2)  # Cython's runtests.py: made before the thread, forked after
            with time_stamper():
                print(list(pool.map(shard, range(2))))  # lint: MP112
            pool.shutdown()
    """,
    "mp112_contextmanager_thread_joined_at_exit_or_workers_started_before_not_flagged": """
        import contextlib
        import threading
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import Process
        @contextlib.contextmanager
        def time_stamper():
            thread = threading.Thread(target=print)
            thread.start()
            try:
                yield
            finally:
                thread.join()
        def shard(n):
            return n
        if __name__ == "__main__":
            pool = ProcessPoolExecutor(2)
            pool.submit(shard, 0).result()  # the workers start here, before the thread
            with time_stamper():
                print(list(pool.map(shard, range(2))))
            Process(target=shard, args=(1,)).start()  # the thread was joined when the block ended
            pool.shutdown()
    """,
    "mp112_through_a_method_of_an_object": """
        import threading
        from multiprocessing import Process
        def work():
            pass
        class Runner:
            def __init__(self):
                self.workers = 2
            def listen(self):
                pass
            def run(self):  # pytest-parallel's runtestloop: a thread reads the responses, then the workers fork
                reader = threading.Thread(target=self.listen, daemon=True)
                reader.start()
                for _ in range(self.workers):
                    Process(target=work).start()
                reader.join()
        if __name__ == "__main__":
            Runner().run()  # lint: MP112
            runner = Runner()
            runner.run()  # lint: MP112
    """,
    "mp112_method_of_an_object_joined_or_starting_under_a_condition_not_flagged": """
        import threading
        from multiprocessing import Process
        def work():
            pass
        class Worker:
            def __init__(self, processes=1):
                self.processes = processes
            def listen(self):
                pass
            def run(self):  # luigi's worker: it forks only when configured with several processes
                if self.processes > 1:
                    Process(target=work).start()
                else:
                    work()
            def serve(self):
                reader = threading.Thread(target=self.listen)
                reader.start()
                reader.join()
                Process(target=work).start()
        if __name__ == "__main__":
            t = threading.Thread(target=print)
            t.start()
            Worker().run()
            t.join()
            Worker().serve()
    """,
    "mp112_thread_and_start_in_other_branches_of_an_if_not_flagged": """
        # fireworks' rlaunch: the ping thread starts under one command, the processes under another
        import sys
        import threading
        import multiprocessing
        def ping():
            pass
        def rapidfire():
            threading.Thread(target=ping, daemon=True).start()
        def work():
            pass
        def multi():
            p = multiprocessing.Process(target=work)
            p.start()
            p.join()
        if __name__ == "__main__":
            if sys.argv[1] == "rapidfire":
                rapidfire()
            elif sys.argv[1] == "multi":
                multi()
    """,
    "mp112_thread_in_one_branch_start_after_the_if": """
        import sys
        import threading
        import multiprocessing
        def ping():
            pass
        def work():
            pass
        if __name__ == "__main__":
            if sys.argv[1] == "serve":
                threading.Thread(target=ping, daemon=True).start()
            p = multiprocessing.Process(target=work)
            p.start()  # lint: MP112
            p.join()
    """,
    "mp112_joined_or_spawn_not_flagged": """
        import threading
        import multiprocessing as mp
        def spin():
            pass
        def work():
            pass
        if __name__ == "__main__":
            ctx = mp.get_context("spawn")
            t = threading.Thread(target=spin)
            t.start()
            ctx.Process(target=work).start()
    """,
    "mp112_an_open_pool_runs_threads_at_a_later_fork": """
        import multiprocessing
        from multiprocessing import Pool, Process
        def square(x):
            return x * x
        def work():
            pass
        def make_pool():
            return Pool(2)
        def launch():
            made = make_pool()
            Process(target=work).start()
            made.close()
            made.join()
        if __name__ == "__main__":
            launch()  # lint: MP112
            pool = Pool(2)
            pool.map(square, range(4))
            p = Process(target=work)
            p.start()  # lint: MP112
            p.join()
            with multiprocessing.Pool(2) as other:  # lint: MP112
                other.map(square, range(4))
                Process(target=work).start()  # lint: MP112
            pool.close()
            pool.join()
            made = make_pool()
            Process(target=work).start()  # lint: MP112
            made.close()
            made.join()
    """,
    "mp112_a_pool_left_open_in_another_branch_of_a_function_the_main_block_calls": """
        # osrframework's usufy.main(): `elif args.benchmark: do_benchmark()` leaves its Pool open, the other
        # branch starts processes; never both in one run. Called one after the other, they are.
        import sys
        from multiprocessing import Pool, Process
        def square(x):
            return x * x
        def work():
            pass
        def benchmark():
            pool = Pool(2)
            pool.map(square, range(4))
        def launch():
            Process(target=work).start()
        def main(argv):
            if "--benchmark" in argv:
                benchmark()
            else:
                launch()
        def both():
            benchmark()
            launch()
        if __name__ == "__main__":
            main(sys.argv)
            both()  # lint: MP112
    """,
    "mp112_a_pool_joined_ended_or_spawn_not_flagged": """
        import sys
        import multiprocessing
        from multiprocessing import Pool, Process
        def square(x):
            return x * x
        def work():
            pass
        def make_pool():
            return Pool(2)
        def scan():
            # scancode-toolkit's shape: a pool made by a factory in a function the main block calls; the
            # factory's Pool(2) is the pool's own making, no start while it is open
            made = make_pool()
            made.map(square, range(4))
            made.close()
            made.join()
        if __name__ == "__main__":
            scan()
            pool = Pool(2)
            pool.map(square, range(4))
            pool.close()
            pool.join()
            Process(target=work).start()
            with Pool(2) as other:
                other.map(square, range(4))
            Process(target=work).start()
            third = Pool(2)
            third.terminate()
            Process(target=work).start()
            open_pool = Pool(2)
            multiprocessing.get_context("spawn").Process(target=work).start()
            multiprocessing.get_context(sys.argv[1]).Process(target=work).start()
            open_pool.close()
            open_pool.join()
            made = make_pool()
            made.close()
            made.join()
    """,
    # --- MP113 set_start_method twice ----------------------------------------------------------------
    "mp113_second_call": """
        import multiprocessing
        if __name__ == "__main__":
            multiprocessing.set_start_method("spawn")
            multiprocessing.set_start_method("fork", force=True)
            multiprocessing.set_start_method("forkserver")  # lint: MP113
    """,
    "mp113_import_time_call": """
        import multiprocessing
        multiprocessing.set_start_method("spawn")  # lint: MP113
        def work():
            pass
        if __name__ == "__main__":
            multiprocessing.Process(target=work).start()
    """,
    "mp113_import_time_in_a_script_without_main_block": """
        import multiprocessing as mp
        mp.set_start_method("spawn")  # lint: MP113
        def work(x):
            return x * 2
        with mp.Pool(2) as pool:  # lint: MP102
            print(pool.map(work, [1, 2]))
    """,
    "mp113_import_time_in_a_test_module_whose_function_a_child_runs": """
        import multiprocessing
        multiprocessing.set_start_method("spawn")  # lint: MP113
        def work():
            pass
        def test_child():
            p = multiprocessing.Process(target=work)
            p.start()
            p.join()
            assert p.exitcode == 0
    """,
    "mp113_import_time_in_a_module_no_child_imports_not_flagged": """
        import multiprocessing
        multiprocessing.set_start_method("spawn")
        def configure():
            return multiprocessing.get_start_method()
    """,
    "mp113_import_time_fork_pinned_not_flagged": """
        import multiprocessing as mp
        import unittest
        mp.set_start_method("fork")  # every child forks: none re-imports this module
        def train():
            print("child ran")
        class T(unittest.TestCase):
            def test_writer(self):
                ps = [mp.Process(target=train) for _ in range(2)]
                for p in ps:
                    p.start()
                for p in ps:
                    p.join()
    """,
    "mp113_import_time_caught_not_flagged_a_later_call_in_main_is": """
        import multiprocessing
        try:
            multiprocessing.set_start_method("spawn")
        except RuntimeError:
            pass
        def work():
            pass
        if __name__ == "__main__":
            multiprocessing.set_start_method("fork")  # lint: MP113
            multiprocessing.Process(target=work).start()
    """,
    # FabSim3#201's fix: the pool helper calls it at every pool, the RuntimeError of the second call caught
    "mp113_a_second_call_in_a_try_that_catches_runtimeerror_not_flagged": """
        from multiprocessing import Pool, set_start_method
        class Helper:
            def __init__(self):
                try:
                    set_start_method("fork")
                except RuntimeError:
                    pass
                self.pool = Pool(2)
        def ensemble():
            return Helper()
        if __name__ == "__main__":
            ensemble()
            ensemble()
    """,
    "mp113_a_second_call_asking_for_another_method_or_using_the_error_is_flagged": """
        import multiprocessing
        def try_set(method):
            try:
                multiprocessing.set_start_method(method)
            except RuntimeError as exc:
                return exc
        if __name__ == "__main__":
            multiprocessing.set_start_method("spawn")
            try:
                multiprocessing.set_start_method("fork")  # lint: MP113
            except RuntimeError:
                pass
            try_set("spawn")  # lint: MP113
    """,
    "mp113_exclusive_branches_not_flagged": """
        import sys
        import multiprocessing
        def work():
            pass
        if __name__ == "__main__":
            if len(sys.argv) > 1:
                multiprocessing.set_start_method(sys.argv[1])
            else:
                multiprocessing.set_start_method("spawn")
            multiprocessing.Process(target=work).start()
    """,
    "mp101_process_never_started_not_flagged": """
        import multiprocessing
        def test_flushing():
            proc = multiprocessing.Process(target=lambda: None)
            assert True
    """,
    "mp113_once_not_flagged": """
        import multiprocessing
        def work():
            pass
        if __name__ == "__main__":
            multiprocessing.set_start_method("spawn")
            multiprocessing.Process(target=work).start()
    """,
    # --- MP114 join before drain ---------------------------------------------------------------------
    # cpython#91594: 10000 puts, one get, then join: hangs under every method (run: 9000 puts of None hang,
    # 8000 do not: 8 bytes each against a 64 KiB pipe)
    "mp114_join_after_a_single_get_of_a_long_loop_of_puts": """
        from multiprocessing import Process, Queue
        def many(q):
            for i in range(10000):
                q.put([42, None, "hello"])
        def few(q):
            for i in range(8000):
                q.put(None)
        def some(q, n):
            for i in range(n):
                q.put(i)
        if __name__ == "__main__":
            q = Queue()
            p = Process(target=many, args=(q,))
            p.start()
            print(q.get())
            p.join()  # lint: MP114
            p = Process(target=many, args=(q,))
            p.start()
            items = [q.get() for _ in range(10000)]
            p.join()
            p = Process(target=few, args=(q,))
            p.start()
            q.get()
            p.join()
            p = Process(target=some, args=(q, 100000))
            p.start()
            q.get()
            p.join()
    """,
    "mp114_puts_in_a_comprehension_over_a_long_range": """
        # the put in a comprehension's element runs once per item, as in a for loop: 100,000 ints outgrow the pipe
        # and the join before the get never returns (run); over a list of a size the code does not show: silent
        from multiprocessing import Process, Queue
        def many(q):
            [q.put(i) for i in range(100000)]
        def each(q, names):
            [q.put(name) for name in names]
        if __name__ == "__main__":
            q = Queue()
            p = Process(target=many, args=(q,))
            p.start()
            p.join()  # lint: MP114
            print(q.get())
            p = Process(target=each, args=(q, ["a", "b"]))
            p.start()
            p.join()
            print(q.get())
    """,
    "mp114_processes_joined_in_a_loop_over_their_list": """
        # whoosh's writer: its workers joined in a loop, then their results read (run: the join never returns, each
        # child blocked putting 1 MB). Read first, or another loop's `t` (the threads), or a bounded join: no hang
        from multiprocessing import Process, Queue
        import threading
        def run(q):
            q.put(b"x" * 1_000_000)
        def main():
            q = Queue()
            tasks = [Process(target=run, args=(q,)) for _ in range(2)]
            for t in tasks:
                t.start()
            for t in tasks:
                t.join()  # lint: MP114
            return [q.get() for _ in tasks]
        def drained():
            q = Queue()
            procs = []
            for _ in range(2):
                procs.append(Process(target=run, args=(q,)))
            threads = [threading.Thread(target=print)]
            for t in procs:
                t.start()
            for t in threads:
                t.start()
                t.join()
            for t in procs:
                t.join(timeout=0.5)
            results = [q.get() for _ in procs]
            for t in procs:
                t.join()
            return results
    """,
    "mp114_join_then_get": """
        from multiprocessing import Process, Queue
        def produce(q):
            q.put(b"x" * 1_000_000)
        if __name__ == "__main__":
            q = Queue()
            p = Process(target=produce, args=(q,))
            p.start()
            p.join()  # lint: MP114
            data = q.get()
    """,
    "mp114_get_then_join_or_manager_queue_not_flagged": """
        from multiprocessing import Manager, Process, Queue
        def produce(q):
            q.put(1)
        if __name__ == "__main__":
            q = Queue()
            p = Process(target=produce, args=(q,))
            p.start()
            data = q.get()
            p.join()
            with Manager() as m:
                mq = m.Queue()
                p2 = Process(target=produce, args=(mq,))
                p2.start()
                p2.join()
                mq.get()
    """,
    "mp114_a_counter_added_to_in_a_loop_is_a_number_not_flagged": """
        # checkbox's cpufreq test (held-out set 6's fixed twin): each worker puts one small dict whose value is a
        # busy loop's iteration count (`n += 1`): far below a pipe's buffer, so join() returns (run); text added
        # to in a loop grows
        import multiprocessing
        def execute_workload(lines):
            n = 0
            for _ in lines:
                n += 1
            return n
        def read_all(lines):
            text = ""
            for line in lines:
                text += line
            return text
        def counts(q, lines):
            q.put({0: execute_workload(lines)})
        def texts(q, lines):
            q.put({0: read_all(lines)})
        if __name__ == "__main__":
            q = multiprocessing.Queue()
            p = multiprocessing.Process(target=counts, args=(q, ["a"] * 5))
            p.start()
            p.join()
            q.get()
            t = multiprocessing.Process(target=texts, args=(q, ["a"] * 5))
            t.start()
            t.join()  # lint: MP114
            q.get()
    """,
    "mp114_bounded_join_not_flagged": """
        from multiprocessing import Process, Queue
        def produce(q):
            q.put(b"x" * 1_000_000)
        if __name__ == "__main__":
            q = Queue()
            p = Process(target=produce, args=(q,))
            p.start()
            p.join(timeout=15)  # gives up after 15 s: then the get below drains the pipe and the child exits
            p.join(5)
            data = q.get()
            p.join()
            p2 = Process(target=produce, args=(q,))
            p2.start()
            p2.join(timeout=None)  # lint: MP114
            q.get()
    """,
    # --- MP115 daemon with children ------------------------------------------------------------------
    "mp115_daemon_and_pool_task_start_children": """
        from multiprocessing import Pool, Process
        def leaf():
            pass
        def middle(x=None):
            p = Process(target=leaf)
            p.start()
            p.join()
        if __name__ == "__main__":
            d = Process(target=middle, daemon=True)  # lint: MP115
            d.start()
            Process(target=middle).start()
            with Pool(2) as pool:
                pool.map(middle, [1])  # lint: MP115
    """,
    "mp115_start_only_under_a_condition_not_flagged": """
        # deeptools' shape: a task reaches a function that starts a Pool only when asked for statistics, and
        # never asks; the parent does. Run under fork, spawn and forkserver: no AssertionError anywhere
        import multiprocessing as mp
        def count(x):
            return x
        def stats(n, nthreads):
            if nthreads > 1:
                with mp.Pool(nthreads) as pool:
                    return pool.map(count, range(n))
            return list(map(count, range(n)))
        def open_file(name, return_stats=False, nthreads=1):
            if return_stats:
                return stats(4, nthreads)
            return name
        def worker(x):
            return open_file(x)
        if __name__ == "__main__":
            print(open_file("p", return_stats=True, nthreads=2))
            with mp.Pool(2) as p:
                print(p.map(worker, ["a", "b"]))
    """,
    # --- MP116 two start methods ---------------------------------------------------------------------
    "mp116_spawn_as_one_operand_of_an_or": """
        # deeplabcut's assembler: serial where the chunk size is 0 or the method is spawn, else a Pool of a nested
        # function only fork workers find (run: forkserver takes the else and its workers cannot unpickle it)
        import multiprocessing
        def assemble(data, chunk_size):
            if chunk_size == 0 or multiprocessing.get_start_method() == "spawn":  # lint: MP116
                return [d * 10 for d in data]
            else:
                global wrapped
                def wrapped(i):
                    return i * 10
                with multiprocessing.Pool(2) as pool:
                    return pool.map(wrapped, data, chunksize=chunk_size)
        def configure(verbose):
            if verbose or multiprocessing.get_start_method() == "fork":
                print("forked")
            else:
                print("spawned")
    """,
    "mp116_branches": """
        import multiprocessing
        def setup():
            method = multiprocessing.get_start_method()
            if method == "spawn":  # lint: MP116
                reload_state()
            else:
                use_inherited_state()
            if multiprocessing.get_start_method() == "fork":  # lint: MP116
                pass
            elif multiprocessing.get_start_method() == "spawn":
                pass
    """,
    "mp116_multiprocessing_imported_inside_the_function": """
        def Pool(processes=None):  # backtesting's Pool(): spawn falls back to threads, forkserver does not
            import multiprocessing as mp
            if mp.get_start_method() == "spawn":  # lint: MP116
                from multiprocessing.dummy import Pool
                return Pool(processes)
            else:
                return mp.Pool(processes)
    """,
    "mp116_a_local_name_bound_otherwise_too_not_flagged": """
        import mymp
        def pool(processes=None):
            import multiprocessing as mp
            if processes is None:
                mp = mymp  # which module it is cannot be told
            if mp.get_start_method() == "spawn":
                return None
            else:
                return mp.Pool(processes)
        def pool2(processes=None):
            import multiprocessing as mp
            if mp.get_start_method() in ("spawn", "forkserver"):
                return None
            return mp.Pool(processes)
    """,
    "mp116_logging_set_up_again_only_under_spawn": """
        import logging
        from multiprocessing import Process, get_start_method
        logger = logging.getLogger("worker")
        def start_listen(configure_logging):  # taskiq's worker: forkserver children log nothing
            if configure_logging and get_start_method() == "spawn":  # lint: MP116
                logging.basicConfig(level=logging.INFO)
            logger.info("listening")
        def child():
            if get_start_method() == "spawn":  # lint: MP116
                logging.basicConfig(level=logging.INFO)
            logger.info("child")
        if __name__ == "__main__":
            logging.basicConfig(level=logging.INFO)
            p = Process(target=start_listen, args=(True,))
            p.start()
            p.join()
    """,
    "mp116_spawn_only_branch_that_sets_up_nothing_inherited_not_flagged": """
        import logging
        import warnings
        from multiprocessing import get_start_method
        def setup(configure_logging):
            if configure_logging and get_start_method() == "spawn":
                warnings.warn("spawn is slower here")
            if get_start_method() in ("spawn", "forkserver"):
                logging.basicConfig(level=logging.INFO)
            if configure_logging and get_start_method() == "spawn":
                logging.basicConfig(level=logging.INFO)
            else:
                logging.basicConfig(level=logging.INFO)
    """,
    "mp116_complete_or_copy_question_not_flagged": """
        import multiprocessing
        def setup():
            method = multiprocessing.get_start_method()
            if method == "fork":
                child_is_a_copy = True
            else:
                child_is_a_copy = False
            if method == "fork":
                pass
            elif method == "spawn":
                pass
            elif method == "forkserver":
                pass
            mode = "spawn"
            if mode == "spawn":
                pass
            else:
                pass
            if method == "spawn":
                supported = True
            else:
                raise RuntimeError(method)
        ctx = multiprocessing.get_context("spawn")
        if ctx.get_start_method() == "spawn":  # pebble's test set-up: a context's method is fixed
            supported = True
        else:
            supported = False
    """,
    "mp116_early_exit_unless_spawn": """
        # check50#396: state the children need is kept for them only under spawn; `!= "spawn": return` sends
        # forkserver down fork's way, and its children, which re-import, read None (run). An exit with nothing
        # after it, or one unless fork (what follows is fork's alone): silent
        import multiprocessing
        import os
        import internal
        class RunCheck:
            ATTRIBUTES = ("run_root_dir",)
            def store(self):
                if multiprocessing.get_start_method() != "spawn":  # lint: MP116
                    return
                self.values = [getattr(internal, name) for name in self.ATTRIBUTES]
            def nothing_after(self):
                if multiprocessing.get_start_method() != "spawn":
                    return
            def fork_only(self):
                if multiprocessing.get_start_method() != "fork":
                    return
                self.inherited = True
            def quiet_spawn(self):
                # torchrl: the environment a spawned interpreter starts with; a forkserver child has its server's
                if multiprocessing.get_start_method() != "spawn":
                    return
                os.environ["PYTHONWARNINGS"] = "ignore"
    """,
    # --- MP117 value race ----------------------------------------------------------------------------
    "mp117_value_without_lock": """
        from multiprocessing import Process, Value
        def add(v):
            for _ in range(100):
                v.value += 1  # lint: MP117
        def add_locked(v):
            with v.get_lock():
                v.value += 1
        if __name__ == "__main__":
            v = Value("i", 0)
            ps = [Process(target=add, args=(v,)) for _ in range(4)]
            qs = [Process(target=add_locked, args=(v,)) for _ in range(4)]
    """,
    "mp117_single_child_not_flagged": """
        from multiprocessing import Process, Value
        def add(v):
            v.value += 1
        if __name__ == "__main__":
            v = Value("i", 0)
            p = Process(target=add, args=(v,))
            p.start()
            p.join()
    """,
    # --- MP118 mixed contexts ------------------------------------------------------------------------
    "mp118_default_context_queue_to_a_spawn_process": """
        # numba#9192: a Queue of the default context handed to a spawn Process: where the default is fork (Linux
        # before 3.14) it is a fork context's (run on 3.11: RuntimeError "A SemLock created in a fork context is
        # being shared with a process in a spawn context"). The spawn context's own Queue: silent
        import multiprocessing
        def work(q):
            q.put(1)
        def main():
            ctx = multiprocessing.get_context("spawn")
            q = multiprocessing.Queue()
            ctx.Process(target=work, args=(q,)).start()  # lint: MP118
            own = ctx.Queue()
            ctx.Process(target=work, args=(own,)).start()
        if __name__ == "__main__":
            main()
    """,
    "mp118_default_context_queue_after_set_start_method": """
        # the default context's method is the one set: a spawn default makes spawn Queues
        import multiprocessing
        def work(q):
            q.put(1)
        if __name__ == "__main__":
            multiprocessing.set_start_method("spawn")
            q = multiprocessing.Queue()
            multiprocessing.get_context("spawn").Process(target=work, args=(q,)).start()
    """,
    "mp118_fork_queue_to_spawn_process": """
        import multiprocessing as mp
        def work(q):
            q.put(1)
        if __name__ == "__main__":
            fork = mp.get_context("fork")
            spawn = mp.get_context("spawn")
            q = fork.Queue()
            p = spawn.Process(target=work, args=(q,))  # lint: MP118
            ok = spawn.Queue()
            p2 = spawn.Process(target=work, args=(ok,))
            p3 = fork.Process(target=work, args=(ok,))
    """,
    # --- MP119 the fork server's children ----------------------------------------------------------------
    "mp119_sigchld_handler_installed_by_a_method_that_starts": """
        # spack#51788: the installer's install() sets a SIGCHLD handler (a self-pipe that wakes its loop), then
        # starts its builds: under forkserver no SIGCHLD comes and the loop sleeps for ever (run). A method that
        # installs one and starts nothing: silent
        import multiprocessing
        import signal
        def build(spec):
            print(spec)
        class Installer:
            def __init__(self, specs):
                self.pending = list(specs)
            def _on_sigchld(self, signum, frame):
                print("a build ended")
            def start_build(self, spec):
                multiprocessing.Process(target=build, args=(spec,)).start()
            def install(self):
                signal.signal(signal.SIGCHLD, self._on_sigchld)
                while self.pending:
                    self.start_build(self.pending.pop())
        class Quiet:
            def listen(self):
                signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        if __name__ == "__main__":
            Quiet().listen()
            Installer(["zlib"]).install()  # lint: MP119
    """,
    # websockify#101: a SIGCHLD handler that only reaps ended children (an os.waitpid(-1, WNOHANG) loop, or its
    # fix's multiprocessing.active_children()) misses nothing under forkserver, whose server reaps its children
    # (run: the program works under forkserver alone). One that keeps what it learns: still the pitfall. The
    # os.waitpid(-1) loop is MP122's: it takes a fork or spawn child's exit status (run: exitcode None)
    "mp119_a_sigchld_handler_that_only_reaps": """
        import multiprocessing
        import os
        import signal
        ended = []
        class Server:
            @staticmethod
            def fallback_sigchld(sig, stack):
                try:
                    result = os.waitpid(-1, os.WNOHANG)
                    while result[0]:
                        result = os.waitpid(-1, os.WNOHANG)
                except OSError:
                    pass
            def multiprocessing_sigchld(self, sig, stack):
                multiprocessing.active_children()
            def serve(self, clients):
                signal.signal(signal.SIGCHLD, self.fallback_sigchld)
                signal.signal(signal.SIGCHLD, self.multiprocessing_sigchld)
                for client in clients:
                    multiprocessing.Process(target=print, args=(client,)).start()
        def note_end(sig, stack):
            ended.append(os.waitpid(-1, os.WNOHANG))
        if __name__ == "__main__":
            Server().serve(["a"])  # lint: MP122
            signal.signal(signal.SIGCHLD, note_end)  # lint: MP119, MP122
            multiprocessing.Process(target=print).start()
    """,
    "mp119_sigchld_handler_and_ppid_compared": """
        import os
        import signal
        from multiprocessing import Process
        def serve(master):
            if os.getppid() != master:  # lint: MP119
                os.kill(os.getppid(), signal.SIGTERM)  # lint: MP119
            if os.getppid() == 1:
                return
        def reap(signum, frame):
            pass
        if __name__ == "__main__":
            old = signal.signal(signal.SIGCHLD, reap)  # lint: MP119
            signal.signal(signal.SIGTERM, reap)  # lint: MP107
            p = Process(target=serve, args=(os.getpid(),))
            p.start()
            os.waitpid(p.pid, 0)  # lint: MP119
            pid = os.fork()
            os.waitpid(pid, 0)
            signal.signal(signal.SIGCHLD, old)
    """,
    "mp119_fork_or_spawn_or_default_handler_clean": """
        import os
        import signal
        import multiprocessing
        def serve(master):
            if os.getppid() != master:
                print("elsewhere")
        def reap(signum, frame):
            pass
        if __name__ == "__main__":
            multiprocessing.set_start_method("spawn")
            signal.signal(signal.SIGCHLD, reap)
            p = multiprocessing.Process(target=serve, args=(os.getpid(),))
            p.start()
            os.waitpid(p.pid, 0)
    """,
    "mp119_sigchld_default_and_orphan_check_clean": """
        import os
        import signal
        from multiprocessing import Process
        def serve():
            while os.getppid() != 1:
                pass
        if __name__ == "__main__":
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            Process(target=serve).start()
    """,
    # --- noqa ----------------------------------------------------------------------------------------
    "noqa_silences": """
        from multiprocessing import Process
        if __name__ == "__main__":
            Process(target=lambda: None).start()  # noqa: MP101
            Process(target=lambda: None).start()  # noqa
            Process(target=lambda: None).start()  # noqa: SIM115  # lint: MP101
    """,
    # --- MP120 a Queue, Lock or Event made at import, used by children through the global ------------------
    # Network-intrusion-dataset-creator#1: the workers read the module's queues; a spawn or forkserver child's
    # import makes its own, and the parent's puts never reach it (run: the parent waits for features for ever)
    "mp120_queues_made_at_import": """
        import multiprocessing
        packet_queue = multiprocessing.Queue()  # lint: MP120
        feature_queue = multiprocessing.Queue()  # lint: MP120
        ctx = multiprocessing.get_context("spawn")
        done = ctx.Event()  # lint: MP120
        def process_packets():
            while True:
                pkt = packet_queue.get()
                if pkt is None:
                    break
                feature_queue.put(len(pkt))
            done.set()
        if __name__ == "__main__":
            worker = multiprocessing.Process(target=process_packets)
            worker.start()
            packet_queue.put(b"abc")
            packet_queue.put(None)
            print(feature_queue.get())
    """,
    "mp120_made_in_a_class_body": """
        # pytest-concurrent's modes/mproc.py (twentieth corpus): a Lock and a Queue made in a class body, read
        # through the class, or through `self` in its method, by a child (run: a spawn or forkserver child's import
        # makes its own: the parent never gets what the child puts, the lock excludes nobody); set again
        # elsewhere, a fork context's children, or never read by a child: silent
        import multiprocessing
        class MultiProcessMode:
            LOCK = multiprocessing.Lock()  # lint: MP120
            RESULTS = multiprocessing.Queue()  # lint: MP120
            RESET = multiprocessing.Event()
            UNREAD = multiprocessing.Queue()
            def run_item(self, i):
                with MultiProcessMode.LOCK:
                    self.RESULTS.put(i)
                self.RESET.set()
        class Forked:
            QUEUE = multiprocessing.Queue()
            @staticmethod
            def work():
                Forked.QUEUE.put(1)
        if __name__ == "__main__":
            MultiProcessMode.RESET = multiprocessing.Event()  # lint: MP103
            multiprocessing.Process(target=MultiProcessMode().run_item, args=(1,)).start()
            multiprocessing.get_context("fork").Process(target=Forked.work).start()
            print(MultiProcessMode.RESULTS.get(), Forked.QUEUE.get())
    """,
    # handed over, set again by each worker's initializer, made in the main block, a fork context's children, a
    # threading lock, or a queue no child reads: silent
    "mp120_objects_handed_over_or_fork_only": """
        import multiprocessing
        import threading
        lock = None
        log_lock = threading.Lock()
        unused = multiprocessing.Queue()
        results = multiprocessing.Queue()
        def init(shared):
            global lock
            lock = shared
        def task(n):
            with lock, log_lock:
                return n
        def forked():
            results.put(1)
        if __name__ == "__main__":
            made_here = multiprocessing.Queue()
            with multiprocessing.Pool(2, initializer=init, initargs=(multiprocessing.Lock(),)) as pool:
                made_here.put(pool.apply(task, (1,)))
            multiprocessing.get_context("fork").Process(target=forked).start()
            print(results.get(), unused.empty())
    """,
    # --- MP121 a random generator made before the children start, drawn from in each ---------------------------
    # ChineseCheckersAgent#47, numpy#14729: a module's generator seeded from the OS at import, and numpy's global
    # one that the parent seeded, drawn from in Pool workers and Processes that may be forked (run: every worker
    # draws the same numbers under fork)
    # websockify#101 and daemons that ignore SIGCHLD: a fork or spawn child's exit status is taken before
    # multiprocessing waits for it (the catalog's exit_status_stolen: exitcode None, is_alive() True)
    "mp122_sigchld_handler_reaps_any_child_or_sigchld_ignored": """
        import os
        import signal
        from multiprocessing import Process
        def reap(signum, frame):
            try:
                while os.waitpid(-1, os.WNOHANG)[0]:
                    pass
            except ChildProcessError:
                pass
        def reap_group(signum, frame):
            os.waitpid(0, os.WNOHANG)
        def reap_through_helper(signum, frame):
            drain()
        def drain():
            os.wait()
        def serve():
            pass
        def install():
            signal.signal(signal.SIGCHLD, signal.SIG_IGN)
        if __name__ == "__main__":
            signal.signal(signal.SIGCHLD, reap)  # lint: MP122
            signal.signal(signal.SIGCHLD, reap_group)  # lint: MP122
            signal.signal(signal.SIGCHLD, reap_through_helper)  # lint: MP119, MP122
            install()  # lint: MP122
            Process(target=serve).start()
    """,
    # a handler that waits for a pid the program forked itself, or lets multiprocessing reap its own
    # (websockify's fix)
    "mp122_handlers_that_reap_only_their_own_children": """
        import multiprocessing
        import os
        import signal
        FORKED = int(os.environ.get("HELPER_PID", "1"))
        def reap_mine(signum, frame):
            os.waitpid(FORKED, os.WNOHANG)
        def reap_processes(signum, frame):
            multiprocessing.active_children()
        def serve():
            pass
        if __name__ == "__main__":
            signal.signal(signal.SIGCHLD, reap_mine)
            signal.signal(signal.SIGCHLD, reap_processes)
            multiprocessing.Process(target=serve).start()
    """,
    # SIGCHLD ignored where the only children are a forkserver context's (the server's), or where no Process is
    # started (a subprocess)
    "mp122_sigchld_ignored_with_no_child_of_its_own": """
        import multiprocessing
        import signal
        import subprocess
        def serve():
            pass
        def start_with_forkserver():
            ctx = multiprocessing.get_context("forkserver")
            signal.signal(signal.SIGCHLD, signal.SIG_IGN)
            ctx.Process(target=serve).start()
        def run_tool():
            signal.signal(signal.SIGCHLD, signal.SIG_IGN)
            subprocess.run(["true"])
        if __name__ == "__main__":
            start_with_forkserver()
            run_tool()
    """,
    "mp121_generators_copied_into_fork_children": """
        import random
        import multiprocessing
        import numpy as np
        from numpy.random import default_rng
        rng = random.Random()  # lint: MP121
        gen = default_rng()  # lint: MP121
        def noise(x):
            return x + rng.gauss(0, 1) + gen.normal()
        def make_dots(n):
            return np.random.random_sample(n)  # lint: MP121
        if __name__ == "__main__":
            np.random.seed(1)
            with multiprocessing.Pool(4) as pool:
                print(pool.map(noise, range(4)))
            procs = [multiprocessing.Process(target=make_dots, args=(3,)) for _ in range(2)]
            for p in procs:
                p.start()
    """,
    # seeded with a constant (the same under every method), reseeded in the child or its initializer, made in the
    # main block and handed over, only spawn children, numpy's global generator the parent never used (numpy 2
    # seeds it at first use), or the random module's own functions (reseeded in each fork child): silent
    "mp121_generators_seeded_in_the_child_or_not_forked": """
        import random
        import multiprocessing
        import numpy as np
        fixed = random.Random(42)
        reseeded = np.random.default_rng()
        spawned = random.Random()
        dice = random.Random()
        def roll():
            return dice.randint(1, 6)
        def init():
            np.random.seed()
        def task(x):
            return x + fixed.random() + np.random.rand() + random.random()
        def own(x):
            global reseeded
            reseeded = np.random.default_rng()
            return reseeded.random()
        def in_spawn_child():
            return spawned.random()
        def draws(n):
            return np.random.randint(n)
        if __name__ == "__main__":
            with multiprocessing.Pool(2, initializer=init) as pool:
                print(pool.map(task, range(2)), pool.map(own, range(2)))
            with multiprocessing.Pool(2, initializer=dice.seed) as pool:
                print(pool.apply(roll))
            multiprocessing.get_context("spawn").Process(target=in_spawn_child).start()
    """,
    # a child's code runs the methods it calls on objects of the program's classes it makes (ChineseCheckersAgent's
    # worker plays `Game().play()`, which draws from numpy's global generator)
    "child_code_reaches_methods_of_objects_it_makes": """
        import atexit
        import multiprocessing
        import numpy as np
        class Game:
            def play(self):
                return np.random.choice(3)  # lint: MP121
        class Saver:
            def install(self):
                atexit.register(print, "bye")  # lint: MP111
        def worker(n):
            saver = Saver()
            saver.install()
            return Game().play()
        if __name__ == "__main__":
            np.random.seed(0)
            procs = [multiprocessing.Process(target=worker, args=(i,)) for i in range(2)]
            for p in procs:
                p.start()
    """,
    # pymultirun's Multiprocess: its __init__ installs handlers that only queue the signal, and run() starts the
    # workers later (an object's __init__ runs before its other methods): fork workers inherit the handlers and
    # ignore terminate() (run). A class whose children are spawned, or reset the handler first: silent.
    "mp107_handler_installed_by_init_of_a_class_that_starts_children": """
        import multiprocessing
        import signal
        class Multiprocess:
            def __init__(self, target, workers=2):
                self.target = target
                self.workers = workers
                self.signal_queue = []
                signal.signal(signal.SIGTERM, lambda sig, frame: self.signal_queue.append(sig))  # lint: MP107
            def run(self):
                procs = [multiprocessing.Process(target=self.target) for _ in range(self.workers)]
                for p in procs:
                    p.start()
        def quiet_work():
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
        class Spawner:
            def __init__(self):
                signal.signal(signal.SIGTERM, self.stop)
            def stop(self, signum, frame):
                raise SystemExit(0)
            def run(self):
                multiprocessing.get_context("spawn").Process(target=print).start()
        class Resetting:
            def __init__(self):
                signal.signal(signal.SIGTERM, self.stop)
            def stop(self, signum, frame):
                raise SystemExit(0)
            def run(self):
                multiprocessing.Process(target=quiet_work).start()
        class Sentinel:
            def __init__(self, stop_event):
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                self.stop_event = stop_event
        class Cluster:
            def __init__(self):
                signal.signal(signal.SIGTERM, self.sig_handler)
            def sig_handler(self, signum, frame):
                self.stop()
            def stop(self):
                pass
            def start(self):
                multiprocessing.Process(target=Sentinel, args=(multiprocessing.Event(),)).start()
    """,
}


def test_columns_count_characters_not_bytes():
    from mpcheck.lint.api import check_source

    source = textwrap.dedent(
        """\
        from multiprocessing import Process
        if __name__ == "__main__":
            é = Process(target=lambda: "é")
            é.start()
        """
    )
    (finding,) = check_source(source.encode(), "x.py")
    assert (finding.line, finding.col) == (3, 24)  # the lambda starts at character 24 (byte 25)


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_flags_exactly_the_marked_lines(name):
    source = textwrap.dedent(CASES[name])
    assert findings(source) == marks(source)


def test_every_rule_has_a_positive_and_a_clean_case():
    from mpcheck.lint.api import RULES

    positive = {code for src in CASES.values() for _, code in marks(textwrap.dedent(src))}
    assert positive == set(RULES)
    negatives = {name.split("_")[0].upper() for name, src in CASES.items() if not marks(textwrap.dedent(src))}
    assert {c for c in RULES if c not in ("MP118", "MP111")} <= negatives


@pytest.mark.parametrize(
    "path, handed, flagged",
    [
        ("tests/test_results.py", "threading.Thread(target=work)", False),
        ("tests/unit_test/support.py", "threading.Thread(target=work)", False),  # it holds a test
        ("tests/test_results.py", "mp.Process(target=work)", True),
        ("tests/test_results.py", "mp.Process(target=print)", False),
        ("results.py", "threading.Thread(target=work)", True),
    ],
)
def test_mp102_a_start_on_import_of_a_test_module_counts_where_a_child_imports_it_to_unpickle(path, handed, flagged):
    """mpms's and multirunnable's test modules make a Manager() on import. pytest's __main__, not the test module,
    is what a spawn child re-imports; the child imports the test module only to unpickle a function of it that it
    is handed, while it starts up (then Manager() raises RuntimeError there). Run under spawn and forkserver: a
    Thread, or a builtin target, and the tests pass; a target of the module's own, and the child dies at start-up.
    A module outside the tests is imported by whatever the program's main script is: flagged as before (a module
    of the tests folder that holds no test and that nothing imports: tests/test_lint_program.py)."""
    source = textwrap.dedent(
        f"""\
        import multiprocessing as mp
        import threading
        RESULTS = mp.Manager().list()
        def work():
            RESULTS.append(1)
        def test_results():
            t = {handed}
            t.start()
            t.join()
        """
    )
    assert ((3, "MP102") in findings(source, path)) is flagged


@pytest.mark.parametrize("handed", ["mp.Process(target=work)", "mp.Pool(1).map(work, [1])"])
def test_mp102_in_a_test_module_says_the_child_imports_it_to_unpickle(handed):
    """easydag's tests/test.py makes a Manager on import and hands its own functions to a Pool. Under pytest,
    spawn and forkserver: a Process child imports the module while it starts up (RuntimeError, bootstrapping
    phase); a Pool's worker imports it to unpickle a task, after start-up ('daemonic processes are not allowed to
    have children', and map waits for ever). Fork: both pass. The message names that, not the main script."""
    from mpcheck.lint.api import check_source

    source = "import multiprocessing as mp\nmanager = mp.Manager()\ndef work(x=0):\n    pass\n"
    source += f"def test_it():\n    {handed}\n"
    (finding,) = check_source(source.encode(), "tests/test_shared.py", ["MP102"])
    assert "test module is imported" in finding.message and "unpickles one of its functions" in finding.message
    assert "outside `if __name__" not in finding.message


def test_mp107_names_the_child_started_after_the_object_that_set_its_own_handler():
    """mriqc: a ResourceRecorder (a Process) sets SIGTERM to its own ``stop`` in ``__init__``, then is started,
    then a Process runs the workflow. The recorder's fork child runs its own stop on terminate() by design; the
    workflow's child inherits the recorder's handler: under fork its terminate() stops the recorder and the child
    runs on (exit 0 after 2.5 s; spawn and forkserver: -15 at once). The finding names the workflow's start."""
    from mpcheck.lint.api import check_source

    source = textwrap.dedent(
        """\
        import signal
        from multiprocessing import Event, Process
        class Recorder(Process):
            def __init__(self):
                Process.__init__(self, daemon=True)
                self.done = Event()
                signal.signal(signal.SIGTERM, self.stop)
            def run(self):
                self.done.wait()
            def stop(self, *args):
                self.done.set()
        def build():
            pass
        if __name__ == "__main__":
            recorder = Recorder()
            recorder.start()
            child = Process(target=build)
            child.start()
            child.terminate()
        """
    )
    (finding,) = check_source(source.encode(), "x.py", ["MP107"])
    assert "before a child starts at line 18" in finding.message


def test_mp112_shown_at_a_call_names_where_the_child_starts():
    """mpwt: the finding is shown at the call in the main block that reaches the start; the message says where
    the child starts (evaluator C read three files to find it)."""
    from mpcheck.lint.api import check_source

    source = textwrap.dedent(
        """\
        import multiprocessing as mp
        import threading, time
        def work():
            pass
        def launch():
            mp.Process(target=work).start()
        if __name__ == "__main__":
            threading.Thread(target=time.sleep, args=(1,)).start()
            launch()
        """
    )
    (finding,) = check_source(source.encode(), "x.py", ["MP112"])
    assert finding.line == 9
    assert finding.message.endswith("(it starts at line 6, in `launch()`)")
