"""Test input for cross-entropy-logsumexp: `gen.py SEED NxC DTYPE`.

Logits at offsets up to +-3000 with a spread of 40, so that exp overflows and some
labels have probabilities below 1e-308; the first label is 1000 below its row's maximum."""

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


def main(seed, shape, dtype):
    rng = np.random.default_rng(seed)
    n, c = (int(v) for v in shape.split("x"))
    logits = rng.standard_normal((n, c)) * 40.0 + rng.uniform(-3000.0, 3000.0, size=(n, 1))
    labels = rng.integers(0, c, size=n)
    labels[0] = int(np.argmin(logits[0]))
    logits[0, labels[0]] = logits[0].max() - 1000.0  # probability exp(-1000): below 1e-308
    write_npz({"logits": logits.astype(dtype), "labels": labels.astype(np.int64)})


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
