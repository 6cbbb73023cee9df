"""Test input for adamw-step: `gen.py SEED SHAPE STEP`: param, grad (some tiny), the
moments of the previous steps, and the hyper-parameters."""

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


def main(seed, shape, step):
    rng = np.random.default_rng(seed)
    dims = tuple(int(v) for v in shape.split("x"))
    t = int(step)
    beta1, beta2 = 0.9, 0.999
    grad = rng.standard_normal(dims) * 10.0 ** rng.uniform(-9.0, 0.0, size=dims)
    if t == 1:
        m, v = np.zeros(dims), np.zeros(dims)
    else:
        scale = np.abs(grad) + 1e-12
        m = rng.standard_normal(dims) * scale * (1 - beta1 ** (t - 1))
        v = (rng.standard_normal(dims) * scale) ** 2 * (1 - beta2 ** (t - 1))
    write_npz(
        {
            "param": rng.standard_normal(dims),
            "grad": grad,
            "m": m,
            "v": v,
            "step": np.int64(t),
            "lr": np.float64(1e-3),
            "beta1": np.float64(beta1),
            "beta2": np.float64(beta2),
            "eps": np.float64(1e-8),
            "weight_decay": np.float64(0.1),
        }
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
