import numpy as np


def attention(q, k, v, causal):
    """softmax(q k^T / sqrt(d) + mask) v for q, k, v of shape (B, T, d)."""
    o = np.zeros_like(q)  # TODO
    return o
