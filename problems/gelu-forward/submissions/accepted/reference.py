"""Reference: the tanh approximation in float64."""

import numpy as np


def gelu(x):
    z = x.astype(np.float64)
    y = 0.5 * z * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (z + 0.044715 * z**3)))
    return y.astype(x.dtype)
