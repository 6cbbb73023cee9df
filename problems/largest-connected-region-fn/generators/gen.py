"""Test inputs for largest-connected-region-fn: `gen.py SEED MODE R C [DENSITY]`.

Prints `{"args": [grid]}` with grid a list of R lists of C integers 0/1. Modes as
in largest-connected-region: random, ones, snake, checker, small. Deterministic:
everything comes from random.Random(SEED).
"""

import json
import random
import sys


def main():
    seed, mode, rows, cols = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(seed)
    if mode == "small":
        rows, cols = rng.randint(1, rows), rng.randint(1, cols)
        density = rng.choice([0.2, 0.45, 0.6, 0.8])
        mode = "random"
    else:
        density = float(sys.argv[5]) if len(sys.argv) > 5 else 0.5
    if mode == "random":
        grid = [[1 if rng.random() < density else 0 for _ in range(cols)] for _ in range(rows)]
    elif mode == "ones":
        grid = [[1] * cols for _ in range(rows)]
    elif mode == "snake":
        grid = []
        for r in range(rows):
            row = [1] * cols if r % 2 == 0 else [0] * cols
            if r % 2 == 1:
                row[cols - 1 if r % 4 == 1 else 0] = 1
            grid.append(row)
    elif mode == "checker":
        grid = [[(r + c + 1) % 2 for c in range(cols)] for r in range(rows)]
    else:
        raise SystemExit(f"unknown mode {mode}")
    sys.stdout.write(json.dumps({"args": [grid]}, separators=(",", ":")))
    sys.stdout.write("\n")


main()
