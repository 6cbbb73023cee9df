import numpy as np


def embedding_backward(dy, ids, num_embeddings, padding_idx):
    """Gradient of the embedding table: scatter-add dy (N, T, D) into rows ids (N, T).

    Returns dweight of shape (num_embeddings, D); the row padding_idx stays zero.
    """
    dweight = np.zeros((num_embeddings, dy.shape[-1]), dtype=dy.dtype)  # TODO
    return dweight
