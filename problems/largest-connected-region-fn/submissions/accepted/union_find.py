def largest_region(grid):
    rows = len(grid)
    cols = len(grid[0]) if rows else 0
    parent = list(range(rows * cols))
    size = [1] * (rows * cols)

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        a, b = find(a), find(b)
        if a == b:
            return
        if size[a] < size[b]:
            a, b = b, a
        parent[b] = a
        size[a] += size[b]

    best = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] != 1:
                continue
            i = r * cols + c
            if c > 0 and grid[r][c - 1] == 1:
                union(i, i - 1)
            if r > 0 and grid[r - 1][c] == 1:
                union(i, i - cols)
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] == 1:
                best = max(best, size[find(r * cols + c)])
    return best
