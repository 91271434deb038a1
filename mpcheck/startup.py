"""Run code right after a module is imported: what mpcheck's start-up hooks share.

The ``.pth`` line that mpcheck installs calls a start-up hook in every Python that starts with one of
its environment variables set (``$MPCHECK_START_METHOD``: :mod:`mpcheck.start_method.hook`;
``$MPCHECK_SANITIZE``: :mod:`mpcheck.sanitize.hook`). Neither imports what it acts on early: each asks
:func:`when_imported` to call it back once the module (``multiprocessing.context``, its copies in
``multiprocess`` and ``billiard``, ``logging``...) has been imported, or at once if it already is.

One meta-path entry asks the other finders for the modules it waits for and wraps only their loader;
every other import passes it untouched. Stdlib only, imported at interpreter start-up: keep it small.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing's: typing costs milliseconds at start-up (see mpcheck.expect)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List

    Callback = Callable[[Any], None]


class _Loader:
    """Runs the real loader, then the callbacks waiting for the module it loaded."""

    def __init__(self, loader: Any, callbacks: List[Callback]) -> None:
        self.loader = loader
        self.callbacks = callbacks

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self.loader.exec_module(module)
        for callback in self.callbacks:
            callback(module)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loader, name)


class _Finder:
    """A meta-path entry that waits for the modules of :data:`waiting`; it asks the other finders for them."""

    def __init__(self) -> None:
        self.waiting: Dict[str, List[Callback]] = {}

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        callbacks = self.waiting.get(name)
        if not callbacks:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _Loader(spec.loader, list(callbacks))  # type: ignore[assignment]
                return spec
        return None


def _finder() -> _Finder:
    for finder in sys.meta_path:
        if type(finder).__name__ == "_Finder" and type(finder).__module__ == __name__:
            return finder  # type: ignore[return-value]
    finder = _Finder()
    sys.meta_path.insert(0, finder)
    return finder


def when_imported(name: str, callback: Callback) -> None:
    """Call ``callback(module)`` once module ``name`` is imported: now if it already is, else right after
    its import (each import of it, should it be imported afresh)."""
    module = sys.modules.get(name)
    if module is not None:
        callback(module)
    finder = _finder()
    callbacks = finder.waiting.setdefault(name, [])
    if callback not in callbacks:
        callbacks.append(callback)
