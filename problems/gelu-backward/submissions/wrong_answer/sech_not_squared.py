"""Uses 1 - tanh(u) for the derivative of tanh."""

import numpy as np


def gelu_backward(dy, x):
    c, a = np.sqrt(2.0 / np.pi), 0.044715
    t = np.tanh(c * (x + a * x**3))
    return dy * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t) * c * (1.0 + 3.0 * a * x * x))
