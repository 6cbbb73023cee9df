"""Test input for layernorm-backward: `gen.py SEED NxD DTYPE [PROFILE]` writes an .npz
of dy, x, gamma, eps.

PROFILE: `normal` (random offset and scale per row) or `smallvar` (row spread
3e-4..1e-2 around a small offset, where eps inside or outside the square root
matters). Deterministic: everything derives from SEED and the archive has fixed
timestamps.
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
    n, d = (int(v) for v in shape.split("x"))
    if profile == "normal":
        offset = rng.normal(0.0, 2.0, size=(n, 1))
        scale = rng.uniform(0.5, 3.0, size=(n, 1))
    elif profile == "smallvar":
        offset = rng.normal(0.0, 0.05, size=(n, 1))
        scale = 10.0 ** rng.uniform(-3.5, -2.0, size=(n, 1))
    else:
        raise SystemExit(f"unknown profile {profile}")
    x = offset + scale * rng.standard_normal((n, d))
    dy = rng.standard_normal((n, d))
    gamma = rng.normal(1.0, 0.3, size=d)
    eps = np.float64(1e-5)
    write_npz(
        {"dy": dy.astype(dtype), "x": x.astype(dtype), "gamma": gamma.astype(dtype), "eps": eps}
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
