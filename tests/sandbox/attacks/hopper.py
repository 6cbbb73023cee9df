# A child that hops: it forks and exits without pause, so the process alive now is
# younger than any list of processes taken a moment ago. Where no cgroup and no PID
# namespace ends with the test, the agent decides from such a list whether anything
# is left to kill: this one must not live on into the next test either.
import os
import time

if os.fork() == 0:
    os.setsid()
    last = 0.0
    while True:
        try:
            if os.fork() != 0:
                os._exit(0)
        except OSError:
            time.sleep(0.001)  # out of pids (zombies wait for the agent): keep trying
        now = time.time()
        if now - last > 0.05:
            with open("/work/heartbeat", "w") as fh:
                fh.write(str(now))
            last = now
time.sleep(0.2)
print("LEFT")
