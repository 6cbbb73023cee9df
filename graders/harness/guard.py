"""Blocks imports of modules a problem bans, from inside the learner's process.

Copied into the sandbox (as `protocol.GUARD_FILE`, next to the protocol module it
imports) and imported by a harness *before* the learner's code. An audit hook cannot
be removed once installed (PEP 578). This is a rule of the exercise ("write the
backward pass without torch"), not the security boundary: the sandbox is. A violation
raises `BannedModuleError`; the harness reports it on stderr with the protocol's
banned marker and exit code, which the judge turns into a distinct message. A library
that tolerates a missing module (NumPy's optional `import ctypes`) simply sees an
ImportError.

`importlib.import_module("ctypes")` raises no "import" audit event for the top
module itself, but the module's own imports do: banning `ctypes` also bans its C
half `_ctypes`, so that route fails too.
"""

from __future__ import annotations

import sys

import gradebox_protocol as wire

TYPE_CHECKING = False
if TYPE_CHECKING:  # not at run time: every stdio test's process would import `typing`
    from collections.abc import Iterable
    from typing import Any


class BannedModuleError(ImportError):
    pass


def install(banned: Iterable[str], preload: Iterable[str] = ()) -> None:
    """Ban `banned` top-level modules; modules in `preload` are imported first.

    Preloading lets allowed libraries use a banned helper internally (torch imports
    ctypes); the cached entries are then dropped so the learner's own `import`
    goes through the import system again and meets the hook.
    """
    banned_set = frozenset(banned)
    for name in preload:
        try:
            __import__(name)
        except ImportError:
            pass
    for name in list(sys.modules):
        top = name.split(".")[0]
        if top in banned_set or top.lstrip("_") in banned_set:
            del sys.modules[name]

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event != "import" or not args:
            return
        top = str(args[0]).split(".")[0]
        if top in banned_set or top.lstrip("_") in banned_set:
            raise BannedModuleError(f"uses banned module {top.lstrip('_')}")

    sys.addaudithook(hook)


def report_and_exit(exc: BaseException) -> None:
    sys.stderr.write(f"\n{wire.BANNED_MARKER} {exc}\n")
    sys.stderr.flush()
    raise SystemExit(wire.BANNED_EXIT_CODE)
