"""Correct but O(n^2): Prim's algorithm scanning every node for the closest one."""

import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    adj = [[] for _ in range(n + 1)]
    for i in range(m):
        u, v, w = int(data[2 + 3 * i]), int(data[3 + 3 * i]), int(data[4 + 3 * i])
        adj[u].append((v, w))
        adj[v].append((u, w))
    inf = float("inf")
    best = [inf] * (n + 1)
    used = [False] * (n + 1)
    best[1] = 0
    total = 0
    for _ in range(n):
        u = min((x for x in range(1, n + 1) if not used[x]), key=best.__getitem__)
        if best[u] == inf:
            print("IMPOSSIBLE")
            return
        used[u] = True
        total += best[u]
        for v, w in adj[u]:
            if not used[v] and w < best[v]:
                best[v] = w
    print(total)


main()
