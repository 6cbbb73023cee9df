import numpy as np


def layernorm_backward(dy, x, gamma, eps=1e-5):
    """Gradients of y = gamma * (x - mean) / sqrt(var + eps) + beta over the last axis.

    dy, x: arrays of shape (N, D); gamma: shape (D,).
    Returns (dx, dgamma, dbeta) with shapes (N, D), (D,), (D,) and the dtype of x.
    """
    dx = np.zeros_like(x)  # TODO
    dgamma = np.zeros_like(gamma)  # TODO
    dbeta = np.zeros_like(gamma)  # TODO
    return dx, dgamma, dbeta
