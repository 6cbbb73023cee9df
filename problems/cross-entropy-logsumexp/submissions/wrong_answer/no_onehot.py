"""The gradient of the log-sum-exp only: forgets the -1 at the label."""

import numpy as np


def cross_entropy(logits, labels):
    n = logits.shape[0]
    rows = np.arange(n)
    m = logits.max(axis=1, keepdims=True)
    logp = logits - (m + np.log(np.exp(logits - m).sum(axis=1, keepdims=True)))
    loss = -logp[rows, labels].mean()
    return np.asarray(loss, dtype=logits.dtype), (np.exp(logp) / n).astype(logits.dtype)
