# A plain BFS, as a learner writes it: a visited grid, a deque of (row, column)
# pairs and a bounds check per neighbour. Linear, but a Python loop over all four
# million cells: the limit is set for it.
import sys
from collections import deque


def main():
    data = sys.stdin.buffer.read().split()
    rows, cols = int(data[0]), int(data[1])
    grid = data[2 : 2 + rows]
    seen = [[False] * cols for _ in range(rows)]
    best = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] != 49 or seen[r][c]:
                continue
            seen[r][c] = True
            queue = deque([(r, c)])
            size = 0
            while queue:
                y, x = queue.popleft()
                size += 1
                for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                    if 0 <= ny < rows and 0 <= nx < cols and grid[ny][nx] == 49 and not seen[ny][nx]:
                        seen[ny][nx] = True
                        queue.append((ny, nx))
            best = max(best, size)
    print(best)


main()
