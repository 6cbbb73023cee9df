"""x + 0.044715 x^2 inside the tanh: the correction must be cubic."""

import numpy as np


def gelu(x):
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x**2)))
