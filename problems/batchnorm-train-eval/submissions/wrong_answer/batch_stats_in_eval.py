"""Normalises with the batch statistics in eval mode too."""

import numpy as np


def batchnorm_forward(x, gamma, beta, running_mean, running_var, momentum, eps, training):
    mean, var = x.mean(axis=0), x.var(axis=0)
    y = ((x - mean) / np.sqrt(var + eps) * gamma + beta).astype(x.dtype)
    if not training:
        return y, running_mean, running_var
    n = x.shape[0]
    new_mean = (1 - momentum) * running_mean + momentum * mean
    new_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)
    return y, new_mean.astype(x.dtype), new_var.astype(x.dtype)
