# Mistake: measures the region of every cell from scratch (no shared "visited"), so
# a region of k cells costs k^2 work: fine on small grids, hopeless on 2000x2000.
import sys


def main():
    data = sys.stdin.buffer.read().split()
    rows, cols = int(data[0]), int(data[1])
    grid = data[2 : 2 + rows]
    best = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] != 49:
                continue
            seen = {(r, c)}
            stack = [(r, c)]
            while stack:
                y, x = stack.pop()
                for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                    if 0 <= ny < rows and 0 <= nx < cols and grid[ny][nx] == 49 and (ny, nx) not in seen:
                        seen.add((ny, nx))
                        stack.append((ny, nx))
            best = max(best, len(seen))
    print(best)


main()
