# List every process visible through /proc with its command line.
import os

seen = []
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                seen.append(fh.read().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            seen.append("?")
print("PROCS", len(seen))
print("\n".join(seen))
