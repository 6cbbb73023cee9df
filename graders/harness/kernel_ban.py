"""Refuses banned aten operators at torch's dispatcher, before learner code loads.

Copied into the sandbox as `gradebox_kernel_ban.py`. Python-level stubs
(`F.layer_norm = stub`) miss every other route to the same kernel
(`torch.ops.aten.native_layer_norm`, `torch._C._VariableFunctions`, a
TorchScript or `torch.compile` graph); all of them end at the dispatcher, so the
ban registers, through `torch.library.Library("aten", "IMPL")`, a kernel that
refuses for each dispatch key a call can arrive by (the backend keys, autograd
and the composite keys). A refused call is recorded even when the learner
catches the error, and the harness reports it at the end.

A learner in the same process can still reach the Library object (through `gc`)
and destroy it, which restores the real kernels: this is a layer, not the proof.
The judge's own process refuses outputs bit-identical to torch's layer norm
(`graders.kernel.reference_check`), which no in-process trick can hide.

`lifted()` suspends the ban for the harness's own reference timing (GPU mode):
the real kernels come back only while no other Python thread exists.
"""

from __future__ import annotations

import contextlib
import threading
import warnings
from collections.abc import Iterator
from typing import Any

# Dispatch keys a banned operator is refused on. CompositeImplicitAutograd covers
# ops (aten::layer_norm) that have no backend kernel of their own.
BACKEND_KEYS = ("CPU", "CUDA", "Autograd", "AutogradCPU", "AutogradCUDA", "Meta")
COMPOSITE_KEYS = ("CompositeImplicitAutograd",)


class BannedOperatorError(RuntimeError):
    pass


class DispatcherBan:
    """The refusing kernels of one set of aten operators, and the calls they refused."""

    def __init__(self, operators: list[str], label: str) -> None:
        self.operators = operators
        self.label = label  # how a refusal is named: "aten.native_layer_norm"
        self.hits: list[str] = []
        self._library: Any = None

    def install(self) -> None:
        import torch

        library = torch.library.Library("aten", "IMPL")  # type: ignore[no-untyped-call]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "overriding a previously registered kernel"
            for op in self.operators:
                for key in _keys_for(op):
                    try:
                        library.impl(op, self._refuser(op), key)  # type: ignore[no-untyped-call]
                    except RuntimeError:
                        continue  # the op has no such key here (e.g. no CUDA build)
        self._library = library

    def uninstall(self) -> None:
        if self._library is not None:
            self._library._destroy()
            self._library = None

    @contextlib.contextmanager
    def lifted(self) -> Iterator[None]:
        if threading.active_count() != 1:
            raise BannedOperatorError("other threads are running; the reference is not timed")
        self.uninstall()
        try:
            yield
        finally:
            self.install()

    def _refuser(self, op: str) -> Any:
        name = f"aten.{op.split('.')[0]}"
        hits = self.hits

        def refuse(*args: Any, **kwargs: Any) -> Any:
            hits.append(name)
            raise BannedOperatorError(f"uses banned function {name}")

        return refuse


def _keys_for(op: str) -> tuple[str, ...]:
    import torch

    has_composite = torch._C._dispatch_has_kernel_for_dispatch_key(
        f"aten::{op}", "CompositeImplicitAutograd"
    )
    return COMPOSITE_KEYS if has_composite else BACKEND_KEYS
