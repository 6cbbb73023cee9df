# Mistake: an off-by-one in the column bounds check (`nx < cols - 1`), so the last
# column is never entered from its left neighbour.
import sys
from collections import deque


def main():
    data = sys.stdin.buffer.read().split()
    rows, cols = int(data[0]), int(data[1])
    grid = [bytearray(line) for line in data[2 : 2 + rows]]
    best = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] != 49:
                continue
            grid[r][c] = 48
            queue = deque([(r, c)])
            size = 0
            while queue:
                y, x = queue.popleft()
                size += 1
                for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                    if 0 <= ny < rows and 0 <= nx < cols - 1 and grid[ny][nx] == 49:
                        grid[ny][nx] = 48
                        queue.append((ny, nx))
            best = max(best, size)
    print(best)


main()
