# A double fork leaves a grandchild that busy-loops after the test's program exits:
# the namespace's end kills it; the next test must not meet it (assert_clean_after).
import os

if os.fork() == 0:
    if os.fork() == 0:
        os.setsid()
        while True:
            pass
    os._exit(0)
os.wait()
print("ORPHANED")
