import sys


def group_counts(n, cables):
    """After each cable (u, v), the number of connected groups of the n computers."""
    counts = []
    for _u, _v in cables:
        # TODO: union-find: merge the groups of u and v
        counts.append(n)
    return counts


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    cables = [(int(data[2 + 2 * i]), int(data[3 + 2 * i])) for i in range(q)]
    sys.stdout.write("\n".join(map(str, group_counts(n, cables))) + "\n")


main()
