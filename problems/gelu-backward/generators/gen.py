"""Test input for gelu-forward and gelu-backward: `gen.py SEED NxD DTYPE`: x (and dy),
normal with scale 3, a few values of magnitude up to 20."""

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


def main(seed, shape, dtype):
    rng = np.random.default_rng(seed)
    n, d = (int(v) for v in shape.split("x"))
    x = rng.standard_normal((n, d)) * 3.0
    x.flat[: min(4, x.size)] = [20.0, -20.0, 0.0, -0.5][: min(4, x.size)]
    write_npz({"x": x.astype(dtype), "dy": rng.standard_normal((n, d)).astype(dtype)})


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
