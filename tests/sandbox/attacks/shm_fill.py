# Fill /dev/shm (memory the test's processes do not map) and hold it.
import errno
import os
import time

written = 0
try:
    with open(f"/dev/shm/fill-{os.getpid()}", "wb") as fh:
        while written < (512 << 20):
            fh.write(b"\1" * (1 << 20))
            fh.flush()
            written += 1 << 20
except OSError as exc:
    if exc.errno != errno.ENOSPC:
        raise
time.sleep(1)
print("ESCAPED held", written >> 20, "MB")
