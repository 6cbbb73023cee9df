"""log(sum(exp(z))) without the maximum: inf for large logits."""

import numpy as np


def cross_entropy(logits, labels):
    n = logits.shape[0]
    rows = np.arange(n)
    with np.errstate(all="ignore"):
        e = np.exp(logits)
        lse = np.log(e.sum(axis=1))
        loss = (lse - logits[rows, labels]).mean()
        grad = e / e.sum(axis=1, keepdims=True)
    grad[rows, labels] -= 1.0
    return np.asarray(loss, dtype=logits.dtype), (grad / n).astype(logits.dtype)
