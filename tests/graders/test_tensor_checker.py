"""The `tensor` checker: per-output shape, dtype and tolerance checks, NaN policy,
leak-free feedback, and defensive parsing of the untrusted output archive."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from graders.checkers import get_checker
from graders.checkers.base import CheckContext, CheckResult
from graders.checkers.tensor import DEFAULT_TOLERANCES, MalformedOutput, load_npz
from graders.verdict import Verdict

CHECKER = get_checker("tensor")
FLOAT_DTYPES = [np.float16, np.float32, np.float64]


def npz(**arrays: Any) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def check(
    answer: dict[str, Any],
    output: dict[str, Any] | bytes,
    *,
    visible: bool = False,
    **options: Any,
) -> CheckResult:
    data = output if isinstance(output, bytes) else npz(**output)
    ctx = CheckContext(
        input=b"", answer=npz(**answer), output=data, visible=visible, options=options
    )
    return CHECKER.check(ctx)


def tolerance(dtype: np.dtype[Any]) -> tuple[float, float]:
    return DEFAULT_TOLERANCES[np.dtype(dtype).name]


arrays = st.sampled_from(FLOAT_DTYPES).flatmap(
    lambda dtype: hnp.arrays(
        dtype,
        hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=6),
        elements=st.floats(-1e3, 1e3, allow_nan=False, width=np.finfo(dtype).bits),
    )
)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(arrays)
def test_identical_arrays_are_always_accepted(want: np.ndarray) -> None:
    result = check({"y": want}, {"y": want.copy()})
    assert result.verdict is Verdict.AC, result.message
    assert result.feedback["y"]["max_abs_err"] == 0.0


@PROPERTY
@given(arrays, st.data())
def test_perturbation_beyond_tolerance_fails_at_the_first_perturbed_index(
    want: np.ndarray, data: st.DataObject
) -> None:
    flat = want.astype(np.float64).ravel()
    positions = data.draw(
        st.lists(st.integers(0, flat.size - 1), min_size=1, max_size=3, unique=True)
    )
    rtol, atol = tolerance(want.dtype)
    got = flat.copy()
    for position in positions:
        # Ten times the allowed error, and never lost to float16 rounding.
        step = max(10 * (atol + rtol * abs(flat[position])), 0.1 * abs(flat[position]), 1.0)
        got[position] = flat[position] + step
    got_array = got.astype(want.dtype).reshape(want.shape)
    result = check({"y": want}, {"y": got_array}, visible=True)
    assert result.verdict is Verdict.WA
    first = min(positions)
    expected_index = [int(i) for i in np.unravel_index(first, want.shape)] if want.shape else []
    assert result.feedback["y"]["first_mismatch"] == expected_index
    assert result.feedback["y"]["mismatched"] == len(positions)
    assert f"first at index {tuple(expected_index)}" in result.message


@PROPERTY
@given(arrays, st.data())
def test_perturbation_within_tolerance_is_accepted(want: np.ndarray, data: st.DataObject) -> None:
    rtol, atol = tolerance(want.dtype)
    wide = want.astype(np.float64)
    fraction = data.draw(st.floats(-0.4, 0.4))
    got = wide + fraction * (atol + rtol * np.abs(wide))
    # Compare in float64 so that rounding back to a narrow dtype cannot add error.
    result = check(
        {"y": wide},
        {"y": got},
        tolerances={"float64": {"rtol": rtol, "atol": atol}},
    )
    assert result.verdict is Verdict.AC, result.message


@PROPERTY
@given(arrays, st.integers(1, 4))
def test_any_shape_mismatch_fails(want: np.ndarray, extra: int) -> None:
    got = np.zeros((*want.shape, extra), dtype=want.dtype)
    result = check({"y": want}, {"y": got})
    assert result.verdict is Verdict.WA
    assert "expected shape" in result.message
    assert result.feedback["y"]["shape"] == [*want.shape, extra]


@PROPERTY
@given(arrays, st.sampled_from(FLOAT_DTYPES))
def test_any_dtype_mismatch_fails(want: np.ndarray, other: type) -> None:
    if np.dtype(other) == want.dtype:
        return
    result = check({"y": want}, {"y": want.astype(other)})
    assert result.verdict is Verdict.WA
    assert f"expected dtype {want.dtype.name}, got {np.dtype(other).name}" in result.message


@PROPERTY
@given(arrays)
def test_hidden_tests_never_show_values_or_indices(want: np.ndarray) -> None:
    got = want.astype(np.float64) + 100.0
    result = check({"y": want}, {"y": got.astype(want.dtype)}, visible=False)
    assert result.verdict is Verdict.WA
    assert "first_mismatch" not in result.feedback["y"]
    assert "expected_value" not in result.feedback["y"]
    assert "index" not in result.message
    assert {"max_abs_err", "max_rel_err", "shape", "dtype"} <= set(result.feedback["y"])


def test_every_output_gets_feedback_and_the_first_failure_is_named() -> None:
    want = {"dx": np.ones((2, 3)), "dgamma": np.ones(3), "dbeta": np.ones(3)}
    got = {"dx": np.ones((2, 3)), "dgamma": np.ones((2, 3)), "dbeta": np.full(3, 2.0)}
    result = check(want, got, outputs=["dx", "dgamma", "dbeta"])
    assert result.verdict is Verdict.WA
    assert result.message.startswith("dgamma: expected shape (3,), got (2, 3)")
    assert result.message.endswith("(and 1 more)")
    assert set(result.feedback) == {"dx", "dgamma", "dbeta"}
    assert result.feedback["dbeta"]["max_abs_err"] == 1.0
    assert result.feedback["dbeta"]["max_rel_err"] == 1.0


def test_missing_output_is_reported() -> None:
    result = check({"dx": np.ones(2), "dgamma": np.ones(2)}, {"dx": np.ones(2)})
    assert result.verdict is Verdict.WA
    assert result.message == "missing output dgamma"
    assert result.feedback["dgamma"] == {"missing": True}


def test_visible_mismatch_quotes_expected_and_actual() -> None:
    want = np.array([[1.0, 2.0], [3.0, 4.0]])
    got = want.copy()
    got[1, 0] = 3.5
    result = check({"y": want}, {"y": got}, visible=True)
    assert result.verdict is Verdict.WA
    assert "first at index (1, 0): expected 3.0, got 3.5" in result.message
    assert result.feedback["y"]["expected_value"] == 3.0
    assert result.feedback["y"]["actual_value"] == 3.5


def test_tolerances_come_from_the_options_per_dtype() -> None:
    want = np.array([1.0, 2.0], dtype=np.float32)
    got = want + np.float32(1e-3)
    assert check({"y": want}, {"y": got}).verdict is Verdict.WA
    loose = {"float32": {"rtol": 0.0, "atol": 1e-2}}
    assert check({"y": want}, {"y": got}, tolerances=loose).verdict is Verdict.AC


def test_nan_is_rejected_by_default_even_where_the_answer_has_nan() -> None:
    want = np.array([1.0, np.nan])
    result = check({"y": want}, {"y": want.copy()})
    assert result.verdict is Verdict.WA
    assert "NaN or Inf" in result.message
    assert result.feedback["y"]["nonfinite"] == 1


def test_nan_policy_equal_accepts_nan_and_inf_in_the_same_places() -> None:
    want = np.array([1.0, np.nan, np.inf, -np.inf])
    assert check({"y": want}, {"y": want.copy()}, nan_policy="equal").verdict is Verdict.AC
    moved = np.array([np.nan, 1.0, np.inf, -np.inf])
    assert check({"y": want}, {"y": moved}, nan_policy="equal").verdict is Verdict.WA
    flipped = np.array([1.0, np.nan, -np.inf, -np.inf])
    assert check({"y": want}, {"y": flipped}, nan_policy="equal").verdict is Verdict.WA


def test_inf_in_the_output_fails_with_finite_answer() -> None:
    result = check({"y": np.ones(3, np.float16)}, {"y": np.array([1, np.inf, 1], np.float16)})
    assert result.verdict is Verdict.WA
    assert "NaN or Inf" in result.message
    assert result.feedback["y"]["max_rel_err"] == 0.0


def test_booleans_and_integers_must_be_equal() -> None:
    assert check({"gradcheck": np.bool_(True)}, {"gradcheck": np.bool_(True)}).verdict is Verdict.AC
    failed = check({"gradcheck": np.bool_(True)}, {"gradcheck": np.bool_(False)}, visible=True)
    assert failed.verdict is Verdict.WA
    assert failed.message.startswith("gradcheck: values differ")
    assert check({"n": np.arange(4)}, {"n": np.arange(4) + 1}).verdict is Verdict.WA


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ([1, 2, 3], "returned 2 value(s), expected 3 (dx, dgamma, dbeta)"),
        ([1, 10**9, 3], "returned too many value(s), expected 3 (dx, dgamma, dbeta)"),
        ([2, 1, 0], "output dgamma is not a numeric array or tensor"),
        ([3, 2, 0], "backward returned no gradient for gamma"),
        ([3, 99, 0], "backward returned no gradient for #100"),
        ([7, 0, 0], "the return value has the wrong form"),
    ],
)
def test_harness_error_codes_become_fixed_sentences(code: list[int], message: str) -> None:
    want = {"dx": np.ones(2), "dgamma": np.ones(2), "dbeta": np.ones(2)}
    result = check(
        want,
        {"__error__": np.array(code)},
        outputs=["dx", "dgamma", "dbeta"],
        inputs=["dy", "x", "gamma", "eps"],
    )
    assert result.verdict is Verdict.WA
    assert result.message == message


def test_output_that_is_not_an_npz_is_a_wrong_answer() -> None:
    result = check({"y": np.ones(2)}, b"hello, I printed to stdout")
    assert result.verdict is Verdict.WA
    assert result.message == "output is not an .npz archive"


def test_broken_answer_is_an_internal_error() -> None:
    ctx = CheckContext(
        input=b"", answer=b"junk", output=npz(y=np.ones(2)), visible=False, options={}
    )
    assert CHECKER.check(ctx).verdict is Verdict.IE


def _zip(members: dict[str, bytes], *, compress: bool = False) -> bytes:
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def test_zip_bomb_is_refused_before_decompressing() -> None:
    bomb = _zip({"y.npy": _npy(np.zeros(8 * 1024 * 1024))}, compress=True)
    assert len(bomb) < 1024 * 1024
    with pytest.raises(MalformedOutput, match="too large"):
        load_npz(bomb, limit=1024 * 1024)
    result = check({"y": np.zeros(4)}, bomb)
    assert result.verdict is Verdict.WA


def test_array_header_claiming_more_data_than_present_is_refused() -> None:
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)}
    )
    lying = _zip({"y.npy": header.getvalue() + b"\x00" * 64})
    with pytest.raises(MalformedOutput, match="truncated"):
        load_npz(lying, limit=1024 * 1024)


def test_object_arrays_are_refused() -> None:
    pickled = _zip({"y.npy": _npy(np.array([{"a": 1}], dtype=object))})
    with pytest.raises(MalformedOutput, match="Python objects"):
        load_npz(pickled, limit=1024 * 1024)


def test_members_that_are_not_arrays_are_refused() -> None:
    with pytest.raises(MalformedOutput, match="not an array"):
        load_npz(_zip({"../../etc/passwd": b"x"}), limit=1024)
    with pytest.raises(MalformedOutput, match="more than"):
        load_npz(_zip({f"a{i}.npy": _npy(np.ones(1)) for i in range(100)}), limit=10**6)
