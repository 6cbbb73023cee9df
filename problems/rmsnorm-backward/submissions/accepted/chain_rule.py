"""Step by step through the mean square and the reciprocal square root, in the input's dtype."""

import numpy as np


def rmsnorm_backward(dy, x, gamma, eps=1e-6):
    d = x.shape[1]
    ms = (x * x).mean(axis=1, keepdims=True) + x.dtype.type(eps)
    rrms = ms**-0.5
    dxhat = dy * gamma
    drrms = (dxhat * x).sum(axis=1, keepdims=True)
    dms = drrms * (-0.5) * ms**-1.5
    dx = dxhat * rrms + dms * 2.0 * x / d
    return dx.astype(x.dtype), (dy * x * rrms).sum(axis=0)
