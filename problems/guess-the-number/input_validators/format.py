"""Each test input is one line `n x` with 1 <= x <= n <= 10^9 (exit 42 when valid)."""

import re
import sys

data = sys.stdin.read()
match = re.fullmatch(r"([1-9][0-9]*) ([1-9][0-9]*)\n", data)
assert match, f"expected one line 'n x', got {data[:40]!r}"
n, x = int(match.group(1)), int(match.group(2))
assert n <= 10**9, f"n = {n} is above 10^9"
assert x <= n, f"x = {x} is not in [1, n = {n}]"
sys.exit(42)
