"""Uses the raw moments: no 1 / (1 - beta^t)."""

import numpy as np


def adamw_step(param, grad, m, v, step, lr, beta1, beta2, eps, weight_decay):
    p = param * (1.0 - lr * weight_decay)
    m2 = beta1 * m + (1.0 - beta1) * grad
    v2 = beta2 * v + (1.0 - beta2) * grad * grad
    return p - lr * m2 / (np.sqrt(v2) + eps), m2, v2
