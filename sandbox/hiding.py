"""Banned modules as absence: which paths of a sandbox's view a session covers.

A problem that bans a module (`torch` in a NumPy exercise, `ctypes`) gets a session
in which the module's files are not there: an empty, root-owned mount over each
package folder (holding only an `__init__.py` that raises ModuleNotFoundError, since
an empty folder alone would import as a namespace package) and over each file
module. Nothing in the learner's process can undo a mount, so `import torch` fails
however it is reached: `importlib`, `__import__`, `sys.path` edits, `runpy`, a
loader pointed at the file by path.

Each name also hides its C half (`_ctypes` for `ctypes`) and the aliases below that
would give the same power under another name. The folders searched are the agent's
`MODULE_DIRS` (every place the sandbox's Python could look, not only `sys.path`,
since a learner can extend `sys.path`). Backends turn the result into mounts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sandbox.errors import SandboxError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Banning the first also hides these: other doors to what it gives.
ALIASES: dict[str, tuple[str, ...]] = {
    "ctypes": ("_ctypes", "cffi", "_cffi_backend"),
}


@dataclass(frozen=True, slots=True)
class HiddenPath:
    """One entry of the sandbox's view to cover (paths as the sandbox sees them)."""

    path: str
    is_dir: bool
    module: str  # the top-level name it belongs to (for the tombstone's message)


def module_names(modules: Iterable[str]) -> list[str]:
    """Top-level names to hide for the banned `modules` (dotted names are function
    bans, enforced elsewhere, and are skipped)."""
    names: list[str] = []
    for module in modules:
        if "." in module:
            continue
        if not _NAME.match(module):
            raise SandboxError(f"not a module name: {module!r}")
        names += [module, f"_{module}", *ALIASES.get(module, ())]
    return list(dict.fromkeys(names))


def entry_module(path: str, names: Sequence[str]) -> str:
    """Which of `names` a found entry (`.../torch`, `.../_ctypes.cpython-311-...so`) is."""
    base = path.rstrip("/").rsplit("/", 1)[-1]
    for name in sorted(names, key=len, reverse=True):
        if base == name or base.startswith(name + "."):
            return name
    return base
