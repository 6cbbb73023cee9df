# Kill the supervising process, pid 1 and everything else visible.
import os
import signal

me = os.getpid()
killed = []
pids = [os.getppid(), 1] + [int(p) for p in os.listdir("/proc") if p.isdigit()]
for pid in pids:
    if pid == me:
        continue
    try:
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)
    except (PermissionError, ProcessLookupError):
        pass
try:
    os.kill(-1, signal.SIGKILL)  # everything we may signal, except ourselves
except OSError:
    pass
print("ESCAPED", killed) if killed else print("BLOCKED")
