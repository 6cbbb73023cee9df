"""Consistent forward and backward of the wrong function x_hat = (x - mu) / (sigma + eps):
gradcheck passes, the comparison with F.layer_norm does not."""

import torch


class LayerNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, eps):
        ctx.save_for_backward(x, weight, bias)
        ctx.eps = eps
        return LayerNormFunction._f(x, weight, bias, eps)

    @staticmethod
    def _f(x, weight, bias, eps):
        mean = x.mean(dim=-1, keepdim=True)
        std = x.var(dim=-1, unbiased=False, keepdim=True).sqrt()
        return (x - mean) / (std + eps) * weight + bias

    @staticmethod
    def backward(ctx, dy):
        x, weight, bias = (t.detach().requires_grad_() for t in ctx.saved_tensors)
        with torch.enable_grad():
            y = LayerNormFunction._f(x, weight, bias, ctx.eps)
        return (*torch.autograd.grad(y, (x, weight, bias), dy), None)
