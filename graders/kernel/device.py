"""GPU models the grader knows, their peak HBM bandwidth, and what a run records.

A peak is the vendor's figure; a model not listed is timed but not checked against a
roofline (the report says so). `describe()` runs `nvidia-smi` on the judgehost,
outside the sandbox, for the model, driver, clocks and temperature; `present()` is
the judgehost's GPU detection (a GPU "answers" when nvidia-smi lists one).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import asdict, dataclass
from typing import Any

# Substring of the model name -> peak DRAM bandwidth in GB/s (1e9 bytes/s).
PEAK_GBPS: dict[str, float] = {
    "H200": 4800.0,
    "H100 SXM": 3350.0,
    "H100 80GB HBM3": 3350.0,
    "H100 PCIe": 2000.0,
    "H100 NVL": 3900.0,
    "A100-SXM4-80GB": 2039.0,
    "A100-SXM4-40GB": 1555.0,
    "A100-PCIE-40GB": 1555.0,
    "A100 80GB PCIe": 1935.0,
    "L40S": 864.0,
    "L4": 300.0,
    "A10G": 600.0,
    "RTX 4090": 1008.0,
    "RTX 3090": 936.0,
    "T4": 320.0,
}

_QUERY = (
    "name,driver_version,clocks.sm,clocks.max.sm,clocks.mem,temperature.gpu,"
    "temperature.gpu.tlimit,clocks_event_reasons.active"
)


@dataclass(frozen=True)
class DeviceInfo:
    model: str
    driver: str = ""
    sm_clock_mhz: float | None = None
    max_sm_clock_mhz: float | None = None
    mem_clock_mhz: float | None = None
    temperature_c: float | None = None
    temperature_margin_c: float | None = None
    throttle_reasons: str = ""

    @property
    def peak_gbps(self) -> float | None:
        return peak_gbps(self.model)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "peak_gbps": self.peak_gbps}


def peak_gbps(model: str) -> float | None:
    for key in sorted(PEAK_GBPS, key=len, reverse=True):
        if key.lower() in model.lower():
            return PEAK_GBPS[key]
    return None


def _number(text: str) -> float | None:
    try:
        return float(text.strip().split()[0])
    except (ValueError, IndexError):
        return None


def parse_smi(line: str) -> DeviceInfo:
    """One CSV line of `nvidia-smi --query-gpu=<_QUERY> --format=csv,noheader`."""
    fields = [f.strip() for f in line.split(",")]
    fields += [""] * (8 - len(fields))
    return DeviceInfo(
        model=fields[0],
        driver=fields[1],
        sm_clock_mhz=_number(fields[2]),
        max_sm_clock_mhz=_number(fields[3]),
        mem_clock_mhz=_number(fields[4]),
        temperature_c=_number(fields[5]),
        temperature_margin_c=_number(fields[6]),
        throttle_reasons=fields[7],
    )


def describe(index: int = 0) -> DeviceInfo | None:
    """The GPU's model, driver, clocks and temperature now; None when none answers."""
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return None
    try:
        out = subprocess.run(
            [smi, f"--id={index}", f"--query-gpu={_QUERY}", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    lines = [line for line in out.splitlines() if line.strip()]
    return parse_smi(lines[0]) if lines else None


def present() -> bool:
    return describe() is not None
