"""neuronumba#28's fix: the task configures the model before it uses it (``configure()`` makes the class's enum
again where it is missing), so a spawn or forkserver worker makes its own: nothing to report."""

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
        cls.P = IntEnum("P", {name: i for i, name in enumerate(cls._parameter_names)})

    def configure(self):
        cls = type(self)
        if cls.P is None:
            cls.init_enums()
        return self

    def parameters(self):
        return [self.params[p.name] for p in self.P]


class Hopf(Model):
    _parameter_names = ("a", "g")

    def step(self, x):
        a, g = self.parameters()
        return x + a * g


def simulate(model):
    model.configure()
    return model.step(0.5)


if __name__ == "__main__":
    Hopf.init_enums()
    models = [Hopf(a=0.1, g=g) for g in (1.0, 2.0)]
    with ProcessPoolExecutor(max_workers=2) as ex:
        print(list(ex.map(simulate, models)))
