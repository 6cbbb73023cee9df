import numpy as np


def rmsnorm_backward(dy, x, gamma, eps=1e-6):
    """Gradients of y = gamma * x / sqrt(mean(x**2, axis=-1) + eps).

    dy, x: arrays of shape (N, D); gamma: shape (D,).
    Returns (dx, dgamma) with shapes (N, D), (D,) and the dtype of x.
    """
    dx = np.zeros_like(x)  # TODO
    dgamma = np.zeros_like(gamma)  # TODO
    return dx, dgamma
