"""Backpropagates step by step through mean, variance and normalisation, in the input's dtype."""

import numpy as np


def layernorm_backward(dy, x, gamma, eps=1e-5):
    d = x.shape[1]
    mu = x.mean(axis=1, keepdims=True)
    xc = x - mu
    var = (xc * xc).mean(axis=1, keepdims=True)
    std = np.sqrt(var + x.dtype.type(eps))
    xhat = xc / std
    dbeta = dy.sum(axis=0)
    dgamma = (dy * xhat).sum(axis=0)
    dxhat = dy * gamma
    dvar = (dxhat * xc).sum(axis=1, keepdims=True) * (-0.5) * std**-3
    dmu = -(dxhat / std).sum(axis=1, keepdims=True) - 2.0 * dvar * xc.mean(axis=1, keepdims=True)
    dx = dxhat / std + dvar * 2.0 * xc / d + dmu / d
    return dx.astype(x.dtype), dgamma, dbeta
