"""Adam with L2 regularisation: adds weight_decay * param to the gradient."""

import numpy as np


def adamw_step(param, grad, m, v, step, lr, beta1, beta2, eps, weight_decay):
    g = grad + weight_decay * param
    m2 = beta1 * m + (1.0 - beta1) * g
    v2 = beta2 * v + (1.0 - beta2) * g * g
    m_hat = m2 / (1.0 - beta1**step)
    v_hat = v2 / (1.0 - beta2**step)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m2, v2
