"""Test input for the attention problems: `gen.py SEED BxTxD DTYPE CAUSAL`: q, k, v,
do (the upstream gradient) and causal (0-d bool)."""

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


def main(seed, shape, dtype, causal):
    rng = np.random.default_rng(seed)
    b, t, d = (int(v) for v in shape.split("x"))
    arrays = {name: rng.standard_normal((b, t, d)) * 1.5 for name in ("q", "k", "v", "do")}
    arrays = {name: value.astype(dtype) for name, value in arrays.items()}
    arrays["causal"] = np.bool_(causal == "1")
    write_npz(arrays)


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
