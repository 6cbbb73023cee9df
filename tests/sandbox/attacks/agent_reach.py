# Reach the processes that are not this test's (the agent that measures it, the
# fork server it came from): find them by guessed pids (signal 0 answers EPERM for a
# process of another uid), then try to read their memory, signal, stop, renice or
# re-limit them, through /proc, kill, a pidfd and prlimit. (What /proc shows of them
# is agent_proc.py's and proc_others.py's part.)
import os
import resource
import signal

me = os.getpid()
found = []
for pid in range(1, 1 << 15):
    if pid == me:
        continue
    try:
        os.kill(pid, 0)
        found.append(pid)  # ours to signal: there should be none
    except PermissionError:
        found.append(pid)
    except ProcessLookupError:
        pass
wins = []
reniced = []  # (gVisor lets a process renice its PID namespace's init: the test's own)
for pid in found:
    try:
        with open(f"/proc/{pid}/mem", "rb") as fh:
            fh.read(64)
        wins.append(f"{pid}/mem")
    except OSError:
        pass
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        try:
            os.kill(pid, sig)
            wins.append(f"kill {pid}")
        except OSError:
            pass
    try:
        fd = os.pidfd_open(pid)
        try:
            signal.pidfd_send_signal(fd, signal.SIGKILL)
            wins.append(f"pidfd {pid}")
        except OSError:
            pass
        finally:
            os.close(fd)
    except OSError:
        pass
    try:
        os.setpriority(os.PRIO_PROCESS, pid, 19)
        reniced.append(str(pid))
    except OSError:
        pass
    try:
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (1, 1))
        wins.append(f"prlimit {pid}")
    except OSError:
        pass
if wins:
    print("ESCAPED " + " ".join(wins))
else:
    print(f"BLOCKED {len(found)}" + (" renice " + " ".join(reniced) if reniced else ""))
