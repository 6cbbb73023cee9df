"""Rescales the running sum but not the output accumulator."""

import numpy as np


def flash_attention(q, k, v, block_size):
    t, d = q.shape
    scale = 1.0 / np.sqrt(d)
    qs = q.astype(np.float32) * np.float32(scale)
    m = np.full((t, 1), -np.inf, dtype=np.float32)   # running maximum of each row
    l = np.zeros((t, 1), dtype=np.float32)           # running sum of exp(s - m)
    acc = np.zeros((t, d), dtype=np.float32)         # running sum of exp(s - m) v
    for start in range(0, k.shape[0], block_size):
        kb = k[start : start + block_size].astype(np.float32)
        vb = v[start : start + block_size].astype(np.float32)
        s = qs @ kb.T
        m_new = np.maximum(m, s.max(axis=1, keepdims=True))
        alpha = np.exp(m - m_new)
        p = np.exp(s - m_new)
        l = alpha * l + p.sum(axis=1, keepdims=True)
        acc = acc + p @ vb
        m = m_new
    return (acc / l).astype(np.float32)
