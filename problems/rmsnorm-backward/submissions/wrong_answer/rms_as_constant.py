"""Treats 1/rms as a constant: misses the gradient through the root mean square."""

import numpy as np


def rmsnorm_backward(dy, x, gamma, eps=1e-6):
    rrms = 1.0 / np.sqrt((x * x).mean(axis=1, keepdims=True) + eps)
    return dy * gamma * rrms, (dy * x * rrms).sum(axis=0)
