"""Weights the old running value by momentum (Keras' convention) instead of the new batch value."""

import numpy as np


def batchnorm_forward(x, gamma, beta, running_mean, running_var, momentum, eps, training):
    if not training:
        y = (x - running_mean) / np.sqrt(running_var + eps) * gamma + beta
        return y.astype(x.dtype), running_mean, running_var
    mean, var = x.mean(axis=0), x.var(axis=0)
    y = (x - mean) / np.sqrt(var + eps) * gamma + beta
    new_mean = momentum * running_mean + (1 - momentum) * mean
    new_var = momentum * running_var + (1 - momentum) * x.var(axis=0, ddof=1)
    return y.astype(x.dtype), new_mean.astype(x.dtype), new_var.astype(x.dtype)
