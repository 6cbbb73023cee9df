"""Writes docs/performance.md from the outputs of scripts/gpu-check.

    gpu_check_report.py OUT_DIR docs/performance.md --pytest-rc N --timer-rc N

Reads OUT_DIR/device.csv, timer.txt (the last line is the timer check's JSON),
grades.jsonl (one graded solution per line) and pytest.txt; every figure on the page
comes from those files, with the GPU model they were measured on.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

EXPECTED = {"accepted": "AC", "wrong_answer": "WA", "run_time_error": "RE"}


def expected_verdict(path: str) -> str:
    parts = Path(path).parts
    return EXPECTED.get(parts[-2], "?")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("page", type=Path)
    parser.add_argument("--pytest-rc", type=int, required=True)
    parser.add_argument("--timer-rc", type=int, required=True)
    args = parser.parse_args()
    device = (args.out / "device.csv").read_text().strip().splitlines()
    timer_lines = (args.out / "timer.txt").read_text().strip().splitlines()
    timer = None
    for line in reversed(timer_lines):
        if line.startswith("{"):
            timer = json.loads(line)
            break
    grades = [json.loads(line) for line in (args.out / "grades.jsonl").read_text().splitlines()]
    lines = [
        "# Performance and GPU checks",
        "",
        f"Measured by `scripts/gpu-check` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        "GPU (`nvidia-smi`):",
        "",
        "```",
        *device,
        "```",
        "",
        "## Timer check (`benchmarks/gpu_timer_check.py`)",
        "",
    ]
    if timer is None:
        lines += [
            "The timer check printed no result (exit status "
            f"{args.timer_rc}); see its output in the gpu-check folder.",
            "",
        ]
    else:
        lines += ["| measurement | median GB/s | min | max | % of peak |", "|---|---|---|---|---|"]
        for label, r in timer["results"].items():
            pct = f"{r['pct_peak_median']:.1f}" if r.get("pct_peak_median") else "n/a"
            lines.append(
                f"| {label} | {r['gbps_median']:.0f} | {r['gbps_min']:.0f} | "
                f"{r['gbps_max']:.0f} | {pct} |"
            )
        lines += [
            "",
            f"Peak used: {timer['peak_gbps']} GB/s ({timer['gpu']}). The copy "
            f"{'reaches' if timer['timer_honest'] else 'does NOT reach'} 85% of peak.",
            "",
        ]
    lines += [
        "## Every solution of fused-layernorm-triton, graded on this GPU",
        "",
        "| solution | expected | got | ok | score (geomean speedup) | note |",
        "|---|---|---|---|---|---|",
    ]
    failures = 0
    for g in grades:
        want, got = expected_verdict(g["solution"]), g["verdict"]
        ok = want == got
        failures += not ok
        score = next(
            (r["feedback"].get("speedup") for r in g["rows"] if r["name"] == "timing/score"), None
        )
        score_text = f"{score:.3f}x" if isinstance(score, int | float) else ""
        note = (g.get("message") or "").replace("|", "/")[:120]
        lines.append(
            f"| {g['solution'].split('submissions/')[-1]} | {want} | {got} | "
            f"{'yes' if ok else 'NO'} | {score_text} | {note} |"
        )
    lines += [
        "",
        "### Per-shape timing of the accepted solutions",
        "",
        "| solution | shape | fwd ms | bwd ms | combined ms | speedup [95% CI] | GB/s | % peak |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for g in grades:
        if expected_verdict(g["solution"]) != "AC":
            continue
        for r in g["rows"]:
            f = r["feedback"]
            if "shape_speedup" not in f:
                continue
            low, high = f["speedup_ci"]
            pct = f"{f['pct_peak']:.1f}" if "pct_peak" in f else "n/a"
            lines.append(
                f"| {Path(g['solution']).stem} | {r['name'].removeprefix('timing/')} | "
                f"{f['fwd_ms']:.4f} | {f['bwd_ms']:.4f} | {f['combined_ms']:.4f} | "
                f"{f['shape_speedup']:.3f} [{low:.3f}, {high:.3f}] | "
                f"{f['shape_gbps']:.0f} | {pct} |"
            )
    lines += [
        "",
        "## pytest -m gpu",
        "",
        f"Exit status {args.pytest_rc} "
        f"({'all passed' if args.pytest_rc == 0 else 'FAILURES: see pytest.txt'}).",
        "",
    ]
    args.page.write_text("\n".join(lines) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
