"""deco's shape (deco 0.6.3, its own test suite under spawn and forkserver: KeyError): ``@concurrent`` puts each
function it decorates in a class-level table, and the pool's task looks the function up there by name. The
module also runs code it builds at run time (``exec``), but only when a synchronized function is called, never
on import."""

from multiprocessing import Pool


def conc_wrapper(name, args):
    return concurrent.functions[name](*args)


class concurrent:  # (deco names it so)
    functions = {}  # noqa: RUF012 (the registry the decorator fills)

    def __init__(self, f):
        concurrent.functions[f.__name__] = f
        self.f_name = f.__name__
        self.pool = None

    def __call__(self, *args):
        if self.pool is None:
            self.pool = Pool(2)
        return self.pool.apply_async(conc_wrapper, [self.f_name, args])

    def close(self):
        self.pool.close()
        self.pool.join()


def synchronized(source, name):
    scope = {}
    exec(source, scope)  # a rewritten function, compiled when it is called
    return scope[name]
