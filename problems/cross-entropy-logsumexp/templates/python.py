import numpy as np


def cross_entropy(logits, labels):
    """Mean cross-entropy of logits (N, C) against integer labels (N,), and its gradient.

    Returns (loss, dlogits): a 0-d array and an (N, C) array, in the dtype of logits.
    """
    loss = np.asarray(0.0, dtype=logits.dtype)  # TODO
    dlogits = np.zeros_like(logits)  # TODO
    return loss, dlogits
