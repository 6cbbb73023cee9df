"""Test input for softmax-backward: `gen.py SEED NxD DTYPE`: dy and y = softmax(x)."""

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
    n, d = (int(v) for v in shape.split("x"))
    x = rng.standard_normal((n, d)) * 2.0
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    y = e / e.sum(axis=-1, keepdims=True)
    dy = rng.standard_normal((n, d))
    write_npz({"dy": dy.astype(dtype), "y": y.astype(dtype)})


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
