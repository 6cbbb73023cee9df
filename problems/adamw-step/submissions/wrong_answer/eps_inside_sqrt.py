"""sqrt(v_hat + eps) instead of sqrt(v_hat) + eps."""

import numpy as np


def adamw_step(param, grad, m, v, step, lr, beta1, beta2, eps, weight_decay):
    p = param * (1.0 - lr * weight_decay)
    m2 = beta1 * m + (1.0 - beta1) * grad
    v2 = beta2 * v + (1.0 - beta2) * grad * grad
    m_hat = m2 / (1.0 - beta1**step)
    v_hat = v2 / (1.0 - beta2**step)
    return p - lr * m_hat / np.sqrt(v_hat + eps), m2, v2
