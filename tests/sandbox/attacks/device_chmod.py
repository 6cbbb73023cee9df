# Change the judge's device nodes (bwrap binds the host's /dev/null, /dev/zero, ...):
# chmod to the mode they already have, so a success is harmless but still visible.
# (Touching timestamps needs only write access, which everyone has on these nodes.)
import os

wins = []
for dev in ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"):
    try:
        mode = os.stat(dev).st_mode & 0o7777
        os.chmod(dev, mode)
        wins.append(f"chmod {dev}")
    except OSError:
        pass
print("ESCAPED", wins) if wins else print("BLOCKED")
