"""Float64 oracles for kernel problems, computed by the judge outside the sandbox.

The learner's process never sees these: the answer of each kernel test is the
oracle's output on that test's input (the float32 values the generator wrote,
which are exact in the test's dtype), cached with the package's generated tests.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

Arrays = dict[str, npt.NDArray[Any]]


def layer_norm(inputs: Arrays) -> Arrays:
    """y, dx, dweight, dbias of LayerNorm over the last axis, in float64.

    Two-pass mean and (biased) variance in float64, so rows with a large mean
    offset or almost no spread get the exact answer the kernels are held to.
    """
    x = inputs["x"].astype(np.float64)
    n = x.shape[-1]
    rows = x.reshape(-1, n)
    w = inputs["weight"].astype(np.float64).reshape(n)
    b = inputs["bias"].astype(np.float64).reshape(n)
    dy = inputs["dy"].astype(np.float64).reshape(rows.shape)
    eps = float(inputs["eps"])
    mean = rows.mean(axis=1, keepdims=True)
    centred = rows - mean
    var = (centred * centred).mean(axis=1, keepdims=True)
    rstd = 1.0 / np.sqrt(var + eps)
    xhat = centred * rstd
    y = xhat * w + b
    wdy = dy * w
    c1 = (xhat * wdy).mean(axis=1, keepdims=True)
    c2 = wdy.mean(axis=1, keepdims=True)
    dx = (wdy - xhat * c1 - c2) * rstd
    leading = tuple(int(v) for v in inputs["leading"]) if "leading" in inputs else (rows.shape[0],)
    return {
        "y": y.reshape(leading + (n,)),
        "dx": dx.reshape(leading + (n,)),
        "dweight": (dy * xhat).sum(axis=0),
        "dbias": dy.sum(axis=0),
    }


ORACLES: dict[str, Callable[[Arrays], Arrays]] = {"layer_norm": layer_norm}


def load(data: bytes) -> Arrays:
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def answer_bytes(oracle: str, input_data: bytes) -> bytes:
    """The .ans of one test: the oracle's outputs as an .npz."""
    outputs = ORACLES[oracle](load(input_data))
    buffer = io.BytesIO()
    np.savez(buffer, **outputs)  # type: ignore[arg-type]
    return buffer.getvalue()
