# Mistake: a recursive flood fill. Correct on small grids, but a region of millions
# of cells recurses far past Python's recursion limit (RecursionError).
import sys


def main():
    data = sys.stdin.buffer.read().split()
    rows, cols = int(data[0]), int(data[1])
    grid = [bytearray(line) for line in data[2 : 2 + rows]]

    def fill(y, x):
        if y < 0 or y >= rows or x < 0 or x >= cols or grid[y][x] != 49:
            return 0
        grid[y][x] = 48
        return 1 + fill(y + 1, x) + fill(y - 1, x) + fill(y, x + 1) + fill(y, x - 1)

    best = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] == 49:
                best = max(best, fill(r, c))
    print(best)


main()
