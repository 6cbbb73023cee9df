"""The textbook formula: exp overflows for large logits and gives NaN."""

import numpy as np


def softmax(x):
    with np.errstate(all="ignore"):
        e = np.exp(x)
        return e / e.sum(axis=-1, keepdims=True)
