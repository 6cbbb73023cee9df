"""Forgets the weights in the correction: y * (dy - sum(dy))."""


def softmax_backward(dy, y):
    return y * (dy - dy.sum(axis=-1, keepdims=True))
