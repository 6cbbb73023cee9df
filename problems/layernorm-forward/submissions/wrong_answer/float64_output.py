"""Upcasts for accuracy and forgets to cast back: float32 in, float64 out."""

import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    x = x.astype(np.float64)
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta
