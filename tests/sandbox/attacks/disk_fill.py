# Fill the workdir with 1 MiB files until the filesystem says no.
import errno

n = 0
try:
    while True:
        with open(f"fill{n}", "wb") as fh:
            fh.write(b"\0" * (1 << 20))
        n += 1
except OSError as exc:
    print("STOPPED", errno.errorcode.get(exc.errno, exc.errno), n)
