"""Test inputs for largest-connected-region: `gen.py SEED MODE R C [DENSITY]`.

Modes: random (each cell 1 with probability DENSITY), ones (one full region),
snake (one path through every other row: deep recursion for a naive DFS),
checker (a checkerboard: R*C/2 regions of one cell), blobs (small squares).
Deterministic: everything comes from random.Random(SEED).
"""

import random
import sys


def random_grid(rng, rows, cols, density):
    cut = int(density * 256)
    table = bytes((ord("1") if value < cut else ord("0")) for value in range(256))
    return [rng.randbytes(cols).translate(table) for _ in range(rows)]


def snake(rows, cols):
    grid = []
    for r in range(rows):
        if r % 2 == 0:
            grid.append(b"1" * cols)
        else:
            line = bytearray(b"0" * cols)
            line[cols - 1 if r % 4 == 1 else 0] = ord("1")
            grid.append(bytes(line))
    return grid


def checker(rows, cols):
    even = (b"10" * (cols // 2 + 1))[:cols]
    odd = (b"01" * (cols // 2 + 1))[:cols]
    return [even if r % 2 == 0 else odd for r in range(rows)]


def blobs(rng, rows, cols):
    grid = [bytearray(b"0" * cols) for _ in range(rows)]
    for r in range(0, rows - 1, 3):
        for c in range(0, cols - 1, 3):
            if rng.random() < 0.7:
                h, w = rng.randint(1, 2), rng.randint(1, 2)
                for dr in range(h):
                    grid[r + dr][c : c + w] = b"1" * w
    return [bytes(line) for line in grid]


def main():
    seed, mode, rows, cols = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(seed)
    if mode == "random":
        grid = random_grid(rng, rows, cols, float(sys.argv[5]))
    elif mode == "ones":
        grid = [b"1" * cols] * rows
    elif mode == "snake":
        grid = snake(rows, cols)
    elif mode == "checker":
        grid = checker(rows, cols)
    elif mode == "blobs":
        grid = blobs(rng, rows, cols)
    elif mode == "small":
        rows, cols = rng.randint(1, rows), rng.randint(1, cols)
        grid = random_grid(rng, rows, cols, rng.choice([0.2, 0.45, 0.6, 0.8]))
    else:
        raise SystemExit(f"unknown mode {mode}")
    out = sys.stdout.buffer
    out.write(f"{rows} {cols}\n".encode())
    out.write(b"\n".join(grid))
    out.write(b"\n")


main()
