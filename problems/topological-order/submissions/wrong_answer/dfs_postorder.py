"""Reverse DFS postorder (iterative), with cycle detection by colours."""

import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    out = [[] for _ in range(n + 1)]
    for i in range(m):
        out[int(data[2 + 2 * i])].append(int(data[3 + 2 * i]))
    colour = [0] * (n + 1)
    post = []
    for root in range(1, n + 1):
        if colour[root]:
            continue
        stack = [(root, 0)]
        colour[root] = 1
        while stack:
            node, i = stack[-1]
            if i < len(out[node]):
                stack[-1] = (node, i + 1)
                nxt = out[node][i]
                if colour[nxt] == 1:
                    print("CYCLE")
                    return
                if colour[nxt] == 0:
                    colour[nxt] = 1
                    stack.append((nxt, 0))
            else:
                colour[node] = 2
                post.append(node)
                stack.pop()
    print(" ".join(map(str, reversed(post))))


main()
