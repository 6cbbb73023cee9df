# Union-find over horizontal runs of 1s: each run is one node; a run joins every run
# of the previous row that overlaps it. Work is proportional to the number of runs.
import re
import sys


def main():
    data = sys.stdin.buffer.read().split()
    rows = int(data[0])
    parent = []
    size = []

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    runs = re.compile(rb"1+")
    previous = []  # (start, end, node) of the row above
    for line in data[2 : 2 + rows]:
        current = []
        k = 0
        for match in runs.finditer(line):
            start, end = match.span()
            node = len(parent)
            parent.append(node)
            size.append(end - start)
            while k < len(previous) and previous[k][1] <= start:
                k += 1
            m = k
            while m < len(previous) and previous[m][0] < end:
                a, b = find(node), find(previous[m][2])
                if a != b:
                    if size[a] < size[b]:
                        a, b = b, a
                    parent[b] = a
                    size[a] += size[b]
                m += 1
            current.append((start, end, node))
        previous = current
    print(max((size[i] for i in range(len(parent)) if parent[i] == i), default=0))


main()
