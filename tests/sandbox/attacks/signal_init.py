# Kill, stop or trace the test's init and the relay above it (the processes that
# report how the test ended) by signal and by ptrace: all must fail.
import ctypes
import os
import signal

libc = ctypes.CDLL(None, use_errno=True)
wins = []
for target in {1, os.getppid()}:
    for sig in (signal.SIGKILL, signal.SIGSTOP, signal.SIGTERM):
        try:
            os.kill(target, sig)
            wins.append(f"kill {target} {sig}")
        except OSError:
            pass
    for req in (16, 0x4206):  # PTRACE_ATTACH, PTRACE_SEIZE
        if libc.ptrace(req, target, None, None) == 0:
            wins.append(f"ptrace {req} {target}")
print("ESCAPED", wins) if wins else print("BLOCKED")
