# Mistake: recursive flood fill; a region of a million cells exceeds the recursion limit.
def largest_region(grid):
    rows, cols = len(grid), len(grid[0])
    seen = [[False] * cols for _ in range(rows)]

    def fill(y, x):
        if y < 0 or y >= rows or x < 0 or x >= cols or grid[y][x] != 1 or seen[y][x]:
            return 0
        seen[y][x] = True
        return 1 + fill(y + 1, x) + fill(y - 1, x) + fill(y, x + 1) + fill(y, x - 1)

    return max((fill(r, c) for r in range(rows) for c in range(cols)), default=0)
