"""Test input for layernorm-fp16-stable: `gen.py SEED NxD OFFSET SPREAD` writes an .npz of
float16 x, gamma, beta and eps.

Row r is OFFSET * u_r + SPREAD * v_r * z with u_r, v_r in [0.5, 1.5] and z standard
normal, rounded to float16: with OFFSET ~ 1e3..1e4 and a small SPREAD, E[x^2] and
E[x]^2 agree in their leading digits (and overflow float16), which is the point.
Deterministic in SEED, fixed archive timestamps.
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


def main(seed, shape, offset, spread):
    rng = np.random.default_rng(seed)
    n, d = (int(v) for v in shape.split("x"))
    sign = rng.choice([-1.0, 1.0], size=(n, 1))
    row_offset = float(offset) * rng.uniform(0.5, 1.5, size=(n, 1)) * sign
    row_spread = float(spread) * rng.uniform(0.5, 1.5, size=(n, 1))
    x = row_offset + row_spread * rng.standard_normal((n, d))
    gamma = rng.normal(1.0, 0.2, size=d)
    beta = rng.normal(0.0, 0.2, size=d)
    write_npz(
        {
            "x": x.astype(np.float16),
            "gamma": gamma.astype(np.float16),
            "beta": beta.astype(np.float16),
            "eps": np.float64(1e-5),
        }
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
