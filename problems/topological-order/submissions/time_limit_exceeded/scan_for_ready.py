"""Correct but quadratic: scans all tasks for the smallest ready one, n times."""

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
    done = [False] * (n + 1)
    order = []
    for _ in range(n):
        t = next((t for t in range(1, n + 1) if not done[t] and indeg[t] == 0), None)
        if t is None:
            print("CYCLE")
            return
        done[t] = True
        order.append(t)
        for v in out[t]:
            indeg[v] -= 1
    print(" ".join(map(str, order)))


main()
