# Two children burn 0.7 s of CPU each (each under a per-process 1 s RLIMIT_CPU) while
# the main process waits and then answers: the test's CPU is all of them together.
import os
import time

pids = []
for _ in range(2):
    pid = os.fork()
    if pid == 0:
        while time.process_time() < 0.7:
            pass
        os._exit(0)
    pids.append(pid)
for pid in pids:
    os.waitpid(pid, 0)
print("ESCAPED answered after 1.4 s of CPU")
