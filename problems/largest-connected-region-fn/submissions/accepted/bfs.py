from collections import deque


def largest_region(grid):
    rows = len(grid)
    cols = len(grid[0]) if rows else 0
    seen = [[False] * cols for _ in range(rows)]
    best = 0
    for r in range(rows):
        row = grid[r]
        for c in range(cols):
            if row[c] != 1 or seen[r][c]:
                continue
            seen[r][c] = True
            queue = deque([(r, c)])
            size = 0
            while queue:
                y, x = queue.popleft()
                size += 1
                for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                    if 0 <= ny < rows and 0 <= nx < cols and grid[ny][nx] == 1 and not seen[ny][nx]:
                        seen[ny][nx] = True
                        queue.append((ny, nx))
            best = max(best, size)
    return best
