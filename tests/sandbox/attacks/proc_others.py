# List /proc and read every other process's cmdline, environ, maps and status: only
# this test's own processes (itself, a child it started, its namespace's init with a
# blank command line) may show up, and nothing of the supervising agent.
import os
import time

child = os.fork()
if child == 0:
    time.sleep(30)
    os._exit(0)
me = os.getpid()
leaks = []
others = []
for entry in os.listdir("/proc"):
    if not entry.isdigit() or int(entry) in (me, child):
        continue
    others.append(entry)
    for name in ("cmdline", "environ", "maps", "status"):
        try:
            with open(f"/proc/{entry}/{name}", "rb") as fh:
                data = fh.read()
        except OSError:
            continue
        if name == "status":
            text = data.decode(errors="replace")
            if "agent" in text or "bwrap" in text:
                leaks.append(f"{entry}/status")
        elif data.strip(b"\0") and not (name == "maps" and entry == "1"):
            # (gVisor shows the init's maps: the interpreter and its libraries)
            leaks.append(f"{entry}/{name}")
os.kill(child, 9)
os.waitpid(child, 0)
print("LEAK " + " ".join(leaks) if leaks else f"ONLY {' '.join(sorted(others))}")
