"""Known bad: a composite of torch ops, correct but launching no Triton kernel of its
own. RE: the forward launched no Triton kernel defined in the submission."""

import torch
import triton  # noqa: F401  (imported, never launched)


def layer_norm(x, weight, bias, eps=1e-5):
    mean = x.float().mean(-1, keepdim=True)
    var = ((x.float() - mean) ** 2).mean(-1, keepdim=True)
    return (((x.float() - mean) * torch.rsqrt(var + eps)) * weight.float() + bias.float()).to(x.dtype)
