"""Normalises correctly but never updates the running statistics."""

import numpy as np


def batchnorm_forward(x, gamma, beta, running_mean, running_var, momentum, eps, training):
    if training:
        mean, var = x.mean(axis=0), x.var(axis=0)
    else:
        mean, var = running_mean, running_var
    y = ((x - mean) / np.sqrt(var + eps) * gamma + beta).astype(x.dtype)
    return y, running_mean, running_var
