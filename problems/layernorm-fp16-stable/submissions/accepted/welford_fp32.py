"""Welford's one-pass update in float32, one column at a time, every row at once."""

import numpy as np


def layernorm_fp16(x, gamma, beta, eps=1e-5):
    x32 = x.astype(np.float32)
    rows, d = x32.shape[:-1], x32.shape[-1]
    mean = np.zeros(rows, dtype=np.float32)
    m2 = np.zeros(rows, dtype=np.float32)
    for k in range(d):
        value = x32[..., k]
        delta = value - mean
        mean += delta / np.float32(k + 1)
        m2 += delta * (value - mean)
    var = m2 / np.float32(d)
    rstd = 1.0 / np.sqrt(var + np.float32(eps))
    y = (x32 - mean[..., None]) * rstd[..., None] * gamma.astype(np.float32) + beta.astype(np.float32)
    return y.astype(np.float16)
