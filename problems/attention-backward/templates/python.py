import numpy as np


def attention_backward(q, k, v, do, causal):
    """Gradients of O = softmax(Q K^T / sqrt(d) + mask) V with respect to q, k and v."""
    dq, dk, dv = np.zeros_like(q), np.zeros_like(k), np.zeros_like(v)  # TODO
    return dq, dk, dv
