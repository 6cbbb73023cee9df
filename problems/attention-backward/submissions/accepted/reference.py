"""Reference: recompute P, then back through P V, the softmax and Q K^T; float64."""

import numpy as np


def attention_backward(q, k, v, do, causal):
    q64, k64, v64, do64 = (a.astype(np.float64) for a in (q, k, v, do))
    scale = 1.0 / np.sqrt(q.shape[-1])
    s = q64 @ np.swapaxes(k64, -1, -2) * scale
    if causal:
        t = s.shape[-1]
        s = np.where(np.tril(np.ones((t, t), dtype=bool)), s, -np.inf)
    p = np.exp(s - s.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    dv = np.swapaxes(p, -1, -2) @ do64
    dp = do64 @ np.swapaxes(v64, -1, -2)
    ds = p * (dp - (dp * p).sum(axis=-1, keepdims=True))
    dq = ds @ k64 * scale
    dk = np.swapaxes(ds, -1, -2) @ q64 * scale
    return dq.astype(q.dtype), dk.astype(k.dtype), dv.astype(v.dtype)
