# Fill /dev/shm (memory the test's processes do not map) and hold it.
import errno
import os
import time

written = 0
try:
    # files of 8 MB each (under the file size limit) until the tmpfs is full
    for n in range(64):
        with open(f"/dev/shm/fill-{os.getpid()}-{n}", "wb") as fh:
            for _ in range(8):
                fh.write(b"\1" * (1 << 20))
                fh.flush()
                written += 1 << 20
except OSError as exc:
    if exc.errno != errno.ENOSPC:
        raise
time.sleep(1)
print("ESCAPED held", written >> 20, "MB")
