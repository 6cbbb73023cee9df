import sys


def mst_weight(n, edges):
    """Total weight of a minimum spanning tree of edges (u, v, w), or None if disconnected."""
    # TODO: Kruskal: sort by weight, take the edges that join two components
    return None


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    edges = [(int(data[2 + 3 * i]), int(data[3 + 3 * i]), int(data[4 + 3 * i])) for i in range(m)]
    total = mst_weight(n, edges)
    print("IMPOSSIBLE" if total is None else total)


main()
