"""The judge-side parts of the kernel grader, on CPU without a sandbox: the float64
oracle, the per-output checker with dtype codes, the bit-identical reference check,
the timing report's decisions and the GPU's description."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from graders.checkers import get_checker
from graders.checkers.base import CheckContext
from graders.harness import kernel_protocol as protocol
from graders.harness import protocol as wire
from graders.kernel import device, oracles, report
from graders.kinds import get_kind
from graders.package.model import ProblemType
from graders.verdict import Verdict

GEN = Path(__file__).resolve().parents[2] / "problems/fused-layernorm-triton/generators/gen.py"
OPTIONS = {
    "outputs": ["y", "dx", "dweight", "dbias"],
    "tolerances": {
        "float32": {"rtol": 1e-4, "atol": 1e-3},
        "float16": {"rtol": 1e-2, "atol": 1e-2},
        "bfloat16": {"rtol": 3e-2, "atol": 8e-2},
    },
    "reference_check_min_elements": 4096,
}


def generate(*args: str) -> bytes:
    return subprocess.run([sys.executable, str(GEN), *args], check=True, capture_output=True).stdout


def npz(**arrays: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def torch_outputs(inputs: dict[str, np.ndarray], dtype: torch.dtype) -> dict[str, torch.Tensor]:
    """What an honest kernel in `dtype` returns: torch's own layer norm, computed in fp32."""
    x = torch.from_numpy(inputs["x"]).to(dtype).float().requires_grad_()
    w = torch.from_numpy(inputs["weight"]).to(dtype).float().requires_grad_()
    b = torch.from_numpy(inputs["bias"]).to(dtype).float().requires_grad_()
    y = torch.nn.functional.layer_norm(x, x.shape[-1:], w, b, float(inputs["eps"]))
    y.backward(torch.from_numpy(inputs["dy"]).to(dtype).float())
    return {"y": y.detach(), "dx": x.grad, "dweight": w.grad, "dbias": b.grad}


def harness_output(outs: dict[str, torch.Tensor], dtype: torch.dtype, **extra) -> bytes:
    name = str(dtype).removeprefix("torch.")
    values = {
        k: v.to(dtype).float().numpy() if dtype == torch.bfloat16 else v.to(dtype).numpy()
        for k, v in outs.items()
    }
    values[protocol.DTYPES_KEY] = np.asarray([protocol.DTYPE_CODES[name]] * 4)
    values[protocol.DEVICE_KEY] = np.asarray(0)
    values.update(extra)
    return npz(**values)


def check(input_data: bytes, output: bytes, visible: bool = True):
    answer = oracles.answer_bytes("layer_norm", input_data)
    ctx = CheckContext(
        input=input_data, answer=answer, output=output, visible=visible, options=OPTIONS
    )
    return get_checker("kernel").check(ctx)


def test_oracle_matches_torch_in_float64() -> None:
    inputs = oracles.load(generate("3", "7x33", "float32", "offset", "1,7"))
    want = oracles.layer_norm(inputs)
    x = torch.from_numpy(inputs["x"]).double().requires_grad_()
    w = torch.from_numpy(inputs["weight"]).double().requires_grad_()
    b = torch.from_numpy(inputs["bias"]).double().requires_grad_()
    y = torch.nn.functional.layer_norm(x, (33,), w, b, 1e-5)
    y.backward(torch.from_numpy(inputs["dy"]).double())
    assert want["y"].shape == (1, 7, 33)
    np.testing.assert_allclose(want["y"].reshape(7, 33), y.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(want["dx"].reshape(7, 33), x.grad.numpy(), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(want["dweight"], w.grad.numpy(), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(want["dbias"], b.grad.numpy(), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize(
    ("dtype", "code"), [(torch.float16, "float16"), (torch.bfloat16, "bfloat16")]
)
def test_generator_values_are_exact_in_their_dtype(dtype: torch.dtype, code: str) -> None:
    inputs = oracles.load(generate("5", "4x50", code, "flat"))
    x = torch.from_numpy(inputs["x"])
    assert torch.equal(x.to(dtype).float(), x)
    assert np.array_equal(protocol.round_to(inputs["x"], code), inputs["x"])


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_honest_low_precision_outputs_pass_and_a_wrong_dtype_fails(dtype: torch.dtype) -> None:
    name = str(dtype).removeprefix("torch.")
    data = generate("4", "24x256", name, "normal")
    outs = torch_outputs(oracles.load(data), dtype)
    result = check(data, harness_output(outs, dtype))
    assert result.verdict is Verdict.AC, result.message
    assert result.feedback["y"]["max_abs_err"] > 0
    as_fp32 = harness_output(outs, torch.float32)
    wrong = check(data, as_fp32)
    assert wrong.verdict is Verdict.WA
    assert f"expected dtype {name}, got float32" in wrong.message


def test_unbiased_variance_fails_with_a_first_index_on_visible_tests() -> None:
    data = generate("1", "8x100", "float32")
    inputs = oracles.load(data)
    outs = torch_outputs(inputs, torch.float32)
    x = torch.from_numpy(inputs["x"]).double()
    xhat = (x - x.mean(-1, keepdim=True)) / torch.sqrt(x.var(-1, keepdim=True) + 1e-5)
    outs["y"] = (
        xhat * torch.from_numpy(inputs["weight"]) + torch.from_numpy(inputs["bias"])
    ).float()
    visible = check(data, harness_output(outs, torch.float32))
    assert visible.verdict is Verdict.WA
    assert visible.message.startswith("y: ") and "first at index" in visible.message
    hidden = check(data, harness_output(outs, torch.float32), visible=False)
    assert "first at index" not in hidden.message
    assert hidden.feedback["y"]["max_rel_err"] > 1e-3
    assert hidden.feedback["dx"]["mismatched"] == 0


def test_nan_left_by_an_unwritten_element_fails() -> None:
    data = generate("2", "16x64", "float32")
    outs = torch_outputs(oracles.load(data), torch.float32)
    outs["dx"][3, 5] = float("nan")
    result = check(data, harness_output(outs, torch.float32))
    assert result.verdict is Verdict.WA and "dx: contains NaN" in result.message


def test_output_bit_identical_to_torch_is_refused_as_calling_the_reference() -> None:
    data = generate("6", "64x128", "float32", "offset")
    inputs = oracles.load(data)
    outs = torch_outputs(inputs, torch.float32)
    refused = check(data, harness_output(outs, torch.float32))
    assert refused.verdict is Verdict.WA and "bit-identical" in refused.message
    # One last-bit change in one element is an independent kernel's rounding: accepted.
    outs["y"][0, 0] = torch.nextafter(outs["y"][0, 0], torch.tensor(1e9))
    passed = check(data, harness_output(outs, torch.float32))
    assert passed.verdict is Verdict.AC, passed.message
    assert passed.feedback["reference_check"] == "passed"


def test_refusal_codes_map_to_fixed_sentences() -> None:
    kind = get_kind(ProblemType.KERNEL)
    verdict, message = kind.exit_verdict(wire.EXIT_NO_FORWARD_LAUNCH)
    assert verdict is Verdict.RE and "launched no Triton kernel" in message
    assert kind.exit_verdict(wire.EXIT_GUARD_BAND)[0] is Verdict.WA
    assert kind.exit_verdict(1) is None and kind.exit_verdict(None) is None


def _samples(fwd: float, bwd: float, ref_fwd: float, ref_bwd: float, gap: float = 0.02):
    n = 12
    jitter = [1 + 0.002 * ((i % 3) - 1) for i in range(n)]
    return {
        "fwd": [fwd * j for j in jitter],
        "fwd_wall": [fwd * j + gap for j in jitter],
        "bwd": [bwd * j for j in jitter],
        "bwd_wall": [bwd * j + gap for j in jitter],
        "ref_fwd": [ref_fwd * j for j in jitter],
        "ref_fwd_wall": [ref_fwd * j + 0.02 for j in jitter],
        "ref_bwd": [ref_bwd * j for j in jitter],
        "ref_bwd_wall": [ref_bwd * j + 0.02 for j in jitter],
    }


def _report(samples) -> dict:
    return {
        "shape": {"m": 4096, "n": 8192, "dtype": "float16"},
        "samples": samples,
        "mismatched_reps": 0,
    }


def test_report_speedup_bandwidth_and_refusals() -> None:
    moved = report.bytes_forward(4096, 8192, "float16") + report.bytes_backward(
        4096, 8192, "float16"
    )
    assert moved == 5 * 4096 * 8192 * 2 + 5 * 8192 * 2 + 16 * 4096
    honest = report.shape_timing(
        _report(_samples(0.05, 0.1, 0.1, 0.2)), peak_gbps=4800.0, review_slowdown=5
    )
    assert honest.verdict_ok and honest.combined_speedup == pytest.approx(2.0, rel=1e-6)
    low, high = honest.feedback["speedup_ci"]
    assert low < 2.0 < high
    assert honest.feedback["pct_peak"] == pytest.approx(
        100 * moved / (0.15e-3) / 1e9 / 4800.0, rel=1e-3
    )
    side_stream = report.shape_timing(
        _report(_samples(0.05, 0.1, 0.1, 0.2, gap=0.5)), peak_gbps=4800.0, review_slowdown=5
    )
    assert not side_stream.verdict_ok and "wall clock" in side_stream.message
    impossible = report.shape_timing(
        _report(_samples(0.005, 0.1, 0.1, 0.2)), peak_gbps=4800.0, review_slowdown=5
    )
    assert not impossible.verdict_ok and "peak bandwidth" in impossible.message
    slow = report.shape_timing(
        _report(_samples(1.0, 1.0, 0.1, 0.2)), peak_gbps=4800.0, review_slowdown=5
    )
    assert slow.verdict_ok and "review" in slow.feedback
    replayed = dict(_report(_samples(0.05, 0.1, 0.1, 0.2)), mismatched_reps=3)
    assert "re-checked" in report.shape_timing(replayed, peak_gbps=None, review_slowdown=5).message


def test_device_description_from_nvidia_smi() -> None:
    info = device.parse_smi("NVIDIA H200, 570.86.15, 1980, 1980, 3201, 41, 46, 0x0000000000000000")
    assert info.model == "NVIDIA H200" and info.peak_gbps == 4800.0
    assert info.sm_clock_mhz == 1980 and info.temperature_c == 41
    assert device.peak_gbps("NVIDIA H100 80GB HBM3") == 3350.0
    assert device.peak_gbps("Some Future GPU") is None
