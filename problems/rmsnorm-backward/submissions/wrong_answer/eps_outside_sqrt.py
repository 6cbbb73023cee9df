"""Divides by rms + eps instead of sqrt(mean(x^2) + eps)."""

import numpy as np


def rmsnorm_backward(dy, x, gamma, eps=1e-6):
    rms = np.sqrt((x * x).mean(axis=1, keepdims=True))
    rrms = 1.0 / (rms + eps)
    xhat = x * rrms
    g = dy * gamma
    # Consistent with its own forward y = x / (rms + eps): still the wrong function.
    dx = rrms * g - x * (g * x).sum(axis=1, keepdims=True) * rrms**2 / (rms * x.shape[1])
    return dx, (dy * xhat).sum(axis=0)
