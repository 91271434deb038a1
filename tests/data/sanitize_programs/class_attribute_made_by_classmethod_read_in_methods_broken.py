"""neuronumba#28: a model class's parameter enum is made at run time by a classmethod the parent calls on a
subclass (``cls.P = IntEnum(...)``); the executor's tasks are sent model objects whose methods read ``self.P``.
Pickling carries an object's own attributes, not its class's: a spawn or forkserver worker's ``Hopf`` comes
from a fresh import, where ``P`` is the base class body's None (TypeError in the task). A fork worker has the
parent's class (MP103)."""

# needs: spawn-executor

from concurrent.futures import ProcessPoolExecutor
from enum import IntEnum


class Model:
    _parameter_names = ()
    P = None

    def __init__(self, **params):
        self.params = dict(params)

    @classmethod
    def init_enums(cls):
        cls.P = IntEnum("P", {name: i for i, name in enumerate(cls._parameter_names)})  # sanitize: MP103

    def parameters(self):
        return [self.params[p.name] for p in self.P]


class Hopf(Model):
    _parameter_names = ("a", "g")

    def step(self, x):
        a, g = self.parameters()
        return x + a * g


def simulate(model):
    return model.step(0.5)


if __name__ == "__main__":
    Hopf.init_enums()
    models = [Hopf(a=0.1, g=g) for g in (1.0, 2.0)]
    with ProcessPoolExecutor(max_workers=2) as ex:
        print(list(ex.map(simulate, models)))
