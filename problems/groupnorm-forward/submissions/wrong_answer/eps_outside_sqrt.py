"""Divides by std + eps: right on ordinary groups, wrong when the spread is tiny."""

import numpy as np


def groupnorm_forward(x, gamma, beta, num_groups, eps=1e-5):
    n, c = x.shape[:2]
    g = x.reshape(n, int(num_groups), -1)
    xhat = ((g - g.mean(axis=-1, keepdims=True)) / (g.std(axis=-1, keepdims=True) + eps))
    return xhat.reshape(x.shape) * gamma.reshape(1, c, 1, 1) + beta.reshape(1, c, 1, 1)
