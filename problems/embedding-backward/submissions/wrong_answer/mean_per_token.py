"""Averages the gradients of a token's occurrences instead of summing them."""

import numpy as np


def embedding_backward(dy, ids, num_embeddings, padding_idx):
    d = dy.shape[-1]
    dweight = np.zeros((num_embeddings, d), dtype=dy.dtype)
    np.add.at(dweight, ids.reshape(-1), dy.reshape(-1, d))
    counts = np.bincount(ids.reshape(-1), minlength=num_embeddings)
    dweight /= np.maximum(counts, 1)[:, None]
    dweight[padding_idx] = 0.0
    return dweight
