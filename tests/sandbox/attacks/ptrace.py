# Attach to the supervisor with ptrace, read its memory and grab its protocol pipes
# through /proc (a write there would forge the judge's results).
import ctypes
import os
import stat

libc = ctypes.CDLL(None, use_errno=True)
PTRACE_ATTACH, PTRACE_SEIZE = 16, 0x4206
wins = []
for pid in {os.getppid(), 1}:
    for req in (PTRACE_ATTACH, PTRACE_SEIZE):
        if libc.ptrace(req, pid, None, None) == 0:
            wins.append(f"ptrace {req} {pid}")
    try:
        with open(f"/proc/{pid}/mem", "rb") as fh:
            fh.read(16)
        wins.append(f"read /proc/{pid}/mem")
    except OSError:
        pass
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        fds = []
    for fd in fds:
        for mode in ("rb", "ab"):
            try:
                with open(f"/proc/{pid}/fd/{fd}", mode, buffering=0) as fh:
                    st = os.fstat(fh.fileno())
                    # /dev/null is open to everyone anyway (gVisor resolves it)
                    if not (stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)):
                        wins.append(f"open /proc/{pid}/fd/{fd} {mode}")
            except OSError:
                pass
print("ESCAPED", wins) if wins else print("BLOCKED")
