"""What a Python file says about itself, read once with ``ast``: the facts the sanitizer's checks need.

- the main guard (``if __name__ == "__main__":``, either way round) and whether a line is inside it;
- the names a module binds at its top level outside the guard (what a spawn child re-importing it gets),
  with the literal value where the binding is a literal, and its ``def``/``class`` statements;
- the class attributes its class bodies bind to literals;
- where the program rebinds a name or an attribute *at run time*: a statement inside the main guard,
  or inside a function that run-time code calls (by name, followed through the file's own functions);
- the modules its import imports (its ``import`` statements outside the main guard, in functions too),
  whether it imports by a name computed at run time, and the modules its run-time code imports.

Runs inside the watched program, on demand (never at start-up): stdlib only.
"""

from __future__ import annotations

import ast

from ..methods import REAPS_ANY_CHILD_NAMES, any_child_pid

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, FrozenSet, Iterable, Iterator, List, Optional, Set, Tuple

    #: an import statement: (level of a relative import, module or None, names imported from it or None, line)
    Imported = Tuple[int, Optional[str], Optional[Tuple[str, ...]], int]

#: a binding whose value is not a literal
NOT_LITERAL = object()
#: calls that import modules by a name computed at run time, or run code the file does not show
DYNAMIC_IMPORTS = frozenset(
    ("import_module", "__import__", "import_string", "run_path", "run_module", "load_module", "exec_module",
     "entry_points", "iter_entry_points", "load_entry_point", "walk_packages", "iter_modules", "exec",
     "execfile", "autodiscover", "autodiscover_tasks", "import_modules", "load_plugins")
)  # fmt: skip

_cache: Dict[str, Optional[Source]] = {}


def parse(path: Optional[str], script: bool = False) -> Optional[Source]:
    """The file at ``path`` read and parsed once (None: no such Python source; a ``script`` may be named
    without ``.py``, as the ``pytest`` command is)."""
    if not path or not (script or path.endswith(".py")):
        return None
    if path not in _cache:
        try:
            with open(path, "rb") as fh:
                _cache[path] = Source(path, ast.parse(fh.read(), filename=path))
        except (OSError, SyntaxError, ValueError, RecursionError):
            _cache[path] = None
    return _cache[path]


def _imports_dynamically_on_import(statements: List[ast.stmt]) -> bool:
    """Whether the code an import of these module-level statements runs may import by a name computed at run time
    (:data:`DYNAMIC_IMPORTS`): their own code (class bodies, decorators and default values included) and the
    bodies of the functions of the file it calls by name, followed. A function nothing calls on import (deco's
    ``exec`` of a rewritten function, run only when a decorated function is called) imports nothing then; what a
    child's own code runs is read from its code objects (:func:`mpcheck.sanitize.tables._code_imports`)."""
    bodies: Dict[str, List[ast.AST]] = {}
    for stmt in statements:
        for node in ast.walk(stmt):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                bodies.setdefault(node.name, []).extend(node.body)
    todo: List[ast.AST] = list(statements)
    followed: Set[str] = set()
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Call):
            name = _called_name(node)
            if name in DYNAMIC_IMPORTS:
                return True
            if name in bodies and name not in followed:
                followed.add(name)
                todo.extend(bodies[name])
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in node.decorator_list:  # ``@register``: called with what it decorates
                if isinstance(decorator, ast.Name) and decorator.id in bodies and decorator.id not in followed:
                    followed.add(decorator.id)
                    todo.extend(bodies[decorator.id])
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            todo.extend([*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d)])
        elif isinstance(node, ast.Lambda):
            todo.extend([*node.args.defaults, *(d for d in node.args.kw_defaults if d)])
        else:
            todo.extend(ast.iter_child_nodes(node))
    return False


def _is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    mains = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return bool(names and mains)


def _literal(node: Optional[ast.AST]) -> Any:
    if node is None:
        return NOT_LITERAL
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return NOT_LITERAL


def _targets(node: ast.AST) -> Iterator[ast.AST]:
    if isinstance(node, (ast.Tuple, ast.List)):
        for element in node.elts:
            yield from _targets(element)
    elif isinstance(node, ast.Starred):
        yield from _targets(node.value)
    else:
        yield node


def _assignments(stmt: ast.stmt) -> Iterator[Tuple[ast.AST, Optional[ast.AST]]]:
    """(target, value) pairs a statement binds (value None where it is not a plain assignment)."""
    if isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            single = target if not isinstance(target, (ast.Tuple, ast.List)) else None
            for one in _targets(target):
                yield one, stmt.value if single is not None else None
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        yield stmt.target, stmt.value if isinstance(stmt, ast.AnnAssign) else None
    elif isinstance(stmt, (ast.For, ast.AsyncFor)):
        for one in _targets(stmt.target):
            yield one, None
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        for item in stmt.items:
            if item.optional_vars is not None:
                for one in _targets(item.optional_vars):
                    yield one, None
    elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
        for alias in stmt.names:
            name = alias.asname or alias.name.split(".")[0]
            yield ast.Name(id=name, ctx=ast.Store(), lineno=stmt.lineno, col_offset=0), None


def _own_statements(body: Iterable[ast.stmt], skip_guards: bool = False) -> Iterator[ast.stmt]:
    """Statements of a block and of its nested blocks, not of the functions and classes it defines."""
    for stmt in body:
        if skip_guards and _is_main_guard(stmt):
            continue
        yield stmt
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list):
                blocks = [h.body for h in inner] if field == "handlers" else [inner]
                for block in blocks:
                    yield from _own_statements(block, skip_guards)


def _calls(nodes: Iterable[ast.AST]) -> Set[str]:
    """Names called in ``nodes`` (``f(...)`` and ``x.f(...)`` both give ``f``)."""
    found: Set[str] = set()
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                func = sub.func
                if isinstance(func, ast.Name):
                    found.add(func.id)
                elif isinstance(func, ast.Attribute):
                    found.add(func.attr)
    return found


class Source:
    def __init__(self, path: str, tree: ast.Module) -> None:
        self.path = path
        self.tree = tree
        self.guards: List[Tuple[int, int]] = []
        guard_bodies: List[ast.stmt] = []
        for stmt in tree.body:
            if _is_main_guard(stmt):
                self.guards.append((stmt.lineno, getattr(stmt, "end_lineno", None) or stmt.lineno))
                guard_bodies.extend(stmt.body)  # type: ignore[attr-defined]
        #: name -> [(line, literal value or NOT_LITERAL)] bound at the top level, outside the guard
        self.toplevel: Dict[str, List[Tuple[int, Any]]] = {}
        #: name -> lines of its top-level def and class statements
        self.defs: Dict[str, List[int]] = {}
        #: (class, attribute) -> [(line, literal)] bound in the class body
        self.class_attrs: Dict[Tuple[str, str], List[Tuple[int, Any]]] = {}
        self.functions: Dict[str, List[ast.AST]] = {}
        for stmt in _own_statements(tree.body, skip_guards=True):
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.defs.setdefault(stmt.name, []).append(stmt.lineno)
                self.toplevel.setdefault(stmt.name, []).append((stmt.lineno, NOT_LITERAL))
                if isinstance(stmt, ast.ClassDef):
                    for inner in _own_statements(stmt.body):
                        for target, value in _assignments(inner):
                            if isinstance(target, ast.Name):
                                key = (stmt.name, target.id)
                                self.class_attrs.setdefault(key, []).append((inner.lineno, _literal(value)))
                continue
            for target, value in _assignments(stmt):
                if isinstance(target, ast.Name):
                    self.toplevel.setdefault(target.id, []).append((stmt.lineno, _literal(value)))
        #: id of a method's node -> (its class's name, the name its first parameter gives the class: ``cls`` of a
        #: classmethod; of a plain method, the instance's name, whose ``type(self)``/``self.__class__`` is the class)
        self.methods: Dict[int, Tuple[str, str, bool]] = {}
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions.setdefault(node.name, []).append(node)
            elif isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        first = _first_parameter(stmt)
                        kind = _method_kind(stmt)
                        if first is not None and kind is not None:
                            self.methods[id(stmt)] = (node.name, first, kind == "classmethod")
        self.guard_statements = list(_own_statements(guard_bodies))
        #: what the methods below computed (a source does not change once parsed: each check asks again)
        self._runtime_functions: Dict[FrozenSet[str], Set[str]] = {}
        self._runtime_calls: Optional[Set[str]] = None
        self._calls: Dict[str, Set[str]] = {}
        self._sites: Dict[Tuple[Optional[str], str, FrozenSet[str]], List[int]] = {}
        self._imports: Optional[Tuple[List[Imported], bool]] = None
        #: functions a test runner calls: tests, their set-up and tear-down, pytest fixtures
        self.entries = {
            name
            for name, nodes in self.functions.items()
            if name.startswith("test") or name in _SETUP_NAMES or any(_is_fixture(n) for n in nodes)
        }

    def in_guard(self, line: int) -> bool:
        return any(start <= line <= end for start, end in self.guards)

    def runtime_functions(self, called: Iterable[str] = ()) -> Set[str]:
        """This file's functions that run at run time: called from the guard or by ``called`` (names the main
        script's run-time code calls), its tests and fixtures (a test runner calls them), and the functions
        those call, to a fixed point."""
        key = frozenset(called)
        if key in self._runtime_functions:
            return self._runtime_functions[key]
        names = self._calls_of("") | key | self.entries
        runtime: Set[str] = set()
        todo = [n for n in names if n in self.functions]
        while todo:
            name = todo.pop()
            if name in runtime:
                continue
            runtime.add(name)
            todo.extend(n for n in self._calls_of(name) if n in self.functions and n not in runtime)
        self._runtime_functions[key] = runtime
        return runtime

    def _calls_of(self, function: str) -> Set[str]:
        """Names called by this file's functions named ``function`` ("": by the main guard)."""
        if function not in self._calls:
            self._calls[function] = _calls(self.functions[function] if function else self.guard_statements)
        return self._calls[function]

    def dict_entries(self, name: str) -> Optional[Tuple[Dict[Any, Any], List[Any]]]:
        """For global ``name`` bound once at the top level to a dict display whose keys are all literals
        (osbrain's ``config = {"LINGER": 1.0, "TRANSPORT": "ipc" if ... else "tcp"}``): the entries whose value is
        a literal too, and every key; None otherwise."""
        value = self._only_assignment(name)
        if not isinstance(value, ast.Dict):
            return None
        keys = [_literal(k) for k in value.keys]
        if any(k is NOT_LITERAL for k in keys):
            return None
        values = [_literal(v) for v in value.values]
        return {k: v for k, v in zip(keys, values) if v is not NOT_LITERAL}, keys

    def _only_assignment(self, name: str) -> Optional[ast.expr]:
        """The value of ``name = value``, a plain statement of the top level (no block), when that is the name's
        only binding outside functions; None otherwise."""
        bindings = self.toplevel.get(name, [])
        if len(bindings) != 1:
            return None
        for stmt in self.tree.body:
            if (
                isinstance(stmt, ast.Assign) and stmt.lineno == bindings[0][0] and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id == name
            ):  # fmt: skip
                return stmt.value
        return None

    def calls_in(self, first_line: int) -> Set[str]:
        """Names called by the function whose code starts at ``first_line`` (:meth:`_functions_at`)."""
        return _calls(self._functions_at(first_line))

    def guard_bindings(self, name: str) -> List[int]:
        """Lines inside the main guard that bind ``name`` (a def or class there too; not inside functions)."""
        lines = []
        for stmt in self.guard_statements:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and stmt.name == name:
                lines.append(stmt.lineno)
            lines += [t.lineno for t, _ in _assignments(stmt) if isinstance(t, ast.Name) and t.id == name]
        return lines

    def runtime_calls(self) -> Set[str]:
        """Names the main script's run-time code calls: in its guard and in the functions that calls."""
        if self._runtime_calls is None:
            calls = set(self._calls_of(""))
            for function in self.runtime_functions():
                calls |= self._calls_of(function)
            self._runtime_calls = calls
        return self._runtime_calls

    def runtime_sites(self, owner: Optional[str], name: str, called: Iterable[str] = ()) -> List[int]:
        """Lines that rebind module global ``name`` (``owner`` None) or attribute ``owner.name`` at run time:
        a statement in the main guard, or in a function that run-time code calls (a global through
        ``global name``; an attribute by assignment or ``setattr(owner, "name", ...)``, and in a method of
        the class named ``owner``, through the class the method is given: ``cls.name = ...`` in a
        classmethod, ``type(self).name``/``self.__class__.name`` in a plain method)."""
        key = (owner, name, frozenset(called))
        if key not in self._sites:
            self._sites[key] = self._runtime_sites(owner, name, key[2])
        return list(self._sites[key])

    def _runtime_sites(self, owner: Optional[str], name: str, called: FrozenSet[str]) -> List[int]:
        lines: List[int] = []

        def visit(
            nodes: Iterable[ast.AST],
            globals_declared: Set[str],
            in_guard: bool,
            method: Optional[Tuple[str, bool]] = None,
        ) -> None:
            for node in nodes:
                if isinstance(node, ast.Call) and owner is not None and _is_setattr(node, owner, name):
                    lines.append(node.lineno)
                if not isinstance(node, ast.stmt):
                    continue
                for target, _ in _assignments(node):
                    if owner is None:
                        bound = isinstance(target, ast.Name) and target.id == name
                        if bound and (in_guard or name in globals_declared):
                            lines.append(node.lineno)
                    elif (
                        isinstance(target, ast.Attribute)
                        and target.attr == name
                        and (
                            (isinstance(target.value, ast.Name) and target.value.id == owner)
                            or (method is not None and _is_the_class(target.value, *method))
                        )
                    ):
                        lines.append(node.lineno)

        guard_nodes = [sub for stmt in self.guard_statements for sub in ast.walk(stmt)]
        visit(guard_nodes, set(), True)
        for function in self.runtime_functions(called):
            for node in self.functions[function]:
                declared = {n for sub in ast.walk(node) if isinstance(sub, ast.Global) for n in sub.names}
                of_class = self.methods.get(id(node))
                method = of_class[1:] if of_class is not None and of_class[0] == owner else None
                visit(ast.walk(node), declared, False, method)
        return sorted(set(lines))

    def imports(self) -> Tuple[List[Imported], bool]:
        """The import statements its import can run (outside the main guard, in its functions too), and whether
        it imports by a name computed at run time (``importlib.import_module(name)``, ``exec``...)."""
        if self._imports is None:
            found: List[Imported] = []
            statements = [stmt for stmt in self.tree.body if not _is_main_guard(stmt)]
            for stmt in statements:
                for node in ast.walk(stmt):
                    if isinstance(node, (ast.Import, ast.ImportFrom)):
                        found.extend(_imported(node))
            self._imports = (found, _imports_dynamically_on_import(statements))
        return self._imports

    def runtime_imports(self, called: Iterable[str] = ()) -> List[Imported]:
        """The import statements of its run-time code: the main guard, and the functions run-time code calls."""
        nodes = [sub for stmt in self.guard_statements for sub in ast.walk(stmt)]
        for function in self.runtime_functions(called):
            for node in self.functions[function]:
                nodes.extend(ast.walk(node))
        found: List[Imported] = []
        for node in nodes:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.extend(_imported(node))
        return found

    def runtime_mutations(self, name: str, called: Iterable[str] = ()) -> List[int]:
        """Lines of run-time code (the main guard, the functions run-time code calls, tests and fixtures) that
        change module global ``name`` in place: ``name.append(...)``, ``name[key] = ...``, ``del name[key]``."""
        nodes = [sub for stmt in self.guard_statements for sub in ast.walk(stmt)]
        for function in self.runtime_functions(called):
            for node in self.functions[function]:
                nodes.extend(ast.walk(node))
        return sorted({line for node in nodes for line in _mutation_lines(node, name)})

    def import_time_mutates(self, name: str) -> bool:
        """Whether importing the file may change module global ``name`` in place: a statement outside the main
        guard and outside functions (class bodies and decorators run on import), or a function of the file
        that does so and is called there (a decorator that registers into it)."""
        mutating = {
            fname
            for fname, nodes in self.functions.items()
            if any(_mutation_lines(sub, name) for node in nodes for sub in ast.walk(node))
        }
        for node in _import_time_nodes(self.tree.body):
            if _mutation_lines(node, name):
                return True
            if isinstance(node, ast.Call) and _called_name(node) in mutating:
                return True
            if isinstance(node, ast.Name) and node.id in mutating and isinstance(node.ctx, ast.Load):
                return True  # a decorator, or a function handed to something that calls it
        return False

    def runtime_attribute_mutations(self, owner: str, attribute: str, called: Iterable[str] = ()) -> List[int]:
        """Lines of run-time code (as :meth:`runtime_mutations`) that change ``owner.attribute`` in place:
        ``Owner.table[key] = ...``, ``Owner.table.update(...)``, and in a method of the class named ``owner``
        through the class it is given (``cls.table[key] = ...`` in a classmethod)."""
        nodes: List[Tuple[ast.AST, Optional[Tuple[str, bool]]]] = [
            (sub, None) for stmt in self.guard_statements for sub in ast.walk(stmt)
        ]
        for function in self.runtime_functions(called):
            for node in self.functions[function]:
                of_class = self.methods.get(id(node))
                method = of_class[1:] if of_class is not None and of_class[0] == owner else None
                nodes.extend((sub, method) for sub in ast.walk(node))
        return sorted(
            {
                getattr(node, "lineno", 0)
                for node, method in nodes
                if _attribute_mutation(node, owner, attribute, method)
            }
        )

    def import_time_attribute_mutates(self, owner: str, attribute: str) -> bool:
        """Whether importing the file may change ``owner.attribute`` in place (see :meth:`import_time_mutates`):
        a statement its import runs, or a function or method of the file that does (through the class a method
        is given too) named by code its import runs (called, or a decorator: ``@Registry.add``)."""
        mutating = set()
        for name, nodes in self.functions.items():
            for node in nodes:
                of_class = self.methods.get(id(node))
                method = of_class[1:] if of_class is not None and of_class[0] == owner else None
                if any(_attribute_mutation(sub, owner, attribute, method) for sub in ast.walk(node)):
                    mutating.add(name)
        for node in _import_time_nodes(self.tree.body):
            if _attribute_mutation(node, owner, attribute, None):
                return True
            if isinstance(node, ast.Name) and node.id in mutating and isinstance(node.ctx, ast.Load):
                return True
            if isinstance(node, ast.Attribute) and node.attr in mutating and isinstance(node.ctx, ast.Load):
                return True
        return False

    def _functions_at(self, first_line: int) -> Iterator[ast.AST]:
        """The functions defined at ``first_line`` (a code object's ``co_firstlineno``: the ``def`` or its first
        decorator)."""
        for nodes in self.functions.values():
            for node in nodes:
                if first_line in [getattr(n, "lineno", 0) for n in (node, *getattr(node, "decorator_list", []))]:
                    yield node

    def function_tests_call(self, first_line: int, names: FrozenSet[str]) -> bool:
        """Whether the function defined at ``first_line`` has an ``if`` whose test calls one of ``names`` (``if
        os.getpid() == PARENT:``)."""
        return any(
            isinstance(inner, ast.If)
            and any(isinstance(c, ast.Call) and _called_name(c) in names for c in ast.walk(inner.test))
            for node in self._functions_at(first_line)
            for inner in ast.walk(node)
        )

    def function_reaps_any_child(self, first_line: int) -> bool:
        """Whether the function defined at ``first_line`` reaps whichever child ended (:data:`mpcheck.methods.
        REAPS_ANY_CHILD_NAMES`: ``os.wait()``, ``os.waitpid(-1, os.WNOHANG)``)."""
        for node in self._functions_at(first_line):
            for call in ast.walk(node):
                if not isinstance(call, ast.Call) or _called_name(call) not in REAPS_ANY_CHILD_NAMES:
                    continue
                position = REAPS_ANY_CHILD_NAMES[_called_name(call) or ""]
                if position is None or (len(call.args) > position and any_child_pid(_literal(call.args[position]))):
                    return True
        return False

    def only_under_fork(self, line: int) -> bool:
        """Whether ``line`` sits in the body of an ``if`` that asks whether the start method is fork
        (``if get_start_method() == "fork" and globvar:``, at's ``patpass()``): it runs only where the children
        inherit what it sets."""
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.If) or not node.body:
                continue
            first, last = node.body[0].lineno, getattr(node.body[-1], "end_lineno", None) or node.body[-1].lineno
            if first <= line <= last and _asks_fork(node.test):
                return True
        return False

    def registered_args(self, line: int, name: str) -> Optional[List[str]]:
        """The arguments after the handler (each dumped) of the one ``register(handler, ...)`` call at ``line``
        whose handler is named ``name``; None when there is no such call or it has keywords."""
        found = [
            n for n in ast.walk(self.tree)
            if isinstance(n, ast.Call) and getattr(n, "lineno", 0) == line and _called_name(n) == "register"
            and n.args and _name_of(n.args[0]) == name and not n.keywords
        ]  # fmt: skip
        return [ast.dump(a) for a in found[0].args[1:]] if len(found) == 1 else None

    def function_finally_calls(self, first_line: int, name: str, args: List[str]) -> bool:
        """Whether the function defined at ``first_line`` calls a function or method named ``name`` with the
        arguments ``args`` (dumped) in a ``finally:`` block (``finally: cov.save()``)."""
        return any(
            isinstance(inner, ast.Try)
            and any(
                isinstance(c, ast.Call) and _called_name(c) == name and not c.keywords
                and [ast.dump(a) for a in c.args] == args
                for stmt in inner.finalbody
                for c in ast.walk(stmt)
            )
            for node in self._functions_at(first_line)
            for inner in ast.walk(node)
        )  # fmt: skip

    def import_time_attribute_binds(self, owner: str, attribute: str) -> bool:
        """Whether importing the file may bind ``owner.attribute`` (``Settings.scale = 3``, ``setattr(Settings,
        "scale", 3)``): a statement its import runs, or a function of the file that does, named by code its
        import runs. Where it may, a fresh import has the attribute too."""
        binding = set()
        for name, nodes in self.functions.items():
            if any(_binds_attribute(sub, owner, attribute) for node in nodes for sub in ast.walk(node)):
                binding.add(name)
        for node in _import_time_nodes(self.tree.body):
            if _binds_attribute(node, owner, attribute):
                return True
            named = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
            if named in binding and isinstance(getattr(node, "ctx", None), ast.Load):
                return True
        return False

    def instance_made_on_import(self, name: str) -> Optional[Tuple[int, str]]:
        """(line, class name) where the file's import binds global ``name`` to a new instance of a class named in
        a call with no arguments (``config = Config()``), in a statement of its top level (no block), the
        name's only binding outside functions; None otherwise, and where its other import-time code uses the
        name at all (``config.x = 3``, ``register(config)``: what a fresh import gives is not that call's)."""
        value = self._only_assignment(name)
        if not (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and not value.args and not value.keywords
        ):
            return None
        made = (self.toplevel[name][0][0], value.func.id)
        uses = [node for node in _import_time_nodes(self.tree.body) if isinstance(node, ast.Name) and node.id == name]
        return made if len(uses) == 1 else None

    def made_unseeded(self, name: str) -> Optional[int]:
        """The line where the file's import binds global ``name``, its only binding outside functions, to what a
        call with no seed makes (``rng = random.Random()``, ``default_rng(None)``: a generator seeded from the
        OS); None otherwise (a seed given: every fresh import makes the same state)."""
        value = self._only_assignment(name)
        if isinstance(value, ast.Call) and all(
            isinstance(v, ast.Constant) and v.value is None for v in [*value.args, *(k.value for k in value.keywords)]
        ):
            return self.toplevel[name][0][0]
        return None

    def instance_literal(self, class_name: str, attribute: str) -> Optional[Tuple[int, Any]]:
        """(line, literal) of ``attribute`` on a new instance of the file's top-level class ``class_name`` made with
        no arguments, where the file alone settles it: the class (no base, decorator or keyword) has no
        ``__init__``, or one (undecorated) that uses its ``self`` only to assign its attributes
        (``self.x = ...``: no method call, ``vars(self)``, ``setattr(self, ...)``), and either assigns
        ``self.attribute`` a literal once, in a statement of its own body (no block), or never assigns it
        while the class body binds it to a literal once. None: not settled."""
        classes = [s for s in self.tree.body if isinstance(s, ast.ClassDef) and s.name == class_name]
        if len(classes) != 1:
            return None
        node = classes[0]
        if node.bases or node.keywords or node.decorator_list:
            return None
        functions = [stmt for stmt in node.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))]
        inits = [stmt for stmt in functions if stmt.name == "__init__"]
        if len(inits) > 1:
            return None
        stores: List[ast.AST] = []
        if inits:
            init = inits[0]
            first = _first_parameter(init)
            if not isinstance(init, ast.FunctionDef) or init.decorator_list or first is None:
                return None
            targets = {
                id(sub.value): sub
                for sub in ast.walk(init)
                if isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store) and isinstance(sub.value, ast.Name)
            }
            for sub in ast.walk(init):
                if isinstance(sub, ast.Name) and sub.id == first:
                    target = targets.get(id(sub))
                    if target is None:
                        return None  # self used otherwise: what it does is not read here
                    if target.attr == attribute:
                        stores.append(target)
            if stores:
                if len(stores) != 1:
                    return None
                for stmt in init.body:
                    value = (
                        stmt.value
                        if (isinstance(stmt, ast.Assign) and stmt.targets == [stores[0]])
                        or (isinstance(stmt, ast.AnnAssign) and stmt.target is stores[0])
                        else None
                    )
                    if value is not None:
                        literal = _literal(value)
                        return None if literal is NOT_LITERAL else (stmt.lineno, literal)
                return None  # assigned inside a block, or with other targets
        in_body = self.class_attrs.get((class_name, attribute), [])
        if len(in_body) != 1 or in_body[0][1] is NOT_LITERAL:
            return None
        return in_body[0]

    def attribute_setters(self, owner: str, attribute: str) -> Set[str]:
        """The names of the file's functions (and methods) whose code assigns ``owner.attribute`` (or calls
        ``setattr(owner, "attribute", ...)``), nested functions included."""
        found: Set[str] = set()
        for name, nodes in self.functions.items():
            for node in nodes:
                for sub in ast.walk(node):
                    if (
                        isinstance(sub, ast.Attribute)
                        and isinstance(sub.ctx, ast.Store)
                        and sub.attr == attribute
                        and isinstance(sub.value, ast.Name)
                        and sub.value.id == owner
                    ) or (isinstance(sub, ast.Call) and _is_setattr(sub, owner, attribute)):
                        found.add(name)
        return found

    def lazy_getter(self, name: str, first_line: int) -> Optional[Tuple[Optional[str], str, str, int]]:
        """The file's function ``name`` (its code starting at ``first_line``) as a lazy getter: its body (after a
        docstring) is ``if X is None:`` (or ``if not X:``) with the one statement ``X = SomeClass(...)``, then
        ``return X``, where ``X`` is a global it declares (``global X``) or an attribute of a name
        (``Config._instance``, ``cls._instance``). (the attribute's owner as written or None for a global, the
        global's or attribute's name, the class called, the line of the store); None otherwise."""
        for node in self.functions.get(name, []):
            starts = {getattr(node, "lineno", 0), *(d.lineno for d in getattr(node, "decorator_list", []))}
            if isinstance(node, ast.FunctionDef) and first_line in starts:
                return _lazy_getter(node)
        return None

    def called_on_import(self, name: str) -> bool:
        """Whether the file's import calls a function or method named ``name`` (outside functions and the guard)."""
        return any(
            isinstance(node, ast.Call) and _called_name(node) == name for node in _import_time_nodes(self.tree.body)
        )

    def global_setters(self, name: str) -> Set[str]:
        """The names of the file's functions that declare ``global name`` and assign it."""
        found: Set[str] = set()
        for function, nodes in self.functions.items():
            for node in nodes:
                declared = any(isinstance(sub, ast.Global) and name in sub.names for sub in ast.walk(node))
                if declared and any(
                    isinstance(t, ast.Name) and t.id == name for sub in ast.walk(node) for t in _targets(sub)
                ):
                    found.add(function)
        return found

    def self_assignments(self, class_name: str, attribute: str) -> List[int]:
        """Lines where a method of class ``class_name`` assigns ``self.attribute``."""
        lines = []
        for node in ast.walk(self.tree):
            if not (isinstance(node, ast.ClassDef) and node.name == class_name):
                continue
            for sub in ast.walk(node):
                if isinstance(sub, (ast.Assign, ast.AnnAssign)):
                    targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
                    for target in targets:
                        if (
                            isinstance(target, ast.Attribute)
                            and target.attr == attribute
                            and isinstance(target.value, ast.Name)
                            and target.value.id == "self"
                        ):
                            lines.append(sub.lineno)
        return sorted(set(lines))


_SETUP_NAMES = {
    "setUp", "tearDown", "setUpClass", "tearDownClass", "asyncSetUp", "asyncTearDown", "setup_method",
    "teardown_method", "setup_function", "teardown_function", "setup_module", "teardown_module", "setup_class",
    "teardown_class",
}  # fmt: skip


def _is_fixture(node: ast.AST) -> bool:
    for decorator in getattr(node, "decorator_list", []):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name in ("fixture", "yield_fixture"):
            return True
    return False


#: methods that change a container in place
MUTATORS = frozenset(
    ("update", "setdefault", "append", "add", "extend", "insert", "__setitem__", "clear", "pop", "popitem",
     "remove", "discard", "sort", "reverse", "__delitem__")
)  # fmt: skip


def _mutation_lines(node: ast.AST, name: str) -> List[int]:
    """The line where ``node`` changes global ``name`` in place, if it does."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in MUTATORS and isinstance(func.value, ast.Name):
            return [node.lineno] if func.value.id == name else []
    elif (
        isinstance(node, ast.Subscript)
        and isinstance(node.ctx, (ast.Store, ast.Del))
        and isinstance(node.value, ast.Name)
        and node.value.id == name
    ):
        return [node.lineno]
    return []


def _attribute_mutation(node: ast.AST, owner: str, attribute: str, method: Optional[Tuple[str, bool]]) -> bool:
    """``node`` changes ``owner.attribute`` in place (``owner`` by name, or, in a method of that class given as
    ``method``, the class it is given)."""
    if isinstance(node, ast.Call):
        func = node.func
        table = func.value if isinstance(func, ast.Attribute) and func.attr in MUTATORS else None
    elif isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
        table = node.value
    else:
        return False
    if not (isinstance(table, ast.Attribute) and table.attr == attribute):
        return False
    holder = table.value
    return (isinstance(holder, ast.Name) and holder.id == owner) or (
        method is not None and _is_the_class(holder, *method)
    )


def _binds_attribute(node: ast.AST, owner: str, attribute: str) -> bool:
    """``node`` binds ``owner.attribute``: an assignment to it, or ``setattr(owner, "attribute", ...)``."""
    if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
        return node.attr == attribute and isinstance(node.value, ast.Name) and node.value.id == owner
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
        args = node.args
        return (
            len(args) >= 2 and isinstance(args[0], ast.Name) and args[0].id == owner
            and isinstance(args[1], ast.Constant) and args[1].value == attribute
        )  # fmt: skip
    return False


def _lazy_getter(function: ast.FunctionDef) -> Optional[Tuple[Optional[str], str, str, int]]:
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if len(body) != 2 or not isinstance(body[0], ast.If) or not isinstance(body[1], ast.Return):
        return None
    test, (store, returned) = body[0].test, (body[0].body, body[1].value)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        held = test.operand
    elif (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Is)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        held = test.left
    else:
        return None
    if body[0].orelse or len(store) != 1 or not isinstance(store[0], ast.Assign) or len(store[0].targets) != 1:
        return None
    made = store[0].value
    if not (isinstance(made, ast.Call) and isinstance(made.func, ast.Name)):
        return None
    shown = ast.unparse(held)  # (not ast.dump: 3.15's leaves out a default ctx=Load())
    if ast.unparse(store[0].targets[0]) != shown or returned is None or ast.unparse(returned) != shown:
        return None
    if isinstance(held, ast.Name):
        if not any(isinstance(s, ast.Global) and held.id in s.names for s in ast.walk(function)):
            return None
        return None, held.id, made.func.id, store[0].lineno
    if isinstance(held, ast.Attribute) and isinstance(held.value, ast.Name):
        return held.value.id, held.attr, made.func.id, store[0].lineno
    return None


def _import_time_nodes(body: Iterable[ast.stmt]) -> Iterator[ast.AST]:
    """Every node the file's import runs: outside the main guard and outside function bodies (their
    decorators and default values run)."""
    todo: List[ast.AST] = [stmt for stmt in body if not _is_main_guard(stmt)]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            todo.extend(node.decorator_list)
            todo.extend(node.args.defaults)
            todo.extend(d for d in node.args.kw_defaults if d is not None)
        elif isinstance(node, ast.Lambda):
            todo.extend(node.args.defaults)
        else:
            todo.extend(ast.iter_child_nodes(node))


def _imported(node: ast.AST) -> List[Imported]:
    if isinstance(node, ast.Import):
        return [(0, alias.name, None, node.lineno) for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        names = tuple(alias.name for alias in node.names if alias.name != "*")
        return [(node.level or 0, node.module, names, node.lineno)]
    return []


def _asks_fork(test: ast.expr) -> bool:
    """``get_start_method() == "fork"`` (either way round), alone or as an operand of an ``and``."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_asks_fork(value) for value in test.values)
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(c, ast.Constant) and c.value == "fork" for c in sides) and any(
        isinstance(c, ast.Call) and _called_name(c) == "get_start_method" for c in sides
    )


def _name_of(expr: ast.expr) -> Optional[str]:
    return expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else None


def _called_name(call: ast.Call) -> Optional[str]:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _first_parameter(function: ast.AST) -> Optional[str]:
    arguments = getattr(function, "args", None)
    positional = [*getattr(arguments, "posonlyargs", []), *getattr(arguments, "args", [])]
    return positional[0].arg if positional else None


def _method_kind(function: ast.AST) -> Optional[str]:
    """ "classmethod", "method" (a plain one: its first parameter is the instance), or None (a staticmethod,
    or a decorator that may change what the first parameter is)."""
    names = [d.id if isinstance(d, ast.Name) else None for d in getattr(function, "decorator_list", [])]
    if not names:
        return "method"
    if names == ["classmethod"]:
        return "classmethod"
    return None


def _is_the_class(node: ast.AST, first: str, is_classmethod: bool) -> bool:
    """``node`` is the class a method is given: its ``cls``, or ``type(self)``/``self.__class__``."""
    if is_classmethod:
        return isinstance(node, ast.Name) and node.id == first
    if isinstance(node, ast.Attribute) and node.attr == "__class__":
        return isinstance(node.value, ast.Name) and node.value.id == first
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "type"
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id == first
    )


def _is_setattr(call: ast.Call, owner: str, name: str) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Name)
        and func.id == "setattr"
        and len(call.args) >= 2
        and isinstance(call.args[0], ast.Name)
        and call.args[0].id == owner
        and isinstance(call.args[1], ast.Constant)
        and call.args[1].value == name
    )
