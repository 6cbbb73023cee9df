"""Float64 oracle with PyTorch's semantics, returned in the input's dtype."""

import numpy as np


def batchnorm_forward(x, gamma, beta, running_mean, running_var, momentum, eps, training):
    dtype = x.dtype
    x, gamma, beta, running_mean, running_var = (
        a.astype(np.float64) for a in (x, gamma, beta, running_mean, running_var)
    )
    if training:
        n = x.shape[0]
        mean = x.mean(axis=0)
        var = ((x - mean) ** 2).mean(axis=0)
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)
    else:
        mean, var = running_mean, running_var
        new_mean, new_var = running_mean, running_var
    y = (x - mean) / np.sqrt(var + eps) * gamma + beta
    return y.astype(dtype), new_mean.astype(dtype), new_var.astype(dtype)
