import sys


def largest_region(rows: int, cols: int, grid: list[bytes]) -> int:
    """grid[r][c] is 49 for '1' and 48 for '0'."""
    # TODO: return the size of the largest 4-connected region of 1s
    return 0


def main() -> None:
    data = sys.stdin.buffer.read().split()
    rows, cols = int(data[0]), int(data[1])
    print(largest_region(rows, cols, data[2 : 2 + rows]))


main()
