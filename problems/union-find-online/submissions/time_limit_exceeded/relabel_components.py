"""Correct but quadratic: a component label per node, relabelled on every merge."""

import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    label = list(range(n + 1))
    groups = n
    answers = []
    for i in range(q):
        u, v = int(data[2 + 2 * i]), int(data[3 + 2 * i])
        a, b = label[u], label[v]
        if a != b:
            label = [a if x == b else x for x in label]
            groups -= 1
        answers.append(groups)
    sys.stdout.write("\n".join(map(str, answers)) + "\n")


main()
