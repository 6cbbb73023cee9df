"""Kruskal: sort by weight, union-find with path halving and union by size."""

import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    us = data[2 : 2 + 3 * m : 3]
    vs = data[3 : 3 + 3 * m : 3]
    ws = list(map(int, data[4 : 4 + 3 * m : 3]))
    parent = list(range(n + 1))
    size = [1] * (n + 1)
    total = taken = 0
    for i in sorted(range(m), key=ws.__getitem__):
        u, v = int(us[i]), int(vs[i])
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        if u != v:
            if size[u] < size[v]:
                u, v = v, u
            parent[v] = u
            size[u] += size[v]
            total += ws[i]
            taken += 1
            if taken == n - 1:
                break
    print(total if taken == n - 1 else "IMPOSSIBLE")


main()
