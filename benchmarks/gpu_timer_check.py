"""Is the kernel grader's timer honest? Run on a GPU host (`scripts/gpu-check` does).

With the grader's own timer (`graders/harness/kernel_timing.py`: L2 flush, CUDA events,
device-wide synchronise, the adaptive stopping rule of `graders/kernel/stats.py`):

1. a device-to-device copy of 1 GiB: reads and writes 2 GiB; it must reach at least
   85% of the device's peak HBM bandwidth, or the timer (or the flush) is lying;
2. `F.layer_norm` forward at M=4096, N=8192 in float16, reported as GB/s and % of peak
   (bytes: `graders.kernel.report.bytes_forward`).

Each is measured 10 times (each time to the stopping rule) to print the spread.
Prints one JSON document (for docs/performance.md) after the table; exit status 1 when
the copy misses 85% of peak, 2 when no GPU answers.
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    import torch
    import torch.nn.functional as F

    from graders.harness import kernel_timing
    from graders.kernel import device, report, stats

    if not torch.cuda.is_available():
        print("no GPU answers: nothing to check", file=sys.stderr)
        return 2
    info = device.describe()
    model = info.model if info else torch.cuda.get_device_name()
    peak = device.peak_gbps(model)
    kernel_timing.capture()
    dev = torch.device("cuda")
    timer = kernel_timing.Timer(dev, l2_bytes=128 * 1024 * 1024)
    rule = stats.StoppingRule(max_seconds=10.0)
    clock = kernel_timing._captured["perf_counter"]

    nbytes = 1 << 30
    src = torch.empty(nbytes, dtype=torch.uint8, device=dev).random_()
    dst = torch.empty_like(src)
    x = torch.randn(4096, 8192, device=dev, dtype=torch.float16)
    w = torch.randn(8192, device=dev, dtype=torch.float16)
    b = torch.randn(8192, device=dev, dtype=torch.float16)
    ln_bytes = report.bytes_forward(4096, 8192, "float16")

    def one(call, moved):
        m = stats.measure(lambda: timer.time(call)[0], rule, clock)
        return stats.achieved_gbps(moved, m.median_ms), m

    results = {}
    for label, call, moved in (
        ("copy", lambda: dst.copy_(src), 2 * nbytes),
        ("layer_norm_fwd_4096x8192_fp16", lambda: F.layer_norm(x, (8192,), w, b), ln_bytes),
    ):
        one(call, moved)  # warm-up
        runs = [one(call, moved) for _ in range(10)]
        gbps = [g for g, _ in runs]
        results[label] = {
            "gbps_median": stats.percentile(gbps, 50),
            "gbps_min": min(gbps),
            "gbps_max": max(gbps),
            "pct_peak_median": 100 * stats.percentile(gbps, 50) / peak if peak else None,
            "reps_per_run": [len(m.samples_ms) for _, m in runs],
        }
    print(f"GPU: {model} (peak {peak} GB/s)")
    print(f"{'measurement':<34} {'median GB/s':>12} {'min':>9} {'max':>9} {'% peak':>8}")
    for label, r in results.items():
        pct = f"{r['pct_peak_median']:.1f}" if r["pct_peak_median"] is not None else "n/a"
        print(
            f"{label:<34} {r['gbps_median']:>12.0f} {r['gbps_min']:>9.0f} "
            f"{r['gbps_max']:>9.0f} {pct:>8}"
        )
    copy_pct = results["copy"]["pct_peak_median"]
    honest = copy_pct is not None and copy_pct >= 85.0
    print(
        json.dumps(
            {
                "gpu": model,
                "peak_gbps": peak,
                "device": info.as_dict() if info else {},
                "results": results,
                "timer_honest": honest,
            }
        )
    )
    if not honest:
        print("the copy did not reach 85% of peak: the timer is not trusted", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
