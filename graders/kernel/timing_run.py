"""The GPU timing phase of a kernel submission (judge side).

Runs after correctness passed. Where no GPU answers (or the sandbox backend cannot
pass one through) it returns the `needs_gpu` state with a plain sentence: the
submission is graded for correctness and its timing waits for a GPU judgehost.
Otherwise one sandbox session with the GPU runs the harness in `time` mode over
the problem's timed shapes, with a seed mixed from the package hash (public) and
a fresh secret one; this process then checks the sampled rows of each timed input
set against its own float64 oracle, applies the decisions of `report`, and re-times
once when the GPU throttled during the run.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graders.checkers import tensor as tensor_checker
from graders.harness import kernel_protocol as protocol
from graders.harness import protocol as wire
from graders.kernel import device as devices
from graders.kernel import oracles, report, stats
from graders.package.types import Package
from graders.results import TestResult
from graders.verdict import Verdict
from sandbox import Limits, RunSpec, RunStatus, Sandbox

NEEDS_GPU = (
    "correctness was checked on CPU under the Triton interpreter; timing needs a GPU "
    "and waits for a GPU judgehost (races and missing barriers only show there)"
)
TIMING_GROUP = "timing"
# The row holding the submission's score (geometric mean of the shapes' speedups).
SCORE_ROW = "score"


@dataclass
class TimingOutcome:
    status: str  # "needs_gpu" | "timed" | "refused" | "failed"
    message: str = ""
    tests: list[TestResult] = field(default_factory=list)
    score: float | None = None
    device: dict[str, Any] = field(default_factory=dict)


def gpu_sandbox(sandbox: Sandbox) -> bool:
    return bool(getattr(sandbox, "supports_gpu", False))


def time_submission(
    package: Package, *, source: str, language: Any, sandbox: Sandbox
) -> TimingOutcome:
    from graders.kinds.kernel import harness_config, kernel_specs

    function, kernel = kernel_specs(package)
    info = devices.describe()
    if info is None or not gpu_sandbox(sandbox) or not kernel.timing:
        return TimingOutcome("needs_gpu", NEEDS_GPU)
    from graders.kinds import get_kind

    kind = get_kind(package.spec.type)
    files = kind.workdir_files(package, source, language)
    seed = int(package.content_hash[:8], 16) ^ secrets.randbits(31)
    config = harness_config(package, mode="time")
    config.update(
        seed=seed,
        shapes=[shape.model_dump() for shape in kernel.timing],
        tolerances={k: [v.rtol, v.atol] for k, v in function.tolerances.items()},
        l2_bytes=128 * 1024 * 1024,
        max_seconds=20.0,
    )
    files[wire.KERNEL_CONFIG_FILE] = json.dumps(config).encode()
    outcome = _run_once(package, files, sandbox, info)
    after = devices.describe()
    if after is not None and _throttled(info, after):
        outcome = _run_once(package, files, sandbox, after)
        outcome.message = (outcome.message + " (re-timed: the GPU throttled)").strip()
    return outcome


def _throttled(before: devices.DeviceInfo, after: devices.DeviceInfo) -> bool:
    clocks = [c for c in (before.sm_clock_mhz, after.sm_clock_mhz) if c is not None]
    return stats.throttled(
        clocks,
        after.max_sm_clock_mhz or 0.0,
        after.temperature_c,
        None
        if after.temperature_margin_c is None
        else (after.temperature_c or 0) + after.temperature_margin_c,
    )


def _run_once(
    package: Package, files: dict[str, bytes], sandbox: Sandbox, info: devices.DeviceInfo
) -> TimingOutcome:
    from graders.kinds.kernel import kernel_specs
    from graders.runner import RUN_ENV

    function, kernel = kernel_specs(package)
    limits = Limits(wall_s=600, cpu_s=600, memory_mb=16384, output_bytes=256 * 1024 * 1024)
    with sandbox.session(files, gpu=True) as session:
        result = session.run(
            RunSpec(
                argv=("python3", wire.KERNEL_HARNESS_FILE), env=RUN_ENV, limits=limits, gpu=True
            )
        )
    if result.status is not RunStatus.OK or result.exit_code != 0:
        verdict_msg = protocol.REFUSALS.get(result.exit_code or 0, ("RE", "the timing run failed"))
        return TimingOutcome("refused", verdict_msg[1], [_row("run", False, verdict_msg[1], {})])
    try:
        arrays = tensor_checker.load_npz(result.stdout, limit=512 * 1024 * 1024)
        payload = json.loads(bytes(arrays[protocol.TIMING_KEY].astype(np.uint8)).decode())
    except (tensor_checker.MalformedOutput, KeyError, ValueError):
        message = "the timing run's output could not be read"
        return TimingOutcome("refused", message, [_row("run", False, message, {})])
    peak = info.peak_gbps
    rows: list[TestResult] = []
    speedups: list[float] = []
    tolerances = {k: (v.rtol, v.atol) for k, v in function.tolerances.items()}
    for index, shape_report in enumerate(payload["shapes"]):
        timing = report.shape_timing(
            shape_report, peak_gbps=peak, review_slowdown=kernel.review_slowdown
        )
        wrong = _check_outputs(index, shape_report, arrays, tolerances)
        ok, message = timing.verdict_ok and wrong is None, wrong or timing.message
        feedback = {**timing.feedback, "gpu": info.model}
        rows.append(_row(timing.name, ok, message, feedback))
        if ok and timing.combined_speedup is not None:
            speedups.append(timing.combined_speedup)
    if len(speedups) != len(rows):
        return TimingOutcome("refused", "a timed shape was refused", rows, device=info.as_dict())
    score = stats.geometric_mean(speedups)
    gbps = [float(r.feedback["shape_gbps"]) for r in rows]
    summary = {
        "speedup": score,
        "gbps": float(np.mean(gbps)),
        "gpu": info.model,
        "device": info.as_dict(),
    }
    rows.append(_row(SCORE_ROW, True, f"geometric mean speedup {score:.3f}x", summary))
    return TimingOutcome("timed", "", rows, score=score, device=info.as_dict())


def _check_outputs(
    index: int,
    shape_report: dict[str, Any],
    arrays: dict[str, Any],
    tolerances: dict[str, tuple[float, float]],
) -> str | None:
    """Sampled rows of each timed input set against this process's float64 oracle."""
    shape = shape_report["shape"]
    m, n, dtype = int(shape["m"]), int(shape["n"]), str(shape["dtype"])
    rows = [int(r) for r in shape_report["rows"]]
    rtol, atol = tolerances.get(dtype, (1e-2, 1e-2))
    for k in range(3):
        inputs = protocol.make_inputs(m, n, dtype, int(shape_report["seed"]) + k)
        for name in ("x", "weight", "bias", "dy"):
            inputs[name] = protocol.round_to(inputs[name], dtype)
        want = oracles.layer_norm(inputs)
        for name in ("y", "dx", "dweight", "dbias"):
            got = arrays.get(f"s{index}_{name}_{k}")
            expected = want[name][rows] if name in ("y", "dx") else want[name]
            if got is None or got.shape != expected.shape:
                return f"{name} of a timed call is missing or has the wrong shape"
            diff = np.abs(got.astype(np.float64) - expected)
            if not np.all(diff <= atol + rtol * np.abs(expected)):
                return f"{name} of a timed call is wrong (max abs error {float(diff.max()):.3g})"
    return None


def _row(name: str, ok: bool, message: str, feedback: dict[str, Any]) -> TestResult:
    return TestResult(
        name=f"{TIMING_GROUP}/{name}",
        group=TIMING_GROUP,
        verdict=Verdict.AC if ok else Verdict.WA,
        message=message,
        feedback=feedback,
    )
