"""Test input for softmax-forward: `gen.py SEED NxD DTYPE PROFILE`.

PROFILE `normal` (logits of unit scale) or `spread` (rows at offsets up to +-2000,
so that exp overflows without the max trick and a global max underflows rows)."""

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


def main(seed, shape, dtype, profile):
    rng = np.random.default_rng(seed)
    n, d = (int(v) for v in shape.split("x"))
    x = rng.standard_normal((n, d)) * 3.0
    if profile == "spread":
        offsets = rng.uniform(-2000.0, 2000.0, size=(n, 1))
        offsets[0, 0] = 1500.0
        if n > 1:
            offsets[1, 0] = -1500.0
        x = x + offsets
    write_npz({"x": x.astype(dtype)})


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
