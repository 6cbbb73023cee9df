"""Test input for linear-backward: `gen.py SEED NxINxOUT DTYPE`: dy, x, w."""

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
    n, fan_in, fan_out = (int(v) for v in shape.split("x"))
    write_npz(
        {
            "dy": rng.standard_normal((n, fan_out)).astype(dtype),
            "x": rng.standard_normal((n, fan_in)).astype(dtype),
            "w": (rng.standard_normal((fan_out, fan_in)) / np.sqrt(fan_in)).astype(dtype),
        }
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
