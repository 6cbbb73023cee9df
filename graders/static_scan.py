"""An advisory scan of a Python submission for banned names and the introspection a
bypass of the in-process bans needs.

It decides nothing: a finding is a pointer for an instructor reviewing a submission
(shown in the submission detail to instructors and admins only, never to learners,
who would learn from it what to obfuscate). The enforcement is elsewhere: module
bans in the sandbox's filesystem view, function bans at torch's dispatcher, and the
judge's bit-identical reference check. A determined learner can hide any of these
names (`getattr(m, "g" + "c")`), so "no findings" proves nothing either; a dynamic
attribute lookup or `eval`/`exec` is itself a finding for that reason.
"""

from __future__ import annotations

import ast
from dataclasses import asdict, dataclass
from typing import Any

MAX_FINDINGS = 50

# Modules whose import is the first step of a bypass (introspection, native code,
# another interpreter that loads no ban).
_MODULES: dict[str, str] = {
    "gc": "walks every live object (finds the originals behind stubs)",
    "inspect": "reads frames and closures",
    "ctypes": "native memory access",
    "_ctypes": "native memory access",
    "cffi": "native memory access",
    "importlib": "re-imports or reloads modules",
    "imp": "re-imports or reloads modules",
    "builtins": "rewrites built-in functions",
    "subprocess": "runs another interpreter, where no ban is installed",
    "multiprocessing": "runs another interpreter, where no ban is installed",
    "pickle": "rebuilds objects by reference",
    "marshal": "builds code objects",
    "types": "builds functions and code objects",
    "sysconfig": "finds the runtime's files",
}
# Attributes (the last part of a dotted access) used to reach past a stub or the guard.
_ATTRIBUTES: dict[str, str] = {
    "modules": "sys.modules holds every loaded module, the guard's included",
    "_getframe": "reads the harness's frames",
    "f_back": "reads the calling frame",
    "f_globals": "reads a frame's globals",
    "f_locals": "reads a frame's locals",
    "f_builtins": "reads a frame's builtins",
    "tb_frame": "reads a traceback's frames",
    "gi_frame": "reads a generator's frame",
    "__globals__": "reads a function's module namespace",
    "__closure__": "reads a function's captured variables",
    "cell_contents": "rewrites a captured variable",
    "__code__": "replaces a function's code",
    "__defaults__": "rewrites a function's default arguments",
    "__subclasses__": "walks the class hierarchy",
    "__builtins__": "rewrites built-in functions",
    "__dict__": "reads or rewrites a namespace directly",
    "addaudithook": "audit hooks",
    "executable": "the interpreter's path, to start another one",
    "system": "runs a shell command",
    "popen": "runs a shell command",
    "fork": "starts a process",
    "execv": "replaces the process",
    "execve": "replaces the process",
    "spawnv": "starts a process",
    "_exit": "ends the process without the harness's reporting",
    "library": "torch.library: registers or overrides dispatcher kernels",
    "_C": "torch._C: torch's native functions, behind the Python aliases",
    "_VF": "torch._VF: torch's native functions",
    "ops": "torch.ops: dispatcher operators by name",
    "_refs": "torch._refs: Python implementations of torch operators",
    "_decomp": "torch._decomp: Python decompositions of torch operators",
    "_prims": "torch._prims: primitives of the decompositions",
    "compile": "torch.compile: code generation from decompositions",
    "jit": "TorchScript: another route to dispatcher operators",
    "_jit_get_operation": "TorchScript's operator table",
    "_dispatch_library": "registers dispatcher kernels",
}
_CALLS: dict[str, str] = {
    "__import__": "imports by a computed name",
    "eval": "runs computed code",
    "exec": "runs computed code",
    "compile": "builds code from text",
    "globals": "reads the module namespace",
    "vars": "reads a namespace",
    "setattr": "rewrites an attribute (a module's, a stub's)",
    "delattr": "removes an attribute",
    "open": "reads or writes a file (the harness's, /proc)",
}


@dataclass(frozen=True)
class Finding:
    line: int
    rule: str  # "banned" | "import" | "attribute" | "call" | "dynamic"
    name: str
    why: str


def _banned_terms(banned: list[str]) -> dict[str, str]:
    """Last components of the banned names (and their CamelCase module class)."""
    terms: dict[str, str] = {}
    for entry in banned:
        last = entry.split(".")[-1]
        terms[last] = entry
        if "." in entry:
            terms["".join(part.capitalize() for part in last.split("_"))] = entry
    return terms


class _Scanner(ast.NodeVisitor):
    def __init__(self, banned: list[str]) -> None:
        self.findings: list[Finding] = []
        self.banned_modules = {entry for entry in banned if "." not in entry}
        self.banned_terms = _banned_terms(banned)

    def add(self, node: ast.AST, rule: str, name: str, why: str) -> None:
        self.findings.append(Finding(getattr(node, "lineno", 0), rule, name, why))

    def _module(self, node: ast.AST, module: str) -> None:
        top = module.split(".")[0]
        if top in self.banned_modules:
            self.add(node, "banned", module, "imports a banned module")
        elif top in _MODULES:
            self.add(node, "import", module, _MODULES[top])

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._module(node, alias.name)
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module:
            self._module(node, node.module)
        for alias in node.names:
            self._name(node, alias.name)
        self.generic_visit(node)

    def _name(self, node: ast.AST, name: str) -> None:
        if name in self.banned_terms:
            self.add(node, "banned", name, f"names the banned {self.banned_terms[name]}")
        elif name in _ATTRIBUTES:
            self.add(node, "attribute", name, _ATTRIBUTES[name])

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self._name(node, node.attr)
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in self.banned_terms or node.id == "__builtins__":
            self._name(node, node.id)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            for term, entry in self.banned_terms.items():
                if term in node.value and len(term) > 3:
                    self.add(node, "banned", term, f"a string naming the banned {entry}")
                    break
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name):
            if func.id in _CALLS:
                self.add(node, "call", func.id, _CALLS[func.id])
            if func.id == "getattr" and len(node.args) >= 2:
                if not isinstance(node.args[1], ast.Constant):
                    self.add(node, "dynamic", "getattr", "an attribute looked up by computed name")
        self.generic_visit(node)


def scan(source: str, banned: list[str]) -> list[Finding]:
    """Findings in line order, at most MAX_FINDINGS; [] for source that does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    scanner = _Scanner(banned)
    try:
        scanner.visit(tree)
    except RecursionError:
        scanner.add(tree, "dynamic", "nesting", "code nested too deeply to scan")
    unique = {(f.line, f.rule, f.name): f for f in scanner.findings}
    return sorted(unique.values(), key=lambda f: (f.line, f.rule, f.name))[:MAX_FINDINGS]


def scan_dicts(source: str, banned: list[str]) -> list[dict[str, Any]]:
    return [asdict(finding) for finding in scan(source, banned)]
