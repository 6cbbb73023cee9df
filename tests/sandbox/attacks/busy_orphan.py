# Answer at once and leave a busy child behind (a daemon in its own session): it must
# be killed when the test ends, not burn CPU into the next test.
import os

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:
            pass
    os._exit(0)
os.wait()
print("ANSWER")
