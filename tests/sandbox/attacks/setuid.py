# Become root: setuid(0), setuid-root binaries, capabilities.
import os
import subprocess

wins = []
for call in (lambda: os.setuid(0), lambda: os.setresuid(0, 0, 0), lambda: os.setgid(0)):
    try:
        call()
        wins.append("setuid")
    except PermissionError:
        pass
status = open("/proc/self/status").read()
for line in status.splitlines():
    if line.startswith(("CapEff", "CapPrm", "CapAmb")) and int(line.split()[1], 16) != 0:
        wins.append(line)
for argv in (
    ["su", "-c", "id -u", "root"],
    ["mount", "-t", "tmpfs", "none", "/tmp"],
    ["newgrp", "root"],
):
    try:
        proc = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL, timeout=5)
        if proc.returncode == 0:
            wins.append(" ".join(argv))
    except (OSError, subprocess.TimeoutExpired):
        pass
if os.geteuid() == 0:
    wins.append("euid 0")
print("ESCAPED", wins) if wins else print("BLOCKED")
