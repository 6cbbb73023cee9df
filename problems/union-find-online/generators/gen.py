"""Test input for union-find-online: `gen.py SEED PROFILE N Q`.

random: uniform random cables; path: the cables of one long path in a random order
of nodes, added in path order (deep trees without union by size); star: every node
joined to one hub, with repeats. Deterministic from SEED.
"""

import random
import sys


def main(seed, profile, n, q):
    rng = random.Random(seed)
    n, q = int(n), int(q)
    if profile == "random":
        edges = [(rng.randint(1, n), rng.randint(1, n)) for _ in range(q)]
    elif profile == "path":
        perm = list(range(1, n + 1))
        rng.shuffle(perm)
        edges = [(perm[i + 1], perm[i]) for i in range(n - 1)]
        edges += [(rng.randint(1, n), rng.randint(1, n)) for _ in range(q - len(edges))]
    elif profile == "star":
        hub = rng.randint(1, n)
        edges = [(rng.randint(1, n), hub) for _ in range(q)]
    else:
        raise SystemExit(f"unknown profile {profile}")
    lines = [f"{n} {len(edges)}"] + [f"{u} {v}" for u, v in edges]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
