"""Per-shape timing rows and the submission's score, from the harness's raw samples.

Bytes each pass must move (stated in the problem statement), for x of shape (M, N)
in a dtype of s bytes, with fp32 mean and rstd per row:
    forward   read x, w, b; write y, mean, rstd      2MNs + 2Ns + 8M
    backward  read x, dy, w, mean, rstd; write dx,   3MNs + 3Ns + 8M
              dw, db
Achieved GB/s is those bytes over the median time; % of peak uses the device's
vendor peak (`graders.kernel.device`). The score is the geometric mean of the
combined (forward + backward) speedups over `F.layer_norm`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graders.kernel import stats

ITEM_BYTES = {"float32": 4, "float16": 2, "bfloat16": 2}


def bytes_forward(m: int, n: int, dtype: str) -> int:
    s = ITEM_BYTES[dtype]
    return 2 * m * n * s + 2 * n * s + 8 * m


def bytes_backward(m: int, n: int, dtype: str) -> int:
    s = ITEM_BYTES[dtype]
    return 3 * m * n * s + 3 * n * s + 8 * m


@dataclass(frozen=True)
class ShapeTiming:
    name: str  # "4096x8192-float16"
    verdict_ok: bool
    message: str
    feedback: dict[str, Any]
    combined_speedup: float | None


def _measurement(samples: list[float]) -> stats.Measurement:
    return stats.Measurement(samples_ms=[float(v) for v in samples])


def shape_timing(
    report: dict[str, Any], *, peak_gbps: float | None, review_slowdown: float
) -> ShapeTiming:
    """Apply every timing decision to one shape's raw samples (judge side)."""
    shape = report["shape"]
    m, n, dtype = int(shape["m"]), int(shape["n"]), str(shape["dtype"])
    name = f"{m}x{n}-{dtype}"
    s = report["samples"]
    fwd, bwd = _measurement(s["fwd"]), _measurement(s["bwd"])
    ref_fwd, ref_bwd = _measurement(s["ref_fwd"]), _measurement(s["ref_bwd"])
    combined = _measurement([a + b for a, b in zip(s["fwd"], s["bwd"], strict=True)])
    ref_combined = _measurement([a + b for a, b in zip(s["ref_fwd"], s["ref_bwd"], strict=True)])
    speed = stats.speedup(combined, ref_combined)
    b_fwd, b_bwd = bytes_forward(m, n, dtype), bytes_backward(m, n, dtype)
    gbps = stats.achieved_gbps(b_fwd + b_bwd, combined.median_ms)
    feedback: dict[str, Any] = {
        "shape": [m, n],
        "dtype": dtype,
        "reps": len(combined.samples_ms),
        "stop": report.get("stop", []),
        "fwd_ms": fwd.median_ms,
        "fwd_spread_ms": list(fwd.spread_ms()),
        "bwd_ms": bwd.median_ms,
        "bwd_spread_ms": list(bwd.spread_ms()),
        "combined_ms": combined.median_ms,
        "combined_spread_ms": list(combined.spread_ms()),
        "ref_fwd_ms": ref_fwd.median_ms,
        "ref_bwd_ms": ref_bwd.median_ms,
        "ref_combined_ms": ref_combined.median_ms,
        "shape_speedup": speed.ratio,
        "speedup_ci": [speed.low, speed.high],
        "fwd_speedup": ref_fwd.median_ms / fwd.median_ms,
        "bwd_speedup": ref_bwd.median_ms / bwd.median_ms,
        "shape_gbps": gbps,
        "fwd_gbps": stats.achieved_gbps(b_fwd, fwd.median_ms),
        "bwd_gbps": stats.achieved_gbps(b_bwd, bwd.median_ms),
        "bytes": {"fwd": b_fwd, "bwd": b_bwd},
    }
    if peak_gbps:
        feedback["pct_peak"] = 100 * gbps / peak_gbps
    refusal = ""
    if int(report.get("mismatched_reps", 0)):
        refusal = (
            f"{report['mismatched_reps']} timed call(s) returned outputs that differ from the "
            "verified ones (every timed output is re-checked)"
        )
    hidden = stats.hidden_work(s["fwd"], s["fwd_wall"], s["ref_fwd"], s["ref_fwd_wall"])
    hidden_bwd = stats.hidden_work(s["bwd"], s["bwd_wall"], s["ref_bwd"], s["ref_bwd_wall"])
    feedback["wall_gap_ms"] = [hidden.gap_ms, hidden_bwd.gap_ms]
    if not refusal and (hidden.refused or hidden_bwd.refused):
        refusal = (
            "the device-wide wall clock exceeds the event time by far more than the "
            "reference's: work outside the timed stream (side streams or threads) is refused"
        )
    if not refusal and peak_gbps:
        for label, moved, m_ in (("forward", b_fwd, fwd), ("backward", b_bwd, bwd)):
            if stats.below_roofline(moved, m_.median_ms, peak_gbps):
                refusal = (
                    f"the {label} time implies more than the device's peak bandwidth "
                    f"({peak_gbps:.0f} GB/s): impossible for the bytes it must move"
                )
                break
    if stats.needs_review(combined.median_ms, ref_combined.median_ms, review_slowdown):
        feedback["review"] = f"slower than {review_slowdown:g}x the reference"
    ok = not refusal
    return ShapeTiming(name, ok, refusal, feedback, speed.ratio if ok else None)
