"""Online sums of exp(s) without a running maximum: overflows float32."""

import numpy as np


def flash_attention(q, k, v, block_size):
    t, d = q.shape
    qs = q * np.float32(1.0 / np.sqrt(d))
    l = np.zeros((t, 1), dtype=np.float32)
    acc = np.zeros((t, d), dtype=np.float32)
    with np.errstate(all="ignore"):
        for start in range(0, k.shape[0], block_size):
            p = np.exp(qs @ k[start : start + block_size].T)
            l += p.sum(axis=1, keepdims=True)
            acc += p @ v[start : start + block_size]
        return (acc / l).astype(np.float32)
