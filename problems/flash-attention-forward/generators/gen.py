"""Test input for flash-attention-forward: `gen.py SEED TxD BLOCK SCALE`: float32 q, k,
v with scores of standard deviation SCALE (20: maxima beyond float32's e^88, small
enough that float32 rounding of the scores stays far below the tolerance), and block_size."""

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


def main(seed, shape, block, scale):
    rng = np.random.default_rng(seed)
    t, d = (int(v) for v in shape.split("x"))
    s = float(scale) ** 0.5  # q.k / sqrt(d) then has standard deviation SCALE
    q = rng.standard_normal((t, d)) * s
    k = rng.standard_normal((t, d)) * s
    # keys later in the sequence score higher, so the running maximum keeps moving
    k += np.linspace(0.0, 2.0, t)[:, None] * np.sign(q.mean(axis=0))[None, :]
    v = rng.standard_normal((t, d))
    write_npz(
        {
            "q": q.astype(np.float32),
            "k": k.astype(np.float32),
            "v": v.astype(np.float32),
            "block_size": np.int64(int(block)),
        }
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
