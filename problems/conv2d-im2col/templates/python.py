import numpy as np


def conv2d(x, w, b, stride, padding):
    """Cross-correlation of x (N, C, H, W) with w (F, C, KH, KW) plus b (F,), as nn.Conv2d.

    Returns y of shape (N, F, H', W') with H' = (H + 2 padding - KH) // stride + 1.
    """
    n, f = x.shape[0], w.shape[0]
    oh = (x.shape[2] + 2 * padding - w.shape[2]) // stride + 1
    ow = (x.shape[3] + 2 * padding - w.shape[3]) // stride + 1
    y = np.zeros((n, f, oh, ow), dtype=x.dtype)  # TODO
    return y
