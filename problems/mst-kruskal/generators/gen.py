"""Test input for mst-kruskal: `gen.py SEED PROFILE N M`.

random: a random spanning tree plus random extra edges (connected), weights up to 1e9;
path: a path with heavy edges plus lighter random shortcuts; split: two halves with no
edge between them (IMPOSSIBLE). Deterministic from SEED.
"""

import random
import sys


def main(seed, profile, n, m):
    rng = random.Random(seed)
    n, m = int(n), int(m)
    nodes = list(range(1, n + 1))
    rng.shuffle(nodes)
    if profile == "split":
        half = n // 2
        parts = [nodes[:half], nodes[half:]]
    else:
        parts = [nodes]
    edges = []
    for part in parts:
        for i in range(1, len(part)):
            j = i - 1 if profile == "path" else rng.randrange(i)
            weight = rng.randint(5 * 10**8, 10**9) if profile == "path" else rng.randint(1, 10**9)
            edges.append((part[i], part[j], weight))
    while len(edges) < m:
        part = parts[rng.randrange(len(parts))]
        u, v = rng.choice(part), rng.choice(part)
        edges.append((u, v, rng.randint(1, 10**9)))
    rng.shuffle(edges)
    lines = [f"{n} {len(edges)}"] + [f"{u} {v} {w}" for u, v, w in edges]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), *sys.argv[2:])
