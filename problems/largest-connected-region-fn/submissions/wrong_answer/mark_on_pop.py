# Mistake: marks a cell visited when it is popped instead of when it is pushed, and
# counts every pop, so a cell reached from two neighbours is counted twice.
def largest_region(grid):
    rows, cols = len(grid), len(grid[0])
    seen = [[False] * cols for _ in range(rows)]
    best = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] != 1 or seen[r][c]:
                continue
            stack = [(r, c)]
            size = 0
            while stack:
                y, x = stack.pop()
                seen[y][x] = True
                size += 1
                for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                    if 0 <= ny < rows and 0 <= nx < cols and grid[ny][nx] == 1 and not seen[ny][nx]:
                        stack.append((ny, nx))
            best = max(best, size)
    return best
