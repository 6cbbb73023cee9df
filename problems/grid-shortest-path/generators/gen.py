"""Test input for grid-shortest-path: `gen.py SEED PROFILE H W`.

random: 30 % walls, S and T at opposite corners; snake: a maze with one corridor
winding through every other row (the path is about H*W/2 long); walled: T enclosed
by walls (answer -1) in an otherwise open grid. Deterministic from SEED.
"""

import random
import sys


def main(seed, profile, h, w):
    rng = random.Random(seed)
    h, w = int(h), int(w)
    if profile == "random":
        rows = [["#" if rng.random() < 0.3 else "." for _ in range(w)] for _ in range(h)]
        rows[0][0], rows[h - 1][w - 1] = "S", "T"
    elif profile == "snake":
        rows = [["." for _ in range(w)] for _ in range(h)]
        for r in range(1, h, 2):
            gap = w - 1 if (r // 2) % 2 == 0 else 0
            for c in range(w):
                if c != gap:
                    rows[r][c] = "#"
        rows[0][0] = "S"
        rows[h - 1][w - 1 if (h - 1) % 4 == 0 else 0] = "T"
    elif profile == "walled":
        rows = [["." for _ in range(w)] for _ in range(h)]
        tr, tc = rng.randrange(2, h - 2), rng.randrange(2, w - 2)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                rows[tr + dr][tc + dc] = "#"
        rows[tr][tc] = "T"
        rows[0][0] = "S"
    else:
        raise SystemExit(f"unknown profile {profile}")
    sys.stdout.write(f"{h} {w}\n" + "\n".join("".join(row) for row in rows) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
