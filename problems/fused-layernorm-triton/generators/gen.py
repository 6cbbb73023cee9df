"""Test input for fused-layernorm-triton: `gen.py SEED MxN DTYPE [PROFILE] [LEADING]`.

Writes an .npz of float32 x, weight, bias, dy whose values are exact in DTYPE
(float32, float16 or bfloat16: NumPy has no bfloat16, so values are rounded to it
here and carried as float32), eps, the dtype's code (0 float32, 1 float16,
2 bfloat16) and, with LEADING (e.g. 4,6), the leading shape x is viewed as.

PROFILE: `normal`; `offset` (row means far from zero, a few hundred times the
spread: one-pass variance loses everything there); `flat` (near-constant rows,
spread about 1e-3, where eps inside or outside the square root matters).
Deterministic in SEED, fixed archive timestamps.
"""

import io
import sys
import zipfile

import numpy as np

CODES = {"float32": 0, "float16": 1, "bfloat16": 2}


def to_dtype(values, dtype):
    v = np.asarray(values, dtype=np.float32)
    if dtype == "float16":
        return v.astype(np.float16).astype(np.float32)
    if dtype == "bfloat16":
        bits = v.view(np.uint32).astype(np.uint64)
        rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
        return rounded.astype(np.uint32).view(np.float32)
    return v


def write_npz(arrays):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, value in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            with archive.open(info, "w") as fh:
                np.lib.format.write_array(fh, np.asarray(value), allow_pickle=False)
    sys.stdout.buffer.write(buffer.getvalue())


def main(seed, shape, dtype, profile="normal", leading=None):
    rng = np.random.default_rng(seed)
    m, n = (int(v) for v in shape.split("x"))
    if profile == "normal":
        x = rng.normal(0.0, 1.0, size=(m, 1)) + rng.uniform(
            0.5, 2.0, size=(m, 1)
        ) * rng.standard_normal((m, n))
    elif profile == "offset":
        x = rng.uniform(50.0, 200.0, size=(m, 1)) * rng.choice(
            [-1, 1], size=(m, 1)
        ) + 0.5 * rng.standard_normal((m, n))
    elif profile == "flat":
        x = rng.normal(0.0, 1.0, size=(m, 1)) + 10.0 ** rng.uniform(
            -3.5, -2.5, size=(m, 1)
        ) * rng.standard_normal((m, n))
    else:
        raise SystemExit(f"unknown profile {profile}")
    arrays = {
        "x": to_dtype(x, dtype),
        "weight": to_dtype(rng.normal(1.0, 0.3, size=n), dtype),
        "bias": to_dtype(rng.normal(0.0, 0.3, size=n), dtype),
        "dy": to_dtype(rng.standard_normal((m, n)), dtype),
        "eps": np.float64(1e-5),
        "dtype": np.int64(CODES[dtype]),
    }
    if leading:
        arrays["leading"] = np.asarray([int(v) for v in leading.split(",")], dtype=np.int64)
    write_npz(arrays)


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
