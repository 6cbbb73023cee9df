"""Checked-hash bytecode of the harness files, written beside them in the workdir.

Every test is a fresh process that imports the harness's modules (the guard, the
protocol) before the learner's code, and every run's environment has
PYTHONDONTWRITEBYTECODE: each test compiled them from source again, 1-1.5 ms of a
warm stdio test's 5. The judge compiles each file once per process and writes its
bytecode under `__pycache__/` next to it. The sandbox's interpreter checks the file
against the source's hash at every import (PEP 552), so a source the learner edited,
or an interpreter with another cache tag or magic number, ignores it and compiles
from source as before; nothing the learner can write is ever trusted by the judge.
"""

from __future__ import annotations

import marshal
import sys
from functools import lru_cache
from importlib.util import MAGIC_NUMBER, source_hash

_CHECKED_HASH = (0b11).to_bytes(4, "little")  # hash-based, checked against the source


@lru_cache(maxsize=64)
def bytecode_file(name: str, source: bytes) -> tuple[str, bytes] | None:
    """(workdir path, contents) of `name`'s bytecode, or None where this interpreter
    writes no cache (no cache tag) or the source does not compile."""
    tag = sys.implementation.cache_tag
    if tag is None or not name.endswith(".py"):
        return None
    try:
        code = compile(source, name, "exec", dont_inherit=True)
    except SyntaxError:
        return None
    data = MAGIC_NUMBER + _CHECKED_HASH + source_hash(source) + marshal.dumps(code)
    return f"__pycache__/{name.removesuffix('.py')}.{tag}.pyc", data
