def largest_region(grid: list[list[int]]) -> int:
    """Size of the largest 4-connected region of 1s in grid (0 if none)."""
    # TODO
    return 0
