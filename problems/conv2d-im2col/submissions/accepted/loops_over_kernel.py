"""Loops over the kernel offsets (KH * KW slices), each a tensordot over channels."""

import numpy as np


def conv2d(x, w, b, stride, padding):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    p, s = int(padding), int(stride)
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    oh, ow = (h + 2 * p - kh) // s + 1, (wd + 2 * p - kw) // s + 1
    y = np.zeros((n, f, oh, ow))
    for u in range(kh):
        for v in range(kw):
            patch = xp[:, :, u : u + s * oh : s, v : v + s * ow : s]
            y += np.einsum("nchw,fc->nfhw", patch, w[:, :, u, v])
    return y + b.reshape(1, f, 1, 1)
