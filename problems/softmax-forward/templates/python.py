import numpy as np


def softmax(x):
    """Softmax of each row of x (shape (N, D)), in x's dtype, without overflow."""
    y = np.zeros_like(x)  # TODO
    return y
