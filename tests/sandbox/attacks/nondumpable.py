# Learner processes are not dumpable: no core dump for a host handler, no ptrace or
# /proc/<pid>/mem between the learner's own processes.
import ctypes
import os
import time

libc = ctypes.CDLL(None, use_errno=True)
PR_GET_DUMPABLE, PTRACE_ATTACH = 3, 16
wins = []
if libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0:
    wins.append("dumpable")
parent = os.getpid()
r, w = os.pipe()
child = os.fork()
if child == 0:
    found = []
    if libc.ptrace(PTRACE_ATTACH, parent, None, None) == 0:
        found.append("ptrace")
    try:
        with open(f"/proc/{parent}/mem", "rb") as fh:
            fh.seek(0x400000)
            fh.read(1)
        found.append("mem")
    except OSError:
        pass
    try:
        with open(f"/proc/{parent}/environ", "rb") as fh:
            fh.read()
        found.append("environ")
    except OSError:
        pass
    os.write(w, " ".join(found).encode() or b"-")
    os._exit(0)
os.waitpid(child, 0)
time.sleep(0.05)
found = os.read(r, 100).decode().strip("-")
wins += found.split()
print("OPEN " + " ".join(wins) if wins else "BLOCKED")
