# Mistake: prints the number of regions instead of the size of the largest one.
import sys


def main():
    data = sys.stdin.buffer.read().split()
    rows, cols = int(data[0]), int(data[1])
    grid = [bytearray(line) for line in data[2 : 2 + rows]]
    regions = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] != 49:
                continue
            regions += 1
            grid[r][c] = 48
            stack = [(r, c)]
            while stack:
                y, x = stack.pop()
                for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                    if 0 <= ny < rows and 0 <= nx < cols and grid[ny][nx] == 49:
                        grid[ny][nx] = 48
                        stack.append((ny, nx))
    print(regions)


main()
