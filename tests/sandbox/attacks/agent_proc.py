# Read what /proc shows of the processes that are not the learner's (the agent):
# its environment, memory, maps, open pipes and kernel stack must stay closed.
import os

me = os.getuid()
others = []
for pid in os.listdir("/proc"):
    if not pid.isdigit():
        continue
    try:
        with open(f"/proc/{pid}/status") as fh:
            uid = next(line.split()[1] for line in fh if line.startswith("Uid:"))
    except (OSError, StopIteration):
        continue
    if int(uid) != me:
        others.append(pid)
wins = []
for pid in others:
    for name in ("environ", "mem", "maps", "fd", "stack", "syscall", "io"):
        path = f"/proc/{pid}/{name}"
        try:
            if name == "fd":
                os.listdir(path)
            else:
                with open(path, "rb") as fh:
                    fh.read(64)
            wins.append(f"{pid}/{name}")
        except OSError:
            pass
print("OPEN " + " ".join(wins) if wins else f"BLOCKED {len(others)}")
