"""Kahn's algorithm with a min-heap of ready tasks."""

import heapq
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    out = [[] for _ in range(n + 1)]
    indeg = [0] * (n + 1)
    for i in range(m):
        u, v = int(data[2 + 2 * i]), int(data[3 + 2 * i])
        out[u].append(v)
        indeg[v] += 1
    ready = [t for t in range(1, n + 1) if indeg[t] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        t = heapq.heappop(ready)
        order.append(t)
        for v in out[t]:
            indeg[v] -= 1
            if indeg[v] == 0:
                heapq.heappush(ready, v)
    print(" ".join(map(str, order)) if len(order) == n else "CYCLE")


main()
