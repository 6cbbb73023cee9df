import numpy as np


def linear_backward(dy, x, w):
    """Gradients of y = x @ w.T + b: returns (dx, dw, db)."""
    dx = np.zeros_like(x)  # TODO
    dw = np.zeros_like(w)  # TODO
    db = np.zeros(w.shape[0], dtype=x.dtype)  # TODO
    return dx, dw, db
