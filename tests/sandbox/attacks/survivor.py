# A child that ignores every catchable signal, leaves the session and keeps writing a
# heartbeat: it must not live on into the next test.
import os
import signal
import time

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        while True:
            with open("/work/heartbeat", "w") as fh:
                fh.write(str(time.time()))
            time.sleep(0.05)
    os._exit(0)
os.wait()
time.sleep(0.2)
print("LEFT")
