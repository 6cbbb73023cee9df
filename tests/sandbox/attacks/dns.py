# Name resolution and raw UDP to a public resolver.
import socket

leaks = []
for name in ("example.com", "example.org"):
    try:
        leaks.append(str(socket.getaddrinfo(name, 80)[0][4]))
    except OSError:
        pass
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    s.sendto(
        b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03com\x00\x00\x01\x00\x01",
        ("8.8.8.8", 53),
    )
    leaks.append(repr(s.recvfrom(512)[0][:8]))
except OSError:
    pass
print("ESCAPED " + " ".join(leaks) if leaks else "BLOCKED")
