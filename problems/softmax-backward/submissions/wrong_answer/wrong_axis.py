"""Right formula, but sums over the batch axis."""


def softmax_backward(dy, y):
    return y * (dy - (dy * y).sum(axis=0, keepdims=True))
