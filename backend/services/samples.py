"""Samples a learner can read: text as text, tensors and function arguments as arrays.

A package's sample files are stored with its version (`ProblemVersion.samples`):
text as text, binary files (`.npz` of tensor problems) also as base64, so that the
API can show each array's shape, dtype and a NumPy-style preview (large arrays
elided in the middle, as NumPy prints them), serve the raw file as `.npz` or one
array as `.npy`, and write a "copy as Python" snippet that builds the inputs.

Samples are public data (shown to everybody who sees the problem); nothing here
touches hidden tests. Package files are parsed with the tensor checker's own
guarded `.npz` reader (no pickles, capped sizes), never `np.load(allow_pickle)`.
"""

from __future__ import annotations

import base64
import io
import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from backend.enums import ProblemType
from backend.errors import NotFound
from backend.schemas.problems import Sample, SampleArray, SampleFormat, SamplePart
from graders import MalformedOutput, load_npz

PREVIEW_THRESHOLD = 100  # more elements than this: elided in the middle
PREVIEW_EDGE = 3
SNIPPET_ELEMENTS = 4096  # beyond this, the snippet points at the .npz download instead
_NPZ_LIMIT = 64 * 1024 * 1024


def encode_binary(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def is_binary(data: bytes) -> bool:
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:1024]:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def raw(stored: dict[str, Any], side: str) -> bytes:
    """The file as the package holds it (`side` is `input` or `output`)."""
    b64 = stored.get(f"{side}_b64")
    if isinstance(b64, str):
        return base64.b64decode(b64)
    return str(stored.get(side, "")).encode("utf-8")


def load_arrays(data: bytes) -> dict[str, npt.NDArray[Any]]:
    try:
        return load_npz(data, limit=_NPZ_LIMIT)
    except MalformedOutput:
        return {}


def preview(array: npt.NDArray[Any]) -> str:
    return np.array2string(
        array,
        threshold=PREVIEW_THRESHOLD,
        edgeitems=PREVIEW_EDGE,
        precision=6,
        separator=", ",
        max_line_width=88,
    )


def _array(name: str, array: npt.NDArray[Any]) -> SampleArray:
    return SampleArray(
        name=name, shape=list(array.shape), dtype=str(array.dtype), preview=preview(array)
    )


def _numeric(value: Any) -> npt.NDArray[Any] | None:
    """A nested list of numbers as an array (for display), else None."""
    if not isinstance(value, list) or not value:
        return None
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):
        return None
    if array.dtype.kind not in "biuf" or array.ndim == 0:
        return None
    return array


def _function_arrays(payload: Any, names: Sequence[str]) -> list[SampleArray]:
    """Arguments of a function sample (`{"args", "kwargs"}`) or its return value."""
    if isinstance(payload, dict) and set(payload) <= {"args", "kwargs"}:
        args = payload.get("args", [])
        kwargs = payload.get("kwargs", {})
        items = [
            (names[i] if i < len(names) else f"arg{i}", v)
            for i, v in enumerate(args if isinstance(args, list) else [])
        ]
        items += list(kwargs.items()) if isinstance(kwargs, dict) else []
    else:
        items = [("result", payload)]
    out = []
    for name, value in items:
        array = _numeric(value)
        if array is not None:
            out.append(_array(str(name), array))
    return out


def part(data: bytes, *, problem_type: ProblemType, names: Sequence[str] = ()) -> SamplePart:
    """What one sample file holds, for display."""
    if problem_type in (ProblemType.TENSOR, ProblemType.KERNEL) and is_binary(data):
        arrays = load_arrays(data)
        return SamplePart(
            format=SampleFormat.NPZ,
            size=len(data),
            arrays=[_array(name, array) for name, array in arrays.items()],
        )
    if is_binary(data):
        return SamplePart(format=SampleFormat.BINARY, size=len(data))
    text = data.decode("utf-8")
    if problem_type == ProblemType.FUNCTION:
        try:
            payload = json.loads(text)
        except ValueError:
            payload = None
        if payload is not None:
            return SamplePart(
                format=SampleFormat.JSON,
                size=len(data),
                text=text,
                arrays=_function_arrays(payload, names),
            )
    return SamplePart(format=SampleFormat.TEXT, size=len(data), text=text)


def _literal_value(array: npt.NDArray[Any]) -> Any:
    value = array.tolist()
    return value


def _py(value: Any) -> str:
    """A Python literal, floats written so they read back to the same value."""
    if isinstance(value, float):
        if math.isnan(value):
            return "float('nan')"
        if math.isinf(value):
            return "float('inf')" if value > 0 else "-float('inf')"
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_py(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_py(k)}: {_py(v)}" for k, v in value.items()) + "}"
    return repr(value)


def tensor_literal(arrays: dict[str, npt.NDArray[Any]]) -> str:
    """The inputs as one Python dict literal: what the custom-run editor starts from."""
    lines = [f"    {name!r}: {_py(_literal_value(a))}," for name, a in arrays.items()]
    return "{\n" + "\n".join(lines) + "\n}"


def _np_dtype(array: npt.NDArray[Any]) -> str:
    return f"np.{array.dtype.name}" if array.dtype.kind in "biuf" else repr(str(array.dtype))


def tensor_snippet(arrays: dict[str, npt.NDArray[Any]], call: str) -> str:
    lines = ["import numpy as np", ""]
    for name, array in arrays.items():
        if array.ndim == 0:
            lines.append(f"{name} = {_py(array.item())}")
        elif array.size > SNIPPET_ELEMENTS:
            lines.append(f"{name} = np.load('input.npz')[{name!r}]  # {array.size} values")
        else:
            lines.append(f"{name} = np.array({_py(array.tolist())}, dtype={_np_dtype(array)})")
    lines += ["", call]
    return "\n".join(lines) + "\n"


def function_snippet(payload: Any, entry: str) -> str:
    args = payload.get("args", []) if isinstance(payload, dict) else []
    kwargs = payload.get("kwargs", {}) if isinstance(payload, dict) else {}
    lines = [f"args = {_py(args)}", f"kwargs = {_py(kwargs)}", "", f"{entry}(*args, **kwargs)"]
    return "\n".join(lines) + "\n"


def render(stored: dict[str, Any], spec: dict[str, Any], problem_type: ProblemType) -> Sample:
    """One stored sample as the API shows it."""
    function = spec.get("function") or {}
    inputs_names = list(function.get("inputs") or [])
    output_names = list(function.get("outputs") or [])
    entry = str(function.get("entry") or "solve")
    data_in, data_out = raw(stored, "input"), raw(stored, "output")
    input_part = part(data_in, problem_type=problem_type, names=inputs_names)
    output_part = part(data_out, problem_type=problem_type, names=output_names)
    python = literal = None
    if input_part.format is SampleFormat.NPZ:
        arrays = load_arrays(data_in)
        present = [n for n in inputs_names if n in arrays] or list(arrays)
        call = f"{', '.join(output_names) or 'result'} = {entry}({', '.join(present)})"
        python = tensor_snippet(arrays, call)
        literal = tensor_literal(arrays)
    elif input_part.format is SampleFormat.JSON:
        payload = json.loads(data_in.decode("utf-8"))
        python = function_snippet(payload, entry)
        literal = _py(payload)
    return Sample(
        name=stored["name"],
        input=str(stored.get("input", "")),
        output=str(stored.get("output", "")),
        input_view=input_part,
        output_view=output_part,
        python=python,
        custom_input=literal if literal is not None else input_part.text,
    )


def find(samples: list[Any], stem: str) -> dict[str, Any]:
    """The stored sample named `sample/<stem>` (or `<stem>`)."""
    for stored in samples:
        name = str(stored.get("name", ""))
        if stem in (name, name.rsplit("/", 1)[-1]):
            return dict(stored)
    raise NotFound(f"no sample {stem!r}", code="sample_not_found")


def npy(data: bytes, array_name: str) -> bytes:
    arrays = load_arrays(data)
    if array_name not in arrays:
        raise NotFound(f"no array {array_name!r} in this sample", code="array_not_found")
    out = io.BytesIO()
    np.save(out, arrays[array_name], allow_pickle=False)
    return out.getvalue()
