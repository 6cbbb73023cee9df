"""Reference: dx = y * (dy - sum(dy * y)) per row, float64 inside."""

import numpy as np


def softmax_backward(dy, y):
    g, p = dy.astype(np.float64), y.astype(np.float64)
    return (p * (g - (g * p).sum(axis=-1, keepdims=True))).astype(y.dtype)
