"""Fused LayerNorm in Triton: write the kernels, keep the signature of layer_norm."""

import torch
import triton
import triton.language as tl


@triton.jit
def _layer_norm_fwd(X, Y, W, B, Mean, Rstd, stride, N, eps, BLOCK_N: tl.constexpr):
    # One program per row: load the row (mask cols >= N), mean and variance in fp32,
    # store y in Y's dtype, and Mean/Rstd for the backward pass.
    pass


class LayerNorm(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, eps):
        # Flatten leading dims to rows, allocate y / mean / rstd, launch your kernel.
        raise NotImplementedError

    @staticmethod
    def backward(ctx, dy):
        # Launch your backward kernels: dx per row, dW/dB as a two-stage reduction.
        # Return (dx, dweight, dbias, None).
        raise NotImplementedError


def layer_norm(x, weight, bias, eps=1e-5):
    return LayerNorm.apply(x, weight, bias, eps)
