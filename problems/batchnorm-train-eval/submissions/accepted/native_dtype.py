"""The same in the input's precision, with np.var's ddof for the unbiased estimate."""

import numpy as np


def batchnorm_forward(x, gamma, beta, running_mean, running_var, momentum, eps, training):
    if not training:
        y = (x - running_mean) / np.sqrt(running_var + x.dtype.type(eps)) * gamma + beta
        return y, running_mean.copy(), running_var.copy()
    mean = x.mean(axis=0)
    var = x.var(axis=0)
    y = (x - mean) / np.sqrt(var + x.dtype.type(eps)) * gamma + beta
    m = x.dtype.type(momentum)
    new_mean = (1 - m) * running_mean + m * mean
    new_var = (1 - m) * running_var + m * x.var(axis=0, ddof=1)
    return y, new_mean, new_var
