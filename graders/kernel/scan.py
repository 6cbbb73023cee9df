"""An advisory static scan of a kernel submission, for instructors' eyes.

It proves nothing (code can be built at run time: `getattr(torch, "layer" + "_norm")`,
`exec`, a second file), and it never changes a verdict: the rules are enforced at the
dispatcher, by the launch counter, and by the judge's own checks. What it does is point
a reviewer at the places the known exploits live (KernelBench and GPU MODE's red-team
findings): calls of the reference, side streams, threads, tensor subclasses, timer and
`Event` patches, `gc`/frame introspection, dispatcher libraries, and try/except
fallbacks around kernel launches.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

REFERENCE_NAMES = frozenset({"layer_norm", "native_layer_norm", "native_layer_norm_backward",
                             "LayerNorm", "group_norm", "batch_norm"})  # fmt: skip
STREAM_NAMES = frozenset({"Stream", "stream", "set_stream", "ExternalStream", "current_stream"})
TIMER_NAMES = frozenset({"Event", "elapsed_time", "synchronize", "perf_counter", "time",
                         "monotonic", "record", "do_bench"})  # fmt: skip
INTROSPECTION = frozenset({"_getframe", "f_back", "f_locals", "f_globals", "__globals__",
                           "get_objects", "get_referrers", "_destroy", "settrace",
                           "setprofile"})  # fmt: skip
MODULES = {
    "threading": "threads",
    "multiprocessing": "threads",
    "concurrent": "threads",
    "gc": "introspection",
    "inspect": "introspection",
    "ctypes": "introspection",
    "subprocess": "processes",
    "os": "processes",
}


# What each category points a reviewer at (the instructor view shows it next to the line).
WHY = {
    "reference": "names the reference operator (calls it instead of a kernel?)",
    "streams": "a side stream: work the timed stream's events do not see",
    "threads": "a thread or process: work outside the timed call",
    "processes": "another process or the OS: work outside the timed call",
    "subclass": "a tensor subclass: a lazy output the check would compute, not the kernel",
    "timer": "touches the timer (patched Event/elapsed_time/synchronize fake the time)",
    "patch": "assigns a library attribute (a patched timer or reference)",
    "introspection": "reads frames or live objects (finds the judge's originals)",
    "dispatcher": "registers dispatcher kernels (replaces the guarded ops)",
    "fallback": "try/except around a launch hides a failing kernel behind a fallback",
    "dynamic": "builds names at run time (hides any of the above from this scan)",
}


@dataclass(frozen=True)
class Finding:
    line: int
    category: str  # reference | streams | threads | subclass | timer | introspection | ...
    detail: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.category}: {self.detail}"


def scan(source: str) -> list[Finding]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    findings: list[Finding] = []

    def add(node: ast.AST, category: str, detail: str) -> None:
        findings.append(Finding(getattr(node, "lineno", 0), category, detail))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names]
            for name in names:
                top = name.split(".")[0]
                if top in MODULES:
                    add(node, MODULES[top], f"imports {name}")
                if "library" in name.split("."):
                    add(node, "dispatcher", f"imports {name}")
        elif isinstance(node, ast.Attribute):
            _attribute(node, add)
        elif isinstance(node, ast.ClassDef):
            for base in node.bases:
                text = ast.unparse(base)
                if text.endswith("Tensor"):
                    add(node, "subclass", f"class {node.name}({text})")
        elif isinstance(node, ast.FunctionDef) and node.name in (
            "__torch_function__",
            "__torch_dispatch__",
        ):
            add(node, "subclass", f"defines {node.name}")
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute):
                    text = ast.unparse(target)
                    if text.startswith(("torch.", "time.", "triton.", "F.")):
                        add(node, "patch", f"assigns {text}")
        elif isinstance(node, ast.Try) and node.handlers:
            add(node, "fallback", "try/except (a fallback around a launch hides failures)")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in ("exec", "eval", "compile", "__import__", "getattr", "setattr"):
                add(node, "dynamic", f"calls {node.func.id}")
    return sorted(set(findings), key=lambda f: (f.line, f.category, f.detail))


def _attribute(node: ast.Attribute, report: Callable[[ast.AST, str, str], None]) -> None:
    attr = node.attr
    if attr in REFERENCE_NAMES:
        report(node, "reference", ast.unparse(node))
    elif attr in STREAM_NAMES and "cuda" in ast.unparse(node.value):
        report(node, "streams", ast.unparse(node))
    elif attr in TIMER_NAMES and ast.unparse(node.value).split(".")[0] in ("torch", "time"):
        report(node, "timer", ast.unparse(node))
    elif attr in INTROSPECTION:
        report(node, "introspection", ast.unparse(node))
    elif attr == "_make_subclass":
        report(node, "subclass", ast.unparse(node))


def scan_dicts(source: str) -> list[dict[str, Any]]:
    """The findings in the instructor view's shape (`line`, `rule`, `name`, `why`), like
    `graders.static_scan.scan_dicts`; the rule is prefixed `kernel:` to say which scan."""
    return [
        {"line": f.line, "rule": f"kernel:{f.category}", "name": f.detail,
         "why": WHY.get(f.category, "advisory")}
        for f in scan(source)
    ]  # fmt: skip
