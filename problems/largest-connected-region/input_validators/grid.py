"""Input validator: `R C`, then R lines of exactly C characters `0`/`1`, nothing else.

Exit 42 when the input is valid (Kattis convention). Flags: `max=N` caps R and C
(the small group's tests are at most 40 x 40)."""

import re
import sys

limit = 2000
for flag in sys.argv[1:]:
    if flag.startswith("max="):
        limit = int(flag.removeprefix("max="))

data = sys.stdin.buffer.read()
assert data.endswith(b"\n"), "the input must end with a newline"
lines = data[:-1].split(b"\n")
header = re.fullmatch(rb"([1-9][0-9]*) ([1-9][0-9]*)", lines[0])
assert header, f"first line must be 'R C', got {lines[0][:40]!r}"
rows, cols = int(header.group(1)), int(header.group(2))
assert rows <= limit and cols <= limit, f"{rows} x {cols} is larger than {limit} x {limit}"
assert len(lines) == rows + 1, f"expected {rows} grid lines, got {len(lines) - 1}"
cell = re.compile(rb"[01]*")
for number, line in enumerate(lines[1:], start=1):
    assert len(line) == cols, f"grid line {number} has {len(line)} characters, not {cols}"
    assert cell.fullmatch(line), f"grid line {number} holds a character other than 0 and 1"
sys.exit(42)
