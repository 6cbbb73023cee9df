"""Correct but quadratic: sweeps the whole grid, relaxing distances, until nothing changes
(one sweep per unit of path length on a winding maze)."""

import sys


def main():
    data = sys.stdin.buffer.read().split()
    h, w = int(data[0]), int(data[1])
    grid = b"".join(data[2 : 2 + h])
    start, target = grid.index(b"S"), grid.index(b"T")
    inf = h * w + 1
    dist = [inf] * (h * w)
    dist[start] = 0
    free = [i for i in range(h * w) if grid[i] != ord("#")]
    changed = True
    while changed:
        changed = False
        for cell in free:
            r, c = divmod(cell, w)
            best = dist[cell]
            if r > 0 and dist[cell - w] + 1 < best:
                best = dist[cell - w] + 1
            if r < h - 1 and dist[cell + w] + 1 < best:
                best = dist[cell + w] + 1
            if c > 0 and dist[cell - 1] + 1 < best:
                best = dist[cell - 1] + 1
            if c < w - 1 and dist[cell + 1] + 1 < best:
                best = dist[cell + 1] + 1
            if best < dist[cell]:
                dist[cell] = best
                changed = True
    print(dist[target] if dist[target] < inf else -1)


main()
