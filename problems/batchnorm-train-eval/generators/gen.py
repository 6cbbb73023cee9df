"""Test input for batchnorm-train-eval: `gen.py SEED NxC DTYPE MODE` writes an .npz of
x, gamma, beta, running_mean, running_var, momentum, eps, training.

MODE is `train` or `eval`. Running statistics are plausible but far from the batch's
own, so that using one in place of the other shows. Deterministic in SEED, fixed
archive timestamps.
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


def main(seed, shape, dtype, mode):
    rng = np.random.default_rng(seed)
    n, c = (int(v) for v in shape.split("x"))
    channel_mean = rng.normal(0.0, 3.0, size=c)
    channel_std = rng.uniform(0.2, 4.0, size=c)
    x = channel_mean + channel_std * rng.standard_normal((n, c))
    running_mean = channel_mean + rng.normal(0.0, 1.0, size=c)
    running_var = channel_std**2 * rng.uniform(0.3, 3.0, size=c)
    momentum = np.float64(rng.choice([0.1, 0.01, 0.3]))
    eps = np.float64(rng.choice([1e-5, 1e-3]))
    write_npz(
        {
            "x": x.astype(dtype),
            "gamma": rng.normal(1.0, 0.3, size=c).astype(dtype),
            "beta": rng.normal(0.0, 0.3, size=c).astype(dtype),
            "running_mean": running_mean.astype(dtype),
            "running_var": running_var.astype(dtype),
            "momentum": momentum,
            "eps": eps,
            "training": np.bool_(mode == "train"),
        }
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
