"""Calls the banned F.layer_norm in a fresh interpreter, where no ban was installed,
and returns its outputs. Every in-process layer misses it; the judge's bit-identical
reference check, run in its own process on a secret input, refuses it: RE,
"uses banned function torch.nn.functional.layer_norm" on test integrity/reference.
Small inputs (the harness's gradcheck slices) are computed honestly, which keeps it
fast and lets gradcheck pass."""

import io
import subprocess
import sys

import numpy as np
import torch

CHILD = r"""
import io, sys
import numpy as np
import torch
import torch.nn.functional as F
torch.set_num_threads(1)
data = np.load(io.BytesIO(sys.stdin.buffer.read()))
x, w, b = (torch.from_numpy(data[k]).requires_grad_() for k in ("x", "w", "b"))
y = F.layer_norm(x, x.shape[-1:], w, b, float(data["eps"]))
out = {"y": y.detach().numpy()}
if "dy" in data.files:
    y.backward(torch.from_numpy(data["dy"]))
    out.update(dx=x.grad.numpy(), dw=w.grad.numpy(), db=b.grad.numpy())
buf = io.BytesIO()
np.savez(buf, **out)
sys.stdout.buffer.write(buf.getvalue())
"""


def _child(**arrays):
    buf = io.BytesIO()
    np.savez(
        buf, **{k: v.detach().numpy() for k, v in arrays.items() if k != "eps"}, eps=arrays["eps"]
    )
    done = subprocess.run(
        [sys.executable, "-c", CHILD], input=buf.getvalue(), capture_output=True, check=True
    )
    return np.load(io.BytesIO(done.stdout))


def _honest(x, weight, bias, eps):
    mean = x.mean(dim=-1, keepdim=True)
    var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * weight + bias


class LayerNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, eps):
        ctx.save_for_backward(x, weight, bias)
        ctx.eps = eps
        if x.numel() <= 64:
            return _honest(x, weight, bias, eps)
        return torch.from_numpy(_child(x=x, w=weight, b=bias, eps=np.asarray(eps))["y"])

    @staticmethod
    def backward(ctx, dy):
        x, weight, bias = ctx.saved_tensors
        if x.numel() <= 64:
            x, weight, bias = (t.detach().requires_grad_() for t in (x, weight, bias))
            with torch.enable_grad():
                y = _honest(x, weight, bias, ctx.eps)
            return (*torch.autograd.grad(y, (x, weight, bias), dy), None)
        out = _child(x=x, w=weight, b=bias, eps=np.asarray(ctx.eps), dy=dy)
        return tuple(torch.from_numpy(out[k]) for k in ("dx", "dw", "db")) + (None,)
