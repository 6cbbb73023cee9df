"""Refuses outputs bit-identical to torch's own operator, in the judge's process.

An independent kernel sums in another order than torch's, so on a large random
float32 input its output differs from torch's in at least some last bits; an
output equal to torch's in every bit was produced by torch's kernel, however the
learner reached it (past the dispatcher ban, through a saved graph, a second
process). The check runs where the learner cannot reach: here, after the run.
It needs torch in the judge, on the device class the run used (the CPU build
for interpreter runs, CUDA for GPU runs); without it the feedback says it was
skipped, so a reviewer knows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

SKIPPED_NO_TORCH = "skipped: torch is not installed in the judge"
SKIPPED_NO_GPU = "skipped: the run used a GPU and the judge has none"


def torch_layer_norm_y(inputs: dict[str, npt.NDArray[Any]], device: str) -> npt.NDArray[Any]:
    import torch

    x = torch.from_numpy(np.ascontiguousarray(inputs["x"], dtype=np.float32)).to(device)
    n = x.shape[-1]
    w = torch.from_numpy(inputs["weight"].astype(np.float32)).to(device)
    b = torch.from_numpy(inputs["bias"].astype(np.float32)).to(device)
    with torch.no_grad():
        y = torch.nn.functional.layer_norm(x, (n,), w, b, float(inputs["eps"]))
    out: npt.NDArray[Any] = y.cpu().numpy()
    return out


def bit_identical(
    inputs: dict[str, npt.NDArray[Any]], y: npt.NDArray[Any], *, on_gpu: bool
) -> bool | str:
    """True/False, or a sentence saying why the check could not run."""
    try:
        import torch
    except ImportError:
        return SKIPPED_NO_TORCH
    if on_gpu and not torch.cuda.is_available():
        return SKIPPED_NO_GPU
    want = torch_layer_norm_y(inputs, "cuda" if on_gpu else "cpu")
    got = np.asarray(y, dtype=np.float32).reshape(want.shape)
    return bool(np.array_equal(want.view(np.int32), got.view(np.int32)))
