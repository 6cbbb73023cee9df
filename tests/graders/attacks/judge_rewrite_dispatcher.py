"""Rewrites the ban itself: replaces the dispatcher-ban module's exit function and
every refusing kernel's reporting callback it can reach through `gc`, then uses
`nn.LayerNorm`. The refused kernel still computes nothing, so the only way out is
an exception: RE, "uses banned function torch.nn.functional.layer_norm" (the
Python stub) or a crash; never AC."""

import gc
import os
import sys

import torch

ban = sys.modules.get("gradebox_dispatcher_ban")
if ban is not None:
    ban._default_hit = lambda name: None
for obj in gc.get_objects():
    if type(obj).__name__ == "cell":
        try:
            if (
                callable(obj.cell_contents)
                and getattr(obj.cell_contents, "__name__", "") == "_default_hit"
            ):
                obj.cell_contents = lambda name: None
        except ValueError:
            pass
os._exit = lambda code: None


class LayerNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, eps):
        module = torch.nn.LayerNorm(x.shape[-1], eps=eps, dtype=x.dtype)
        with torch.no_grad():
            module.weight.copy_(weight)
            module.bias.copy_(bias)
        return module(x)

    @staticmethod
    def backward(ctx, dy):
        return dy, dy.sum(0), dy.sum(0), None
