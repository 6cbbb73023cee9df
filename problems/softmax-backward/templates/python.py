import numpy as np


def softmax_backward(dy, y):
    """dL/dx for y = softmax(x) along the last axis, given dy = dL/dy and y."""
    dx = np.zeros_like(y)  # TODO
    return dx
