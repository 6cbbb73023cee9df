"""Forgets the chain through weight in dx: uses dy where dy * weight belongs."""

import torch


class LayerNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, eps):
        mean = x.mean(dim=-1, keepdim=True)
        rstd = torch.rsqrt(x.var(dim=-1, unbiased=False, keepdim=True) + eps)
        xhat = (x - mean) * rstd
        ctx.save_for_backward(xhat, rstd)
        return xhat * weight + bias

    @staticmethod
    def backward(ctx, dy):
        xhat, rstd = ctx.saved_tensors
        dx = rstd * (dy - dy.mean(dim=-1, keepdim=True) - xhat * (dy * xhat).mean(dim=-1, keepdim=True))
        return dx, (dy * xhat).sum(dim=0), dy.sum(dim=0), None
