"""A learner's custom input for a run, turned into a test input file of the problem's type.

The text is parsed, never evaluated: `json.loads`, else `ast.literal_eval` (Python
literals only: numbers, strings, lists, tuples, dicts, booleans, None), with caps on
size and nesting. For tensor problems each input becomes an array of the dtype the
samples use for that name (so `[[1, 2]]` is float32 where the problem takes float32);
0-d inputs (eps) are stored as 0-d arrays, which the harness passes as scalars. The
result goes through the kind's own file check, the same one package tests pass.

A generated custom input runs one of the package's generators with the learner's
seed, in a sandbox session of its own (generators are instructor code). Seeds that
make hidden tests are refused: their inputs are hidden data.
"""

from __future__ import annotations

import ast
import io
import json
from typing import Any

import numpy as np
import numpy.typing as npt

from backend.errors import InvalidInput
from backend.schemas.runs import RunGenerator
from backend.services import samples as sample_service
from graders import (
    GENERATOR_LIMITS,
    ChecksTests,
    Package,
    ProblemFormatError,
    ProblemType,
    TestCase,
    get_kind,
    read_file,
)
from graders import scan_files as scan
from sandbox import RunSpec, RunStatus, Sandbox

MAX_ELEMENTS = 1_000_000
MAX_DEPTH = 32
CUSTOM = "custom/input"


def _bad(message: str) -> InvalidInput:
    return InvalidInput(message, code="bad_custom_input")


def _depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "[({":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "])}":
            depth -= 1
    return deepest


def parse_literal(text: str) -> Any:
    """JSON or a Python literal; anything else is a 422 naming the problem."""
    if _depth(text) > MAX_DEPTH:
        raise _bad(f"the input is nested more than {MAX_DEPTH} levels deep")
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        raise _bad(
            f"not a JSON or Python literal ({type(exc).__name__}: {str(exc)[:120]})"
        ) from None


def _sample_dtypes(package: Package) -> dict[str, np.dtype[Any]]:
    dtypes: dict[str, np.dtype[Any]] = {}
    for test in package.tests:
        if test.visible:
            for name, array in sample_service.load_arrays(test.input).items():
                dtypes.setdefault(name, array.dtype)
    return dtypes


def _to_array(name: str, value: Any, dtype: np.dtype[Any] | None) -> npt.NDArray[Any]:
    if isinstance(value, tuple):
        value = list(value)
    try:
        array = np.asarray(value) if dtype is None else np.asarray(value, dtype=dtype)
    except (ValueError, TypeError, OverflowError) as exc:
        raise _bad(f"{name}: not a rectangular array of numbers ({exc})") from None
    if array.dtype.kind not in "biuf":
        raise _bad(f"{name}: must hold numbers, not {array.dtype}")
    if array.size > MAX_ELEMENTS:
        raise _bad(f"{name}: more than {MAX_ELEMENTS} values")
    return array


def tensor_input(package: Package, value: Any) -> bytes:
    spec = package.spec.function
    assert spec is not None
    if not isinstance(value, dict):
        names = ", ".join(spec.inputs)
        raise _bad(f"give a dict of the inputs by name ({names})")
    unknown = [str(k) for k in value if k not in spec.inputs]
    if unknown:
        raise _bad(f"unknown inputs {unknown}; the function takes {spec.inputs}")
    dtypes = _sample_dtypes(package)
    arrays = {name: _to_array(name, value[name], dtypes.get(name)) for name in value}
    if sum(a.size for a in arrays.values()) > MAX_ELEMENTS:
        raise _bad(f"more than {MAX_ELEMENTS} values in all")
    out = io.BytesIO()
    named = {name: arrays[name] for name in spec.inputs if name in arrays}
    np.savez(out, **named)  # type: ignore[arg-type]  # numpy stubs: **kwds may hit allow_pickle
    return out.getvalue()


def function_input(value: Any) -> bytes:
    if isinstance(value, list | tuple):
        value = {"args": list(value)}
    if not isinstance(value, dict) or not set(value) <= {"args", "kwargs"}:
        raise _bad('give {"args": [...], "kwargs": {...}} or the list of arguments')
    try:
        return json.dumps(value, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise _bad(f"the arguments must be JSON values ({exc})") from None


def from_text(package: Package, text: str) -> bytes:
    """The test input file for `text`, in the problem type's format."""
    kind = package.spec.type
    if kind is ProblemType.STDIO:
        return text.encode("utf-8")
    value = parse_literal(text)
    if kind is ProblemType.FUNCTION:
        return function_input(value)
    return tensor_input(package, value)


def generated(package: Package, request: RunGenerator, sandbox: Sandbox) -> tuple[bytes, str]:
    """(input, description) from one generator of the package with the learner's seed."""
    if request.index >= len(package.spec.generators):
        raise _bad(
            f"no generator {request.index} (this problem has {len(package.spec.generators)})"
        )
    spec = package.spec.generators[request.index]
    if any(request.seed in g.seeds for g in package.spec.generators if g.script == spec.script):
        raise _bad(f"seed {request.seed} makes a hidden test; pick another")
    files = {
        rel.removeprefix("generators/"): read_file(package.root, rel)
        for rel in scan(package.root)
        if rel.startswith("generators/")
    }
    argv = ("python3", spec.script, str(request.seed), *spec.args)
    with sandbox.session(files) as session:
        result = session.run(
            RunSpec(argv=argv, env={"PYTHONDONTWRITEBYTECODE": "1"}, limits=GENERATOR_LIMITS)
        )
    if result.status is not RunStatus.OK or result.exit_code != 0:
        raise _bad(f"the generator failed with seed {request.seed} ({result.status})")
    return result.stdout, " ".join([f"generators/{spec.script}", str(request.seed), *spec.args])


def test_case(package: Package, data: bytes, source: str) -> TestCase:
    """A visible test named custom/input; refused (422) when the kind's check fails."""
    test = TestCase(
        name=CUSTOM, group="custom", input=data, answer=b"", visible=True, source=source
    )
    kind = get_kind(package.spec.type)
    if isinstance(kind, ChecksTests):
        try:
            kind.check_test(package, test)
        except ProblemFormatError as exc:
            raise _bad(f"the custom input does not fit the problem: {exc}") from None
    return test
