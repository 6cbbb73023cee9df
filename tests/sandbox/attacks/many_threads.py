# Start threads until refused; the count must stay under the pids limit.
import threading

gate = threading.Event()
n = 0
try:
    while n < 100000:
        threading.Thread(target=gate.wait, daemon=True).start()
        n += 1
except (RuntimeError, MemoryError):
    pass
gate.set()
print("LIMITED", n)
