"""Delegates to F.layer_norm, which the problem bans: the harness stops it."""

import torch
import torch.nn.functional as F


class LayerNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, eps):
        ctx.save_for_backward(x, weight, bias)
        ctx.eps = eps
        return F.layer_norm(x, x.shape[-1:], weight, bias, eps)

    @staticmethod
    def backward(ctx, dy):
        x, weight, bias = (t.detach().requires_grad_() for t in ctx.saved_tensors)
        with torch.enable_grad():
            y = F.layer_norm(x, x.shape[-1:], weight, bias, ctx.eps)
        return (*torch.autograd.grad(y, (x, weight, bias), dy), None)
