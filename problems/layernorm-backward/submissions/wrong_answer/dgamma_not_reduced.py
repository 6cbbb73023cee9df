"""Returns the per-row contributions dy * xhat, of shape (N, D), instead of summing over N."""

import numpy as np


def layernorm_backward(dy, x, gamma, eps=1e-5):
    mean = x.mean(axis=1, keepdims=True)
    rstd = 1.0 / np.sqrt(x.var(axis=1, keepdims=True) + eps)
    xhat = (x - mean) * rstd
    g = dy * gamma
    dx = rstd * (g - g.mean(axis=1, keepdims=True) - xhat * (g * xhat).mean(axis=1, keepdims=True))
    return dx, dy * xhat, dy.sum(axis=0)
