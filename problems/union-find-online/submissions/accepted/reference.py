"""Union by size with path halving; iterative find."""

import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    parent = list(range(n + 1))
    size = [1] * (n + 1)
    groups = n
    answers = []
    for i in range(q):
        u, v = int(data[2 + 2 * i]), int(data[3 + 2 * i])
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        if u != v:
            if size[u] < size[v]:
                u, v = v, u
            parent[v] = u
            size[u] += size[v]
            groups -= 1
        answers.append(groups)
    sys.stdout.write("\n".join(map(str, answers)) + "\n")


main()
