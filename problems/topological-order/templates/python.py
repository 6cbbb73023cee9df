import sys


def task_order(n, rules):
    """The lexicographically smallest order of 1..n obeying rules (u, v), or None."""
    # TODO: Kahn's algorithm with a min-heap of ready tasks
    return None


def main():
    data = sys.stdin.buffer.read().split()
    n, m = int(data[0]), int(data[1])
    rules = [(int(data[2 + 2 * i]), int(data[3 + 2 * i])) for i in range(m)]
    order = task_order(n, rules)
    print("CYCLE" if order is None else " ".join(map(str, order)))


main()
