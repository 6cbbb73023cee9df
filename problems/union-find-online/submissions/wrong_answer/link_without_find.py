"""Checks roots with find, but links the nodes themselves: parent[u] = v."""

import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    parent = list(range(n + 1))

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    groups = n
    answers = []
    for i in range(q):
        u, v = int(data[2 + 2 * i]), int(data[3 + 2 * i])
        if find(u) != find(v):
            parent[u] = v
            groups -= 1
        answers.append(groups)
    sys.stdout.write("\n".join(map(str, answers)) + "\n")


main()
