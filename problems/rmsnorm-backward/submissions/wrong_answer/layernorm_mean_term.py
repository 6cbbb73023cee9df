"""Copies the LayerNorm gradient: subtracts a mean term that RMSNorm does not have."""

import numpy as np


def rmsnorm_backward(dy, x, gamma, eps=1e-6):
    rrms = 1.0 / np.sqrt((x * x).mean(axis=1, keepdims=True) + eps)
    xhat = x * rrms
    g = dy * gamma
    dx = rrms * (g - g.mean(axis=1, keepdims=True) - xhat * (g * xhat).mean(axis=1, keepdims=True))
    return dx, (dy * xhat).sum(axis=0)
