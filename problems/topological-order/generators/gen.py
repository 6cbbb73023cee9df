"""Test input for topological-order: `gen.py SEED PROFILE N M`.

dag: random rules along a hidden random permutation (always acyclic); chain: one long
chain in a random order plus nothing else; cycle: a dag plus one rule closing a cycle.
Deterministic from SEED.
"""

import random
import sys


def main(seed, profile, n, m):
    rng = random.Random(seed)
    n, m = int(n), int(m)
    perm = list(range(1, n + 1))
    rng.shuffle(perm)
    edges = []
    if profile == "chain":
        edges = [(perm[i], perm[i + 1]) for i in range(n - 1)]
    else:
        for _ in range(m):
            i, j = sorted(rng.sample(range(n), 2))
            edges.append((perm[i], perm[j]))
        if profile == "cycle":
            i = rng.randrange(n // 2)
            edges.append((perm[i + 1], perm[i]))
            edges.append((perm[i], perm[i + 1]))
    rng.shuffle(edges)
    lines = [f"{n} {len(edges)}"] + [f"{u} {v}" for u, v in edges]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
