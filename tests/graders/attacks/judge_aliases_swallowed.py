"""Reaches the fused LayerNorm through a handle no Python stub covers: TorchScript's
operator table (`torch._C._jit_get_operation`), swallowing every error and falling
back to a wrong answer. The dispatcher ban ends the process at the call: RE,
"uses banned function torch.native_layer_norm"."""

import torch

_native, _ = torch._C._jit_get_operation("aten::" + "native_" + "layer_norm")


class LayerNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, eps):
        ctx.save_for_backward(x, weight)
        try:
            return _native(x, list(x.shape[-1:]), weight, bias, eps)[0]
        except BaseException:
            return x * weight + bias

    @staticmethod
    def backward(ctx, dy):
        x, weight = ctx.saved_tensors
        return dy * weight, (dy * x).sum(0), dy.sum(0), None
