"""What PyPy does differently that several scenarios run into, declared once.

Pickling errors: PyPy pickles as CPython's pure-Python ``pickle.py`` does, and up to 7.3.19 the
error's class lives in ``pickle``; PyPy 8.0 added an RPython ``_pickle`` module
(https://github.com/pypy/pypy/tree/py3.11/pypy/module/_pickle) and the class is
``_pickle.PicklingError`` as on CPython (:data:`PYPY_PICKLING_ERROR`; the wording is in
``lambda_target``'s docstring).


PyPy 7.3.10 and 7.3.11 (Python 3.9) ship a ``concurrent/futures/process.py`` whose merge of CPython's
gh-90622 fix (workers started on demand unless the context forks) renamed ``_adjust_process_count``
to ``_adjust_process_count_cpython`` but left ``submit()`` calling the old name. So under spawn and
forkserver every ``ProcessPoolExecutor.submit()`` (and with it ``map()`` and
``loop.run_in_executor``) raises ``AttributeError: 'ProcessPoolExecutor' object has no attribute
'_adjust_process_count'`` in the caller; under fork (all workers started up front) it works.
Reported as https://github.com/pypy/pypy/issues/3873 (7.3.10), https://github.com/pypy/pypy/issues/3910
and https://github.com/pypy/pypy/issues/4922 (7.3.11). Seen on Debian's 7.3.11; 7.3.19 and 8.0.1
work. The boundary, 7.3.12 (the release after the report on 7.3.11 was closed), is not verified on a
PyPy between 7.3.11 and 7.3.19.

An executor scenario catches the ``AttributeError`` where its first ``submit()`` raises it, reports
it as ``submit_error`` and nothing else: :data:`SUBMIT_ERROR` is that fact's expectation, and
:func:`when_submit_works` wraps every other fact's (CPython's value, unchanged, everywhere the
executor works; ``ABSENT`` where it cannot). Imported by cells: only :mod:`mpcheck.expect`.
"""

from __future__ import annotations

from mpcheck.expect import ABSENT, by_impl, by_method, matches, pypy_since

TYPE_CHECKING = False  # not typing's: see mpcheck.expect
if TYPE_CHECKING:
    from typing import Any

# PyPy's pickling errors: the pure-Python pickler's class, in ``pickle`` before PyPy 8.0's ``_pickle``.
PYPY_PICKLING_ERROR = pypy_since("8.0", "_pickle.PicklingError", "pickle.PicklingError")

PYPY_SUBMIT_ERROR = matches(r"^AttributeError: 'ProcessPoolExecutor' object has no attribute '_adjust_process_count'$")
# The first release whose submit() works under spawn and forkserver (see above).
SUBMIT_FIXED_IN = "7.3.12"

SUBMIT_ERROR = by_impl(
    pypy=by_method(fork=None, default=pypy_since(SUBMIT_FIXED_IN, None, PYPY_SUBMIT_ERROR)), default=None
)


def when_submit_works(value: Any) -> Any:
    """``value`` wherever ``submit()`` works; ``ABSENT`` on PyPy < 7.3.12 under spawn and forkserver."""
    return by_impl(pypy=by_method(fork=value, default=pypy_since(SUBMIT_FIXED_IN, value, ABSENT)), default=value)
