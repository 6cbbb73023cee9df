# Mistake: counts diagonal neighbours too (8-connectivity); the problem asks for 4.
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
                for dy in (-1, 0, 1):
                    for dx in (-1, 0, 1):
                        ny, nx = y + dy, x + dx
                        if 0 <= ny < rows and 0 <= nx < cols and grid[ny][nx] == 49:
                            grid[ny][nx] = 48
                            queue.append((ny, nx))
            best = max(best, size)
    print(best)


main()
