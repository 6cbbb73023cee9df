"""Reference: product rule and chain rule, in float64."""

import numpy as np


def gelu_backward(dy, x):
    z, g = x.astype(np.float64), dy.astype(np.float64)
    c, a = np.sqrt(2.0 / np.pi), 0.044715
    t = np.tanh(c * (z + a * z**3))
    dx = g * (0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * c * (1.0 + 3.0 * a * z * z))
    return dx.astype(x.dtype)
