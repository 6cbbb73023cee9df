"""`gradebox problem new`: a complete, valid package to start from, per type.

Each scaffold is a tiny but real problem (statement, samples, hidden tests or a
generator, template, an accepted and a wrong solution), so `gradebox problem
validate` passes on it before the author changes anything.
"""

from __future__ import annotations

from pathlib import Path

from graders.errors import GraderError
from graders.kinds import kind_types
from graders.package.model import NAME_PATTERN, ProblemType

_STDIO: dict[str, str] = {
    "problem.yaml": """\
name: {title}
type: stdio
difficulty: easy
tags: [warm-up]
languages: [python, cpp]
limits: {time_s: 1, memory_mb: 256}
groups:
  - {name: sample, points: 0}
  - {name: secret, points: 100, mode: sum}
generators:
  - {script: gen.py, group: secret, seeds: [1, 2, 3]}
""",
    "statement.md": """\
# {title}

Read two integers $a$ and $b$ ($|a|, |b| \\le 10^{18}$) and print $a + b$.

## Input

One line with $a$ and $b$.

## Output

One line with $a + b$.
""",
    "data/sample/01.in": "1 2\n",
    "data/sample/01.ans": "3\n",
    "data/secret/01.in": "-5 5\n",
    "data/secret/01.ans": "0\n",
    "generators/gen.py": """\
import random
import sys

rng = random.Random(int(sys.argv[1]))
print(rng.randint(-10**18, 10**18), rng.randint(-10**18, 10**18))
""",
    "templates/python.py": "a, b = map(int, input().split())\nprint(0)  # TODO\n",
    "templates/cpp.cpp": "#include <cstdio>\nint main() {\n    long long a, b;\n"
    '    std::scanf("%lld %lld", &a, &b);\n    std::printf("%lld\\n", 0LL);  // TODO\n}\n',
    "submissions/accepted/add.py": "a, b = map(int, input().split())\nprint(a + b)\n",
    "submissions/wrong_answer/subtract.py": "a, b = map(int, input().split())\nprint(a - b)\n",
}

_FUNCTION: dict[str, str] = {
    "problem.yaml": """\
name: {title}
type: function
difficulty: easy
tags: [warm-up]
languages: [python]
function: {entry: add, framework: none}
groups:
  - {name: sample, points: 0}
  - {name: secret, points: 100, mode: sum}
generators:
  - {script: gen.py, group: secret, seeds: [1, 2, 3]}
""",
    "statement.md": """\
# {title}

Write `add(a: int, b: int) -> int` that returns $a + b$.
""",
    "data/sample/01.in": '{"args": [1, 2]}\n',
    "data/sample/01.ans": "3\n",
    "data/secret/01.in": '{"args": [], "kwargs": {"a": -5, "b": 5}}\n',
    "data/secret/01.ans": "0\n",
    "generators/gen.py": """\
import json
import random
import sys

rng = random.Random(int(sys.argv[1]))
print(json.dumps({"args": [rng.randint(-1000, 1000), rng.randint(-1000, 1000)]}))
""",
    "templates/python.py": "def add(a: int, b: int) -> int:\n    return 0  # TODO\n",
    "submissions/accepted/add.py": "def add(a, b):\n    return a + b\n",
    "submissions/wrong_answer/subtract.py": "def add(a, b):\n    return a - b\n",
}

_TENSOR: dict[str, str] = {
    "problem.yaml": """\
name: {title}
type: tensor
difficulty: easy
tags: [numpy]
languages: [python]
function:
  entry: relu
  framework: numpy
  inputs: [x]
  outputs: [y]
banned_modules: [ctypes, torch]
reference: submissions/accepted/relu.py
groups:
  - {name: sample, points: 0}
  - {name: secret, points: 100, mode: min}
generators:
  - {script: gen.py, group: sample, seeds: [1], args: ["2x3"]}
  - {script: gen.py, group: secret, seeds: [2, 3], args: ["64x100"]}
""",
    "statement.md": """\
# {title}

Write `relu(x: np.ndarray) -> np.ndarray` returning $y = \\max(x, 0)$ elementwise,
with the shape and dtype of `x`.
""",
    "generators/gen.py": """\
import io
import sys
import zipfile

import numpy as np


def write_npz(arrays):
    # np.savez stamps the current time into the archive; fixed stamps keep the
    # bytes identical from run to run, which validation checks.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, value in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            with archive.open(info, "w") as fh:
                np.lib.format.write_array(fh, np.asarray(value), allow_pickle=False)
    sys.stdout.buffer.write(buffer.getvalue())


rng = np.random.default_rng(int(sys.argv[1]))
rows, cols = (int(n) for n in sys.argv[2].split("x"))
write_npz({"x": rng.standard_normal((rows, cols))})
""",
    "templates/python.py": "import numpy as np\n\n\ndef relu(x: np.ndarray) -> np.ndarray:\n"
    "    return x  # TODO\n",
    "submissions/accepted/relu.py": "import numpy as np\n\n\ndef relu(x):\n"
    "    return np.maximum(x, 0)\n",
    "submissions/wrong_answer/abs.py": "import numpy as np\n\n\ndef relu(x):\n"
    "    return np.abs(x)\n",
}

SCAFFOLDS: dict[ProblemType, dict[str, str]] = {
    ProblemType.STDIO: _STDIO,
    ProblemType.FUNCTION: _FUNCTION,
    ProblemType.TENSOR: _TENSOR,
}


def scaffold(slug: str, problem_type: ProblemType, parent: Path) -> Path:
    """Create `parent/slug` holding a valid package of `problem_type`."""
    import re

    if not re.match(NAME_PATTERN, slug):
        raise GraderError(f"slug {slug!r} must be letters, digits, '-' and '_' (at most 64)")
    if problem_type not in SCAFFOLDS or problem_type not in kind_types():
        raise GraderError(f"no scaffold for type {problem_type} on this installation")
    root = parent / slug
    if root.exists():
        raise GraderError(f"{root} already exists")
    title = slug.replace("-", " ").replace("_", " ").capitalize()
    for rel, template in SCAFFOLDS[problem_type].items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.replace("{title}", title))
    return root
