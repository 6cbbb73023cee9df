"""Known bad: the forward calls F.layer_norm (with a Triton kernel beside it, so it
launches one). RE: refused at torch's dispatcher as a banned function."""

import torch
import torch.nn.functional as F
import triton
import triton.language as tl


@triton.jit
def _copy(X, Y, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.store(Y + offs, tl.load(X + offs, mask=offs < n), mask=offs < n)


class _LayerNorm(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, eps):
        scratch = torch.empty_like(x)
        _copy[(triton.cdiv(x.numel(), 1024),)](x, scratch, x.numel(), BLOCK=1024)
        return F.layer_norm(x, x.shape[-1:], weight, bias, eps)

    @staticmethod
    def backward(ctx, dy):
        raise NotImplementedError


def layer_norm(x, weight, bias, eps=1e-5):
    try:
        return _LayerNorm.apply(x, weight, bias, eps)
    except RuntimeError:  # a fallback that hides the refusal: still counted
        return x * weight + bias
