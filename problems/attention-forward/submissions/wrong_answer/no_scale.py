"""Forgets the 1 / sqrt(d) scaling."""

import numpy as np


def attention(q, k, v, causal):
    s = q @ np.swapaxes(k, -1, -2)
    if causal:
        t = s.shape[-1]
        s = np.where(np.tril(np.ones((t, t), dtype=bool)), s, -np.inf)
    p = np.exp(s - s.max(axis=-1, keepdims=True))
    return (p / p.sum(axis=-1, keepdims=True)) @ v
