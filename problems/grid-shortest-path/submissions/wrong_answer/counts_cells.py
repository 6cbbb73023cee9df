"""Right BFS, but prints the number of cells on the path (one more than the moves)."""

import sys
from collections import deque


def main():
    data = sys.stdin.buffer.read().split()
    h, w = int(data[0]), int(data[1])
    grid = b"".join(data[2 : 2 + h])
    start, target = grid.index(b"S"), grid.index(b"T")
    dist = [-1] * (h * w)
    dist[start] = 1
    queue = deque([start])
    while queue:
        cell = queue.popleft()
        r, c = divmod(cell, w)
        for nxt, ok in ((cell - w, r > 0), (cell + w, r < h - 1), (cell - 1, c > 0), (cell + 1, c < w - 1)):
            if ok and dist[nxt] < 0 and grid[nxt] != ord("#"):
                dist[nxt] = dist[cell] + 1
                queue.append(nxt)
    print(dist[target])


main()
