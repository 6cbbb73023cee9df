def adamw_step(param, grad, m, v, step, lr, beta1, beta2, eps, weight_decay):
    """One AdamW step (decoupled weight decay, bias-corrected moments), as torch.optim.AdamW.

    Returns (new_param, new_m, new_v); the inputs are left unchanged.
    """
    new_param, new_m, new_v = param.copy(), m.copy(), v.copy()  # TODO
    return new_param, new_m, new_v
