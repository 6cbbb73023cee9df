"""`tensor`: named arrays in an .npz compared per output, with dtype-aware tolerances.

The answer is an .npz of expected outputs; the run's output is the .npz that
`graders/harness/tensor_harness.py` wrote. Every expected output is checked, in
order: present, same shape, same dtype, then values. Float values match when
``|got - want| <= atol + rtol * |want|`` (NumPy's `isclose` rule) with `rtol/atol`
for the answer's dtype; integer and boolean values must be equal.

Options (from `problem.yaml`; the tensor kind fills them from the `function:` spec):
    tolerances   {dtype: {rtol, atol}} overriding DEFAULT_TOLERANCES
    nan_policy   "reject" (any NaN/Inf in the output fails) or "equal" (NaN/Inf
                 accepted exactly where the answer has them)
    outputs      names in the order to check and report (default: the answer's order)

Feedback is safe for hidden tests (shapes, dtypes, error summaries, counts); the
first mismatching index with expected and actual values appears only when the test
is visible. The output comes from the sandbox, so it is parsed defensively: sizes
are checked against the zip directory and every array header before anything is
decompressed or allocated.
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from graders.checkers.base import CheckContext, CheckResult
from graders.checkers.registry import register_checker
from graders.harness import protocol as wire
from graders.verdict import Verdict

# Loose enough for a correct implementation in that precision (reductions over a
# few thousand elements, a division by a standard deviation), tight enough that a
# missing term or a wrong variance estimator fails.
DEFAULT_TOLERANCES: dict[str, tuple[float, float]] = {
    "float64": (1e-7, 1e-9),
    "float32": (1e-4, 1e-5),
    "float16": (1e-2, 1e-2),
}
_FALLBACK_TOLERANCE = (1e-5, 1e-8)

MAX_MEMBERS = 64
# Decompressed size the output may reach: a few times the answer's, at least this.
MIN_OUTPUT_LIMIT = 16 * 1024 * 1024


class MalformedOutput(Exception):
    """The run's stdout is not an .npz the checker can read safely."""


def _error_sentence(code: list[int], outputs: list[str], inputs: list[str]) -> str:
    """Fixed sentences for the harness's `__error__` codes; nothing the learner wrote."""

    def name(names: list[str], index: int) -> str:
        return names[index] if 0 <= index < len(names) else f"#{index + 1}"

    kind, a, b = (code + [0, 0, 0])[:3]
    if kind == wire.TENSOR_ERR_COUNT:
        got = str(a) if 0 <= a <= 1000 else "too many"
        return f"returned {got} value(s), expected {b} ({', '.join(outputs)})"
    if kind == wire.TENSOR_ERR_NOT_ARRAY:
        return f"output {name(outputs, a)} is not a numeric array or tensor"
    if kind == wire.TENSOR_ERR_NO_GRAD:
        return f"backward returned no gradient for {name(inputs, a)}"
    return "the return value has the wrong form"


def _error_code(array: npt.NDArray[Any]) -> list[int]:
    """The harness's `[code, a, b]`; anything else the learner wrote there reads as [0]."""
    if array.dtype.kind not in "iub" or array.size > 3:
        return [0]
    return [int(v) for v in array.ravel()]


def load_npz(data: bytes, *, limit: int) -> dict[str, npt.NDArray[Any]]:
    """Arrays of an untrusted .npz, refusing zip bombs and lying array headers."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise MalformedOutput("output is not an .npz archive") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise MalformedOutput(f"output has more than {MAX_MEMBERS} arrays")
        if sum(member.file_size for member in members) > limit:
            raise MalformedOutput("output arrays are too large")
        arrays: dict[str, npt.NDArray[Any]] = {}
        for member in members:
            if not member.filename.endswith(".npy") or "/" in member.filename:
                raise MalformedOutput("output holds a member that is not an array")
            try:
                with archive.open(member) as fh:
                    major, _ = np.lib.format.read_magic(fh)
                    reader = (
                        np.lib.format.read_array_header_1_0
                        if major == 1
                        else np.lib.format.read_array_header_2_0
                    )
                    shape, _, dtype = reader(fh)
                    if dtype.hasobject:
                        raise MalformedOutput("output holds Python objects")
                    need = math.prod(shape) * dtype.itemsize
                    if need > member.file_size:
                        raise MalformedOutput("an output array is truncated")
                with archive.open(member) as fh:
                    array = np.lib.format.read_array(fh, allow_pickle=False)
            except MalformedOutput:
                raise
            except Exception as exc:  # noqa: BLE001 - any parse failure is a bad output
                raise MalformedOutput("output holds an unreadable array") from exc
            arrays[member.filename[: -len(".npy")]] = array
        return arrays


@dataclass(frozen=True)
class Comparison:
    """How one output compares with its expected value."""

    ok: bool
    feedback: dict[str, Any]
    message: str = ""


def _tolerance(dtype: np.dtype[Any], options: dict[str, Any]) -> tuple[float, float]:
    custom = options.get("tolerances") or {}
    entry = custom.get(dtype.name)
    if entry is not None:
        if isinstance(entry, dict):
            return float(entry["rtol"]), float(entry["atol"])
        return float(entry.rtol), float(entry.atol)
    return DEFAULT_TOLERANCES.get(dtype.name, _FALLBACK_TOLERANCE)


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _index(flat: int, shape: tuple[int, ...]) -> list[int]:
    return [int(i) for i in np.unravel_index(flat, shape)] if shape else []


def _scalar(value: Any) -> float | int | bool | str:
    item = value.item()
    if isinstance(item, float) and not math.isfinite(item):
        return str(item)
    return item  # type: ignore[no-any-return]


def _shortest(value: Any) -> str:
    """The shortest text that reads back as the same value of its own dtype."""
    if isinstance(value, np.floating):
        magnitude = abs(float(value))
        if magnitude == 0 or not math.isfinite(magnitude) or 1e-4 <= magnitude < 1e16:
            return np.format_float_positional(value, unique=True, trim="0")
        return np.format_float_scientific(value, unique=True, trim="0")
    return repr(value.item())


def compare(
    name: str,
    want: npt.NDArray[Any],
    got: npt.NDArray[Any],
    *,
    visible: bool,
    options: dict[str, Any],
) -> Comparison:
    info: dict[str, Any] = {
        "expected_shape": list(want.shape),
        "shape": list(got.shape),
        "expected_dtype": want.dtype.name,
        "dtype": got.dtype.name,
    }
    if got.shape != want.shape:
        message = f"{name}: expected shape {tuple(want.shape)}, got {tuple(got.shape)}"
        return Comparison(False, info, message)
    if got.dtype != want.dtype:
        message = f"{name}: expected dtype {want.dtype.name}, got {got.dtype.name}"
        return Comparison(False, info, message)
    if want.dtype.kind != "f":
        bad = np.flatnonzero(got != want)
        info["mismatched"] = int(bad.size)
        return _verdict(name, info, bad, want, got, visible, "values differ")
    rtol, atol = _tolerance(want.dtype, options)
    info.update(rtol=rtol, atol=atol)
    # Overflow (huge values, denormal divisors) becomes inf, which the summaries handle.
    with np.errstate(all="ignore"):
        bad, reason = _float_mismatches(want, got, rtol, atol, options, info)
    return _verdict(name, info, bad, want, got, visible, reason)


def _float_mismatches(
    want: npt.NDArray[Any],
    got: npt.NDArray[Any],
    rtol: float,
    atol: float,
    options: dict[str, Any],
    info: dict[str, Any],
) -> tuple[npt.NDArray[np.intp], str]:
    w = want.astype(np.float64).ravel()
    g = got.astype(np.float64).ravel()
    w_finite, g_finite = np.isfinite(w), np.isfinite(g)
    info["nonfinite"] = int(g.size - np.count_nonzero(g_finite))
    both = w_finite & g_finite
    diff = np.abs(g - w, where=both, out=np.zeros_like(w))
    max_abs = float(diff.max(initial=0.0))
    info["max_abs_err"] = _finite_or_none(max_abs)
    nonzero = both & (w != 0)
    rel = np.divide(diff, np.abs(w), where=nonzero, out=np.zeros_like(w))
    info["max_rel_err"] = _finite_or_none(float(rel.max(initial=0.0)))
    close = both & (diff <= atol + rtol * np.abs(w, where=both, out=np.zeros_like(w)))
    if options.get("nan_policy", "reject") == "equal":
        same_nan = np.isnan(w) & np.isnan(g)
        same_inf = np.isinf(w) & (g == w)
        close |= same_nan | same_inf
    bad = np.flatnonzero(~close)
    info["mismatched"] = int(bad.size)
    info["total"] = int(w.size)
    if bad.size and not g_finite[bad[0]]:
        reason = "contains NaN or Inf"
    else:
        reason = (
            f"{bad.size} of {w.size} values differ beyond tolerance "
            f"(max abs error {max_abs:.3g}, rtol={rtol:g}, atol={atol:g})"
        )
    return bad, reason


def _verdict(
    name: str,
    info: dict[str, Any],
    bad: npt.NDArray[np.intp],
    want: npt.NDArray[Any],
    got: npt.NDArray[Any],
    visible: bool,
    reason: str,
) -> Comparison:
    if not bad.size:
        return Comparison(True, info)
    message = f"{name}: {reason}"
    if visible:
        first = int(bad[0])
        index = _index(first, want.shape)
        expected, actual = _scalar(want.ravel()[first]), _scalar(got.ravel()[first])
        info.update(first_mismatch=index, expected_value=expected, actual_value=actual)
        shown = _shortest(want.ravel()[first]), _shortest(got.ravel()[first])
        message += f"; first at index {tuple(index)}: expected {shown[0]}, got {shown[1]}"
    return Comparison(False, info, message)


def wrong_if_any(failures: list[str], feedback: dict[str, Any]) -> CheckResult | None:
    """WA naming the first failing output (and how many more), or None when all passed;
    the per-output feedback goes with it either way."""
    if not failures:
        return None
    extra = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
    return CheckResult(Verdict.WA, failures[0] + extra, feedback)


class TensorChecker:
    name = "tensor"

    def check(self, ctx: CheckContext) -> CheckResult:
        try:
            want = load_npz(ctx.answer, limit=MIN_OUTPUT_LIMIT + 64 * len(ctx.answer))
        except MalformedOutput as exc:
            return CheckResult(Verdict.IE, f"answer file: {exc}")
        expected_bytes = sum(array.nbytes for array in want.values())
        try:
            got = load_npz(ctx.output, limit=max(MIN_OUTPUT_LIMIT, 4 * expected_bytes))
        except MalformedOutput as exc:
            return CheckResult(Verdict.WA, str(exc))
        order: list[str] = list(ctx.options.get("outputs") or [])
        names = [n for n in order if n in want] + [n for n in want if n not in order]
        if wire.TENSOR_ERROR_KEY in got:
            code = _error_code(got[wire.TENSOR_ERROR_KEY])
            inputs = list(ctx.options.get("inputs") or [])
            return CheckResult(Verdict.WA, _error_sentence(code, names, inputs))
        feedback: dict[str, Any] = {}
        failures: list[str] = []
        for name in names:
            if name not in got:
                feedback[name] = {"missing": True}
                failures.append(f"missing output {name}")
                continue
            result = compare(name, want[name], got[name], visible=ctx.visible, options=ctx.options)
            feedback[name] = result.feedback
            if not result.ok:
                failures.append(result.message)
        return wrong_if_any(failures, feedback) or CheckResult(Verdict.AC, feedback=feedback)


register_checker(TensorChecker())
