"""The judge's own check that a tensor submission did not call the function it bans.

The dispatcher ban and the stubs live in the learner's process, so they are a
best-effort layer. This check runs where the learner cannot reach: after every test
passed, the judge runs the submission once more on a fresh, secret, large random
input (the shapes of the package's largest test, new values from `secrets`), and
computes in its own process what the banned function returns on it. An output that
is bit-identical to the banned function's is refused as calling it ("uses banned
function X", RE): an honest implementation reduces in another order and differs in
the last bits almost everywhere (measured: 65-90% of elements differ in ulps for
LayerNorm written with `mean`, `var_mean`, `rsqrt` or a division).

Only the "telling" outputs count (for LayerNorm `y` and `dx`): small reductions
such as `dbias = dy.sum(0)` can coincide with an honest implementation. torch runs
here with one thread, as in the sandbox, since the parallel reductions of the
backward kernels depend on the thread count.

A reference is registered per banned function; a problem gets the check when it
bans a registered name and its inputs/outputs carry the names the reference needs.
The check needs torch in the judge's environment (the `torch` extra); without it
the check reports itself unavailable in the log and grading goes on.
"""

from __future__ import annotations

import io
import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from graders.checkers.tensor import MIN_OUTPUT_LIMIT, MalformedOutput, load_npz
from graders.package.model import ProblemType
from graders.package.types import Package

log = logging.getLogger(__name__)

Arrays = dict[str, npt.NDArray[Any]]
PROBE_TEST = "integrity/reference"
PROBE_GROUP = "integrity"
MIN_TELLING_ELEMENTS = 256  # fewer elements could coincide by chance


@dataclass(frozen=True)
class BannedReference:
    """What a banned function computes, in the problem's own input/output names."""

    names: frozenset[str]  # the banned names this reference stands for
    needs: tuple[tuple[str, ...], ...]  # per required input, its accepted names
    telling: tuple[tuple[str, ...], ...]  # outputs whose bit-identity proves a call
    compute: Callable[[Arrays], Arrays]


_REFERENCES: list[BannedReference] = []


def register_reference(reference: BannedReference) -> None:
    _REFERENCES.append(reference)


def _pick(arrays: Arrays, names: tuple[str, ...]) -> npt.NDArray[Any] | None:
    return next((arrays[name] for name in names if name in arrays), None)


@contextmanager
def _one_thread(torch: Any) -> Iterator[None]:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _layer_norm(inputs: Arrays) -> Arrays:
    """F.layer_norm over the last axis, and its gradients for the upstream `dy`."""
    import torch
    import torch.nn.functional as F

    x, weight, bias = (_pick(inputs, names) for names in _LAYER_NORM_INPUTS)
    assert x is not None
    eps_value = _pick(inputs, ("eps",))
    eps = float(eps_value) if eps_value is not None else 1e-5
    dy = _pick(inputs, ("dy",))
    tx, tw, tb = (
        torch.from_numpy(a.copy()).requires_grad_() if a is not None else None
        for a in (x, weight, bias)
    )
    assert tx is not None
    out: Arrays = {}
    with _one_thread(torch):
        y = F.layer_norm(tx, tx.shape[-1:], tw, tb, eps)
        out["y"] = y.detach().numpy().copy()
        if dy is not None:
            y.backward(torch.from_numpy(dy.copy()))  # type: ignore[no-untyped-call]
            grads = (("dx",), ("dweight", "dgamma"), ("dbias", "dbeta"))
            for names, tensor in zip(grads, (tx, tw, tb), strict=True):
                if tensor is not None and tensor.grad is not None:
                    for name in names:
                        out[name] = tensor.grad.numpy().copy()
    return out


_LAYER_NORM_INPUTS = (("x",), ("weight", "gamma"), ("bias", "beta"))
register_reference(
    BannedReference(
        names=frozenset(
            {
                "torch.nn.functional.layer_norm",
                "torch.layer_norm",
                "torch.native_layer_norm",
                "torch.ops.aten.layer_norm",
                "torch.ops.aten.native_layer_norm",
                "torch._C._VariableFunctions.layer_norm",
                "torch._C._VariableFunctions.native_layer_norm",
                "torch._VF.layer_norm",
                "torch.nn.LayerNorm",
            }
        ),
        needs=_LAYER_NORM_INPUTS,
        telling=(("y",), ("dx",)),
        compute=_layer_norm,
    )
)


def _torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        log.warning("the bit-identical reference check needs torch in the judge: skipped")
        return False
    return True


def reference_for(package: Package) -> tuple[str, BannedReference] | None:
    """The banned name and reference this package is checked against, if any."""
    spec = package.spec.function
    if package.spec.type is not ProblemType.TENSOR or spec is None:
        return None
    for reference in _REFERENCES:
        name = next((n for n in package.spec.banned_modules if n in reference.names), None)
        if name is None:
            continue
        inputs_ok = all(any(n in spec.inputs for n in names) for names in reference.needs)
        outputs_ok = any(n in spec.outputs for names in reference.telling for n in names)
        if inputs_ok and outputs_ok and _torch_available():
            return name, reference
    return None


def probe_inputs(package: Package) -> Arrays:
    """Fresh random values in the shapes and dtypes of the package's largest test."""
    largest = max(package.tests, key=lambda test: len(test.input))
    rng = np.random.default_rng(secrets.randbits(128))
    with np.load(io.BytesIO(largest.input), allow_pickle=False) as npz:
        template = {name: npz[name] for name in npz.files}
    probe: Arrays = {}
    for name, array in template.items():
        if array.dtype.kind == "f" and array.ndim > 0:
            probe[name] = rng.standard_normal(array.shape).astype(array.dtype)
        else:
            probe[name] = array
    return probe


def encode(arrays: Arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


def identical_outputs(reference: BannedReference, inputs: Arrays, output: bytes) -> list[str]:
    """The telling outputs of `output` that are bit-identical to the banned reference's."""
    want = reference.compute(inputs)
    try:
        got = load_npz(output, limit=MIN_OUTPUT_LIMIT + 4 * sum(a.nbytes for a in want.values()))
    except MalformedOutput:
        return []
    same: list[str] = []
    for names in reference.telling:
        for name in names:
            a, b = want.get(name), got.get(name)
            if (
                a is not None
                and b is not None
                and a.size >= MIN_TELLING_ELEMENTS
                and a.dtype == b.dtype
                and a.shape == b.shape
                and a.tobytes() == np.ascontiguousarray(b).tobytes()
            ):
                same.append(name)
    return same
