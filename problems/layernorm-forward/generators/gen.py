"""Test input for layernorm-forward: `gen.py SEED SHAPE DTYPE [PROFILE]` writes an .npz.

SHAPE is like 64x768 (the last axis is normalised); PROFILE picks the rows:
  normal    x ~ N(mu, sigma) with a random offset and scale per row
  smallvar  rows with spread 3e-4..1e-2 and one constant row, where eps decides
            (offsets stay small so float32 rounding of the mean stays harmless)
Everything derives from SEED, and the archive carries fixed timestamps, so the
same arguments give the same bytes.
"""

import io
import sys
import zipfile

import numpy as np


def write_npz(arrays):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, value in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            with archive.open(info, "w") as fh:
                np.lib.format.write_array(fh, np.asarray(value), allow_pickle=False)
    sys.stdout.buffer.write(buffer.getvalue())


def main(seed, shape, dtype, profile="normal"):
    rng = np.random.default_rng(seed)
    dims = tuple(int(n) for n in shape.split("x"))
    rows = dims[:-1]
    d = dims[-1]
    if profile == "normal":
        offset = rng.normal(0.0, 2.0, size=(*rows, 1))
        scale = rng.uniform(0.5, 3.0, size=(*rows, 1))
    elif profile == "smallvar":
        offset = rng.normal(0.0, 0.05, size=(*rows, 1))
        scale = 10.0 ** rng.uniform(-3.5, -2.0, size=(*rows, 1))
        scale.reshape(-1)[0] = 0.0  # one constant row: the variance is exactly 0
    else:
        raise SystemExit(f"unknown profile {profile}")
    x = offset + scale * rng.standard_normal(dims)
    gamma = rng.normal(1.0, 0.3, size=d)
    beta = rng.normal(0.0, 0.3, size=d)
    eps = np.float64(10.0 ** rng.integers(-6, -3)) if profile == "normal" else np.float64(1e-5)
    write_npz(
        {"x": x.astype(dtype), "gamma": gamma.astype(dtype), "beta": beta.astype(dtype), "eps": eps}
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
