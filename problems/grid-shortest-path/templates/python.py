import sys


def shortest_path(h, w, grid):
    """Minimum number of moves from S to T (4 directions, '#' is a wall), or -1."""
    # TODO: breadth-first search from S
    return -1


def main():
    data = sys.stdin.read().split()
    h, w = int(data[0]), int(data[1])
    print(shortest_path(h, w, data[2 : 2 + h]))


main()
