"""What one module does with processes, read from its syntax tree; every rule asks this model.

The model answers the questions the rules share, so each is answered the same way for all of them:

* what a name or expression is (:meth:`Module.kind_of`): a Process, a Pool, a Queue... through the
  imports, ``get_context()`` objects, subclasses (in any module of the program), lists of processes,
  ``with ... as`` names, ``self.x`` attributes set in any method of the class or of a base class or
  mixin, class attributes holding a constructor, what a function of the program returns, and plain
  pytest fixtures. A name bound several times has the kind of the binding that reaches each use
  (the last one before it in the same function), so reusing a variable does not hide an earlier start;
* which functions run in a child (:attr:`Module.sends`, :meth:`Module.reach`): targets, pool and
  executor tasks, initializers, a Process subclass's ``run``, and what they call in the program;
* what the parent does in which order along each entry path (:attr:`Module.paths`): the module's
  top-level code and main block, each console-script entry point it holds, each test function or
  method (after its ``setUp``), and each thread target; the program's own functions they call are
  inlined (a few levels deep, across modules), and so is the ``__init__`` of a class they make.

Each question has its own module, a mixin of :class:`ModuleModel`: :mod:`.binding` (imports, scopes and
names), :mod:`.kinds`, :mod:`.start_methods`, :mod:`.sends` and :mod:`.paths`; :mod:`.parts` holds what
they share and the :class:`~.parts.Module` protocol through which they (and the rules) ask each other.

It is deliberately syntactic: no types beyond what constructors, returns and fixtures say. A name
whose kind it cannot tell is unknown, and rules treat unknown as "do not flag". Models are built on
demand by :class:`~.program.Program`: the names of a module first, its kinds when another module or
a rule asks, its sends and paths only when its rules run.
"""

from __future__ import annotations

import ast
from typing import Dict, List, Optional, Set, Tuple

from .binding import Binding
from .kinds import Kinds
from .parts import ClassInfo, EntryPath, Event, Module, Scope, Send
from .paths import Paths
from .program import Program, SourceFile
from .sends import Sends
from .start_methods import StartMethods


class ModuleModel(Binding, Kinds, StartMethods, Sends, Paths):
    """The model of one parsed module of a :class:`~.program.Program` (see the module docstring)."""

    def __init__(self, tree: ast.Module, program: Program[Module], file: SourceFile) -> None:
        self.tree = tree
        self.program = program
        self.file = file
        self.imports: Dict[str, str] = {}
        self.module_names: Set[str] = set()  # names imported as modules (``import x``, ``import x.y as z``)
        self.dotted: Set[str] = set()  # every module ``import a.b.c`` imports (``a``, ``a.b``, ``a.b.c``)
        self.classes: Dict[str, ClassInfo] = {}
        self.scopes: List[Scope] = []
        self.module = Scope(tree, "<module>", self)
        self.main_block: List[ast.stmt] = []
        self._collect_imports()
        self._build_scope(self.module, tree.body, None, False)
        self._kinds_state = 0  # 0 not computed, 1 computing, 2 done
        self._sends: Optional[List[Send]] = None
        self._thread_sends: Optional[List[Tuple[ast.AST, Scope]]] = None
        self._paths: Optional[List[EntryPath]] = None
        self._explicit: Optional[Tuple[Optional[Set[str]]]] = None
        self._branches: Optional[Dict[int, List[Tuple[ast.stmt, int]]]] = None
        self._inlined: Dict[Tuple[int, int], List[Event]] = {}
        self._inlining: Set[int] = set()
        self._following: Set[int] = set()  # the partials resolve_function is following (``f = partial(f, ...)``)
        self._aliases: Dict[int, Dict[str, str]] = {}
        self._child: Optional[Set[Scope]] = None
        self._child_not_inlined: Optional[Set[Scope]] = None
        self._loggers: Optional[Set[str]] = None
        #: console-script entry function -> the models of what it calls, and the methods they pin (None: unreadable)
        self._entry_pins: Dict[str, Tuple[Set[Module], Optional[Set[str]]]] = {}
        self._local_imports: Dict[int, Dict[str, str]] = {}
