"""dweight[ids] += dy: repeated ids keep only one of their gradients."""

import numpy as np


def embedding_backward(dy, ids, num_embeddings, padding_idx):
    dweight = np.zeros((num_embeddings, dy.shape[-1]), dtype=dy.dtype)
    dweight[ids.reshape(-1)] += dy.reshape(-1, dy.shape[-1])
    dweight[padding_idx] = 0.0
    return dweight
