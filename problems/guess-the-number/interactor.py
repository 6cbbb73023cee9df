"""Interactor for "Guess the number" (Kattis convention: input judge_answer feedback/).

The test input holds `n x`. Exit 42 accepts, 43 rejects; the reason goes to
judgemessage.txt (shown on sample tests only) and a short one to teammessage.txt.
"""

import sys


def reject(feedback: str, team: str, judge: str) -> None:
    with open(feedback + "teammessage.txt", "w") as fh:
        fh.write(team)
    with open(feedback + "judgemessage.txt", "w") as fh:
        fh.write(judge)
    sys.exit(43)


def main() -> None:
    with open(sys.argv[1]) as fh:
        n, x = map(int, fh.read().split())
    feedback = sys.argv[3]
    limit = n.bit_length()
    print(n, flush=True)
    asked = 0
    for line in sys.stdin:
        parts = line.split()
        if len(parts) != 2 or parts[0] not in ("?", "!") or not parts[1].lstrip("-").isdigit():
            reject(feedback, "malformed line", f"malformed line {line.strip()[:40]!r}")
        value = int(parts[1])
        if parts[0] == "!":
            if value != x:
                reject(feedback, "wrong final answer", f"answered {value}, the number was {x}")
            sys.exit(42)
        asked += 1
        if asked > limit:
            reject(feedback, f"more than {limit} questions", f"question {asked} of at most {limit}")
        if not 1 <= value <= n:
            reject(feedback, "question out of range", f"asked {value}, outside [1, {n}]")
        print("<" if x < value else ">" if x > value else "=", flush=True)
    reject(feedback, "no final answer", "the program ended without printing `! x`")


main()
