"""Known bad: calls torch.ops.aten.native_layer_norm directly (past any Python-level
stub of F.layer_norm). RE: refused at torch's dispatcher."""

import torch


def layer_norm(x, weight, bias, eps=1e-5):
    y, _, _ = torch.ops.aten.native_layer_norm(x, [x.shape[-1]], weight, bias, eps)
    return y
