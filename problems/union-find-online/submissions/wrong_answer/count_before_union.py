"""Right union-find, but records the count before each cable is added."""

import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    parent = list(range(n + 1))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    groups = n
    answers = []
    for i in range(q):
        u, v = int(data[2 + 2 * i]), int(data[3 + 2 * i])
        answers.append(groups)
        ru, rv = find(u), find(v)
        if ru != rv:
            parent[ru] = rv
            groups -= 1
    sys.stdout.write("\n".join(map(str, answers)) + "\n")


main()
