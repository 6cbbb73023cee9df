# Fork until the pids limit stops us, forever: must end as TLE, leaving nothing behind.
import os

while True:
    try:
        os.fork()
    except OSError:
        pass
