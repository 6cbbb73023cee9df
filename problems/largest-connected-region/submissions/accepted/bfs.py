# Iterative flood fill over a flat byte grid. A sentinel '0' column after every row
# and a '0' row at the end make every neighbour index valid (index -1 and -w wrap to
# the sentinel row), so the inner loop needs no bounds checks.
import sys


def main():
    data = sys.stdin.buffer.read().split()
    rows, cols = int(data[0]), int(data[1])
    width = cols + 1
    grid = bytearray(b"0".join(data[2 : 2 + rows]) + b"0" + b"0" * width)
    one, zero = 49, 48
    best = 0
    start = grid.find(b"1")
    while start != -1:
        grid[start] = zero
        stack = [start]
        push, pop = stack.append, stack.pop
        size = 0
        while stack:
            i = pop()
            size += 1
            j = i - 1
            if grid[j] == one:
                grid[j] = zero
                push(j)
            j = i + 1
            if grid[j] == one:
                grid[j] = zero
                push(j)
            j = i - width
            if grid[j] == one:
                grid[j] = zero
                push(j)
            j = i + width
            if grid[j] == one:
                grid[j] = zero
                push(j)
        if size > best:
            best = size
        start = grid.find(b"1", start + 1)
    print(best)


main()
