"""Writes its own output archive straight to the harness's real stdout (any open descriptor but
stdin and stderr) with a forged `__error__` member holding NaN and a string
member named like a secret, then exits before the harness writes. The checker once
turned that into IE (int(nan)), retried three times; now it is WA with a fixed
sentence that quotes nothing."""

import io
import os

import numpy as np

buffer = io.BytesIO()
np.savez(buffer, __error__=np.array([np.nan, 1e300]), SMUGGLED1234=np.array(["secret"]))
for fd in range(3, 16):
    try:
        if not (os.path.sameopenfile(fd, 2) or os.path.sameopenfile(fd, 0)):
            os.write(fd, buffer.getvalue())
    except OSError:
        pass
os._exit(0)
