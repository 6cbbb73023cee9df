"""Test input for groupnorm-forward: `gen.py SEED NxCxHxW G DTYPE [PROFILE]`.

PROFILE `normal` (offset and scale per group) or `smallvar` (spread 1e-4..1e-2,
where eps inside or outside the square root matters)."""

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


def main(seed, shape, groups, dtype, profile="normal"):
    rng = np.random.default_rng(seed)
    n, c, h, w = (int(v) for v in shape.split("x"))
    g = int(groups)
    if profile == "normal":
        offset = rng.normal(0.0, 2.0, size=(n, g, 1))
        scale = rng.uniform(0.5, 3.0, size=(n, g, 1))
    else:
        offset = rng.normal(0.0, 0.05, size=(n, g, 1))
        scale = 10.0 ** rng.uniform(-4.0, -2.0, size=(n, g, 1))
    # channels of one group differ a little, so per-channel statistics are wrong
    x = offset + scale * rng.standard_normal((n, g, c // g * h * w))
    x = x.reshape(n, c, h, w) + scale.repeat(c // g, axis=1).reshape(n, c, 1, 1) * rng.normal(
        0.0, 0.5, size=(n, c, 1, 1)
    )
    gamma = rng.normal(1.0, 0.3, size=c)
    beta = rng.normal(0.0, 0.3, size=c)
    write_npz(
        {
            "x": x.astype(dtype),
            "gamma": gamma.astype(dtype),
            "beta": beta.astype(dtype),
            "num_groups": np.int64(g),
            "eps": np.float64(1e-5),
        }
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
