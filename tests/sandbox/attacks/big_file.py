# One file far larger than the file-size limit.
with open("big.bin", "wb") as fh:
    for _ in range(64):
        fh.write(b"\0" * (1 << 20))
print("ESCAPED: wrote 64 MiB")
