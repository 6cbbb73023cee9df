"""Passing an NVIDIA GPU into a sandbox, for kernel problems (RunSpec.gpu).

What a CUDA program needs is small and fixed: the device nodes (`/dev/nvidia0..N`,
`/dev/nvidiactl`, `/dev/nvidia-uvm`, `/dev/nvidia-uvm-tools`, `/dev/nvidia-caps/*`)
and the user-space driver libraries (`libcuda.so*`, `libnvidia-*.so*`, found through
the linker cache), bound read-only. bwrap binds exactly those; Docker asks the
NVIDIA container runtime for them through a device request (`--gpus all`). A host
without device nodes has no GPU to give: `available()` is False and a session asked
for one refuses loudly instead of running the program without it.
"""

from __future__ import annotations

import glob
import os
import subprocess
from typing import Any

_LIBRARY_PREFIXES = ("libcuda.so", "libnvidia-", "libnvcuvid.so", "libnvidia-ml.so")


def device_nodes() -> list[str]:
    nodes = sorted(
        path
        for pattern in ("/dev/nvidia[0-9]*", "/dev/nvidiactl", "/dev/nvidia-uvm*",
                        "/dev/nvidia-caps/*")
        for path in glob.glob(pattern)
    )  # fmt: skip
    return [path for path in nodes if os.path.exists(path)]


def available() -> bool:
    return bool(device_nodes())


def driver_libraries() -> list[str]:
    """The driver's user-space libraries, from the linker cache (`ldconfig -p`)."""
    try:
        out = subprocess.run(
            ["/sbin/ldconfig", "-p"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except OSError:
        return []
    found: set[str] = set()
    for line in out.splitlines():
        name, _, path = line.strip().partition(" => ")
        if name.startswith(_LIBRARY_PREFIXES) and os.path.exists(path):
            found.add(path)
            found.add(os.path.realpath(path))
    return sorted(found)


def bwrap_args() -> list[str]:
    """Arguments after `--dev /dev`: the device nodes and the driver libraries."""
    args: list[str] = []
    for node in device_nodes():
        args += ["--dev-bind", node, node]
    for library in driver_libraries():
        args += ["--ro-bind", library, library]
    return args


def docker_device_requests() -> list[Any]:
    import docker

    return [docker.types.DeviceRequest(count=-1, capabilities=[["gpu"]])]
