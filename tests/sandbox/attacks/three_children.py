# Three children hold 300 MB each under a 512 MB limit (each alone is within it).
import os
import time

pids = []
for _ in range(3):
    pid = os.fork()
    if pid == 0:
        block = bytearray(300 << 20)
        for i in range(0, len(block), 4096):
            block[i] = 1
        time.sleep(3)
        os._exit(0)
    pids.append(pid)
failed = 0
for pid in pids:
    _, status = os.waitpid(pid, 0)
    failed += status != 0
print("ESCAPED" if not failed else f"PARTIAL {failed}")
