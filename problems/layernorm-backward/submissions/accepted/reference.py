"""Float64 oracle: the closed-form gradient in float64, returned in the input's dtype."""

import numpy as np


def layernorm_backward(dy, x, gamma, eps=1e-5):
    dtype = x.dtype
    dy, x, gamma = (a.astype(np.float64) for a in (dy, x, gamma))
    mean = x.mean(axis=1, keepdims=True)
    rstd = 1.0 / np.sqrt(((x - mean) ** 2).mean(axis=1, keepdims=True) + eps)
    xhat = (x - mean) * rstd
    g = dy * gamma
    dx = rstd * (g - g.mean(axis=1, keepdims=True) - xhat * (g * xhat).mean(axis=1, keepdims=True))
    dgamma = (dy * xhat).sum(axis=0)
    dbeta = dy.sum(axis=0)
    return dx.astype(dtype), dgamma.astype(dtype), dbeta.astype(dtype)
