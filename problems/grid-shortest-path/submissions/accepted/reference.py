"""BFS over the flattened grid with a deque; cells marked when enqueued."""

import sys
from collections import deque


def main():
    data = sys.stdin.buffer.read().split()
    h, w = int(data[0]), int(data[1])
    grid = b"".join(data[2 : 2 + h])
    start, target = grid.index(b"S"), grid.index(b"T")
    wall = ord("#")
    dist = [-1] * (h * w)
    dist[start] = 0
    queue = deque([start])
    while queue:
        cell = queue.popleft()
        if cell == target:
            break
        r, c = divmod(cell, w)
        d = dist[cell] + 1
        for nxt, ok in ((cell - w, r > 0), (cell + w, r < h - 1), (cell - 1, c > 0), (cell + 1, c < w - 1)):
            if ok and dist[nxt] < 0 and grid[nxt] != wall:
                dist[nxt] = d
                queue.append(nxt)
    print(dist[target])


main()
