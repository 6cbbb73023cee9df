"""Uses 2/pi where sqrt(2/pi) belongs."""

import numpy as np


def gelu(x):
    return 0.5 * x * (1.0 + np.tanh(2.0 / np.pi * (x + 0.044715 * x**3)))
