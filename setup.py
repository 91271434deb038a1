"""Only the build step that installs ``mpcheck_start_method.pth`` next to the package.

Metadata lives in pyproject.toml. The ``.pth`` file (named for its first job) makes ``MPCHECK_START_METHOD``
(mpcheck/start_method/hook.py: the forced start method) and ``MPCHECK_SANITIZE`` (mpcheck/sanitize/hook.py:
the sanitizer's checks) reach every Python a test suite or a watched program starts: site-packages runs its
one line at interpreter start-up.
A wheel puts files at the root of its purelib into site-packages, so the file is copied to the root of
the build (``build_py``) and, for editable installs, written into the editable wheel.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PTH = Path(__file__).resolve().parent / "mpcheck_start_method.pth"


class build_py_with_pth(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            self.copy_file(str(PTH), str(Path(self.build_lib) / PTH.name), preserve_mode=0)

    def get_outputs(self, include_bytecode=True):  # type: ignore[no-untyped-def]
        return [*super().get_outputs(include_bytecode), str(Path(self.build_lib) / PTH.name)]


cmdclass = {"build_py": build_py_with_pth}

try:
    from setuptools.command.editable_wheel import editable_wheel

    class editable_wheel_with_pth(editable_wheel):
        def _select_strategy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            strategy = super()._select_strategy(*args, **kwargs)
            pth_text = PTH.read_text(encoding="utf-8")

            class WithPth:
                def __call__(self, wheel, files, mapping):  # type: ignore[no-untyped-def]
                    strategy(wheel, files, mapping)
                    wheel.writestr(PTH.name, pth_text.encode("utf-8"))

                def __enter__(self):  # type: ignore[no-untyped-def]
                    strategy.__enter__()
                    return self

                def __exit__(self, *exc):  # type: ignore[no-untyped-def]
                    return strategy.__exit__(*exc)

            return WithPth()

    cmdclass["editable_wheel"] = editable_wheel_with_pth
except ImportError:  # an old setuptools: editable installs without the hook
    pass

setup(cmdclass=cmdclass)
