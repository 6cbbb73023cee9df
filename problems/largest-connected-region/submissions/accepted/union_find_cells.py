# A plain per-cell union-find, as a learner writes it: one node per cell, each 1
# joined with the 1 to its left and the 1 above it, then the largest set's size.
# Linear, but a Python loop over all four million cells: the limit is set for it.
import sys


def main():
    data = sys.stdin.buffer.read().split()
    rows, cols = int(data[0]), int(data[1])
    grid = data[2 : 2 + rows]
    parent = list(range(rows * cols))
    size = [1] * (rows * cols)

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        a, b = find(a), find(b)
        if a == b:
            return
        if size[a] < size[b]:
            a, b = b, a
        parent[b] = a
        size[a] += size[b]

    best = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] != 49:
                continue
            i = r * cols + c
            if c > 0 and grid[r][c - 1] == 49:
                union(i, i - 1)
            if r > 0 and grid[r - 1][c] == 49:
                union(i, i - cols)
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] == 49:
                best = max(best, size[find(r * cols + c)])
    print(best)


main()
