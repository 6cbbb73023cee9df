# TCP to the judge's loopback listener and to the internet.
import os
import socket

targets = [("127.0.0.1", int(os.environ["HOST_PORT"])), ("1.1.1.1", 80), ("8.8.8.8", 53)]
connected = []
for host, port in targets:
    try:
        socket.create_connection((host, port), timeout=2).close()
        connected.append(f"{host}:{port}")
    except OSError:
        pass
print("ESCAPED " + " ".join(connected) if connected else "BLOCKED")
