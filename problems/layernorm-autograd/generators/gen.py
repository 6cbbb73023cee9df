"""Test input for layernorm-autograd: `gen.py SEED NxD [PROFILE]` writes an .npz of
float64 x, weight, bias, eps and the upstream gradient dy.

PROFILE: `normal` or `smallvar` (row spread 3e-4..1e-2, where eps inside or outside
the square root matters). Deterministic in SEED, fixed archive timestamps.
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


def main(seed, shape, profile="normal"):
    rng = np.random.default_rng(seed)
    n, d = (int(v) for v in shape.split("x"))
    if profile == "normal":
        x = rng.normal(0.0, 2.0, size=(n, 1)) + rng.uniform(
            0.5, 3.0, size=(n, 1)
        ) * rng.standard_normal((n, d))
    elif profile == "smallvar":
        x = rng.normal(0.0, 0.05, size=(n, 1)) + 10.0 ** rng.uniform(
            -3.5, -2.0, size=(n, 1)
        ) * rng.standard_normal((n, d))
    else:
        raise SystemExit(f"unknown profile {profile}")
    write_npz(
        {
            "x": x,
            "weight": rng.normal(1.0, 0.3, size=d),
            "bias": rng.normal(0.0, 0.3, size=d),
            "eps": np.float64(1e-5),
            "dy": rng.standard_normal((n, d)),
        }
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
