import numpy as np


def batchnorm_forward(x, gamma, beta, running_mean, running_var, momentum, eps, training):
    """BatchNorm1d forward over the batch axis of x (shape (N, C)), PyTorch semantics.

    Returns (y, new_running_mean, new_running_var), all in the dtype of x.
    """
    y = np.zeros_like(x)  # TODO
    new_running_mean = running_mean.copy()  # TODO: update in training mode
    new_running_var = running_var.copy()  # TODO: update in training mode
    return y, new_running_mean, new_running_var
