"""Test input for embedding-backward: `gen.py SEED NxTxD V PADDING`: dy, ids (skewed,
so that ids repeat and the padding id occurs), num_embeddings, padding_idx."""

import io
import sys
import zipfile

import numpy as np


def write_npz(arrays):
    """An .npz with fixed timestamps: the same seed gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, value in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            with archive.open(info, "w") as fh:
                np.lib.format.write_array(fh, np.asarray(value), allow_pickle=False)
    sys.stdout.buffer.write(buffer.getvalue())


def main(seed, shape, vocab, padding):
    rng = np.random.default_rng(seed)
    n, t, d = (int(v) for v in shape.split("x"))
    v = int(vocab)
    ids = np.minimum(rng.zipf(1.5, size=(n, t)) - 1, v - 1)
    ids[:, -1] = int(padding)  # padded ends of the sequences
    write_npz(
        {
            "dy": rng.standard_normal((n, t, d)),
            "ids": ids.astype(np.int64),
            "num_embeddings": np.int64(v),
            "padding_idx": np.int64(int(padding)),
        }
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
