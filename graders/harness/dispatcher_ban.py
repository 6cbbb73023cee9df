"""Refuses banned torch functions at torch's dispatcher, before learner code loads.

Copied into the sandbox (as `protocol.DISPATCHER_BAN_FILE`) and used by a harness
that shares its process with learner code. Every Python alias of a torch function
(`F.layer_norm`, `torch.layer_norm`, `torch._VF`, `torch._C._VariableFunctions`,
`torch.ops.aten`, `nn.LayerNorm`, TorchScript, vmap) ends at one aten operator in
the dispatcher; this module overrides that operator, through the C++ library
registration `torch.library.Library("aten", "IMPL")` uses, for every dispatch key
that has a kernel (CPU, CUDA, CompositeExplicitAutograd, Autograd, nested, batched,
autocast...), with a kernel that refuses. Python mirrors of the same operator
(`torch._refs`, `torch._decomp`) are replaced by the same refusal.

This is a best-effort layer, not the proof: the learner runs in this process and
with enough introspection (`ctypes`, `gc`) can undo anything done here. It raises
the cost of a bypass from "call another alias" to "rewrite the interpreter", and
the judge backs it with checks the learner cannot reach (the bit-identical
reference check and the static scan in `graders/`). The registration handle is
leaked on purpose (no Python object refers to it, and it is not tracked by `gc`),
so it cannot be found and reset.

API (stdlib + torch only; the kernel harness of the GPU grader reuses it):

    aten_ops_for("torch.nn.functional.layer_norm")
        -> ["layer_norm", "native_layer_norm", "native_layer_norm_backward"]
    install(["torch.nn.functional.layer_norm", ...]) -> {"native_layer_norm": "torch.nn...", ...}
        Call once, after torch is imported and warmed up and before the learner's
        module is imported. There is no uninstall: compute or time a reference
        before calling it. A banned call writes the protocol's
        `<BANNED_MARKER> uses banned function <name>` on fd 2 and ends the process
        with its BANNED_EXIT_CODE at once (`os._exit`, so no `try` in learner code
        can swallow it); pass `on_hit` to do something else (it must not return
        normally if the call is to stay refused).

`<name>` is always one of the names passed to `install`, so the judge, which
believes only names on the problem's own list, reports it.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

import gradebox_protocol as wire

# Dispatch keys never overridden: aliases torch registers differently, or keys whose
# kernels are plumbing rather than an implementation of the operator.
_SKIPPED_KEYS = frozenset({"EndOfDenseBackends", "Undefined", "CatchAll"})
# Keys always overridden, even where no kernel is registered yet (a CUDA build
# registers CUDA kernels this CPU build lacks).
_ALWAYS_KEYS = ("CPU", "CUDA", "CompositeExplicitAutograd", "Autograd")
# Python modules that hold Python implementations of aten operators.
_PYTHON_MIRRORS = ("torch._refs", "torch._refs.nn.functional", "torch._decomp.decompositions")

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _torch() -> Any:
    torch = sys.modules.get("torch")
    if torch is None:
        import torch
    return torch


def _aten_names() -> frozenset[str]:
    """The aten operator names (without overload) registered in this process."""
    torch = _torch()
    return frozenset(
        name.removeprefix("aten::").split(".")[0]
        for name in torch._C._dispatch_get_all_op_names()
        if name.startswith("aten::")
    )


def aten_ops_for(dotted: str) -> list[str]:
    """The aten operators behind a banned torch name; [] for a name that is not torch's.

    The last component names the operator (`torch.ops.aten.native_layer_norm`,
    `torch._VF.layer_norm`; a module class `torch.nn.LayerNorm` becomes
    `layer_norm`), and its family comes with it: the `native_`/`_` implementation
    it decomposes into and their backward kernels, so that banning the public
    function also bans calling its implementation and its derivative directly.
    """
    parts = dotted.split(".")
    if parts[0] != "torch" or len(parts) < 2:
        return []
    base = _CAMEL.sub("_", parts[-1]).lower()
    if base.endswith(("_default", "_out")) and len(parts) > 2:
        base = _CAMEL.sub("_", parts[-2]).lower()
    stem = base.removeprefix("native_").lstrip("_")
    candidates = [
        base,
        stem,
        f"native_{stem}",
        f"_{stem}",
        f"{stem}_backward",
        f"native_{stem}_backward",
        f"_{stem}_backward",
        f"_{stem}_backward_data",
    ]
    known = _aten_names()
    found: list[str] = []
    for op in candidates:
        if op not in found and op in known:
            found.append(op)
    return found


def _keys_with_kernels(op: str) -> list[str]:
    torch = _torch()
    keys = torch._C.DispatchKey
    present = [
        name
        for name in keys.__members__
        if name not in _SKIPPED_KEYS
        and torch._C._dispatch_has_kernel_for_dispatch_key(f"aten::{op}", getattr(keys, name))
    ]
    return list(dict.fromkeys([*_ALWAYS_KEYS, *present]))


def _default_hit(
    name: str,
    _write: Callable[[int, bytes], int] = os.write,
    _exit: Callable[[int], Any] = os._exit,
    _marker: str = wire.BANNED_MARKER,
    _code: int = wire.BANNED_EXIT_CODE,
) -> NoReturn:
    # `os.write`/`os._exit` and the protocol's marker and code are bound at import,
    # before learner code could replace them.
    try:
        sys.stderr.flush()
    except Exception:  # noqa: BLE001,S110 - the learner may have broken sys.stderr
        pass
    _write(2, f"\n{_marker} uses banned function {name}\n".encode())
    _exit(_code)
    raise SystemExit(_code)  # only if `_exit` was tampered with


def _refuser(name: str, on_hit: Callable[[str], Any]) -> Callable[..., Any]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        on_hit(name)
        raise RuntimeError(f"uses banned function {name}")

    return refuse


def _leak(handle: Any) -> None:
    """Keep `handle` alive with no Python reference to it (so `gc` cannot find it)."""
    import ctypes

    ctypes.pythonapi.Py_IncRef(ctypes.py_object(handle))


def _mirror(op: str, refuse: Callable[..., Any]) -> None:
    """Replace Python implementations of `op` (torch._refs, torch._decomp) by `refuse`."""
    for module_name in _PYTHON_MIRRORS:
        module = sys.modules.get(module_name)
        if module is not None and hasattr(module, op):
            try:
                setattr(module, op, refuse)
            except (AttributeError, TypeError):
                pass
    decomp = sys.modules.get("torch._decomp")
    table = getattr(decomp, "decomposition_table", None)
    if isinstance(table, dict):
        for overload in list(table):
            if getattr(overload, "__name__", "").split(".")[0] == op:
                table[overload] = refuse


def install(banned: Iterable[str], *, on_hit: Callable[[str], Any] | None = None) -> dict[str, str]:
    """Refuse the aten operators behind each torch name in `banned`.

    Names that are not torch's (`numpy.linalg.inv`) or map to no operator are
    ignored here (the harness's Python stubs cover them). Returns each overridden
    operator with the banned name it reports.
    """
    torch = _torch()
    hit = on_hit or _default_hit
    names = list(banned)
    families = {name: aten_ops_for(name) for name in names}
    reported: dict[str, str] = {}
    for name in names:  # a name that is the operator itself reports it...
        if families[name] and families[name][0] == _CAMEL.sub("_", name.split(".")[-1]).lower():
            reported.setdefault(families[name][0], name)
    for name in names:  # ...and the first name whose family includes it otherwise
        for op in families[name]:
            reported.setdefault(op, name)
    if not reported:
        return reported
    frame = sys._getframe(0)
    handle = torch._C._dispatch_library(
        "IMPL", "aten", "", frame.f_code.co_filename, frame.f_lineno
    )
    with warnings.catch_warnings():
        # torch warns once per override ("Overriding a previously registered kernel").
        warnings.simplefilter("ignore")
        for op, name in reported.items():
            refuse = _refuser(name, hit)
            for key in _keys_with_kernels(op):
                try:
                    handle.impl(op, key, refuse, False)
                except RuntimeError:
                    continue  # a key this operator refuses to take an override for
            _mirror(op, refuse)
    _leak(handle)
    del handle
    return reported
