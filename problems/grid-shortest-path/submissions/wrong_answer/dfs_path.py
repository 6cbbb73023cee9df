"""Iterative DFS: reports the length of the first path it finds, not the shortest."""

import sys


def main():
    data = sys.stdin.buffer.read().split()
    h, w = int(data[0]), int(data[1])
    grid = [row.decode() for row in data[2 : 2 + h]]
    start = next((r, row.index("S")) for r, row in enumerate(grid) if "S" in row)
    depth = {start: 0}
    stack = [start]
    while stack:
        r, c = stack.pop()
        if grid[r][c] == "T":
            print(depth[(r, c)])
            return
        for nr, nc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            if 0 <= nr < h and 0 <= nc < w and grid[nr][nc] != "#" and (nr, nc) not in depth:
                depth[(nr, nc)] = depth[(r, c)] + 1
                stack.append((nr, nc))
    print(-1)


main()
