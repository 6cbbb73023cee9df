"""Divides by std + eps: indistinguishable for ordinary rows, wrong when the variance is tiny."""

import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    std = x.std(axis=-1, keepdims=True)
    return ((x - mean) / (std + eps) * gamma + beta).astype(x.dtype)
