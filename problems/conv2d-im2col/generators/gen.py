"""Test input for conv2d-im2col: `gen.py SEED NxCxHxW FxCxKHxKW STRIDE PADDING`."""

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


def main(seed, xshape, wshape, stride, padding):
    rng = np.random.default_rng(seed)
    xs = tuple(int(v) for v in xshape.split("x"))
    ws = tuple(int(v) for v in wshape.split("x"))
    write_npz(
        {
            "x": rng.standard_normal(xs),
            "w": rng.standard_normal(ws) / np.sqrt(ws[1] * ws[2] * ws[3]),
            "b": rng.standard_normal(ws[0]),
            "stride": np.int64(int(stride)),
            "padding": np.int64(int(padding)),
        }
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
