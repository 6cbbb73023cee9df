# Allocate and touch 16 MiB blocks until something stops us.
blocks = []
while True:
    blocks.append(bytearray(16 << 20))
