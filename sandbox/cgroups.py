"""Host-side cgroups for a bwrap session: one directory per session, per-test
children made inside the sandbox by the agent.

cgroup v1 (this project's CI host) uses the `memory` and `pids` hierarchies under
/sys/fs/cgroup/{memory,pids}, and `cpu` (a CPU quota per test) and `cpuacct` (the CPU
time of all of a test's processes) where they are mounted; cgroup v2 uses one
directory under /sys/fs/cgroup with `+memory +pids +cpu` delegated to it. When
neither is writable (not root, or a v2 host whose root cgroup we may not change)
there are no cgroups and the agent falls back to rlimits (RLIMIT_AS for memory) and
the container's or /proc's counters.
"""

from __future__ import annotations

import logging
import os
import signal
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

CGROUP_ROOT = Path("/sys/fs/cgroup")


@dataclass
class SessionCgroup:
    version: str  # "v1" or "v2"
    memory: Path
    pids: Path
    cpu: Path | None = None  # v1: the `cpu` hierarchy (quota); v2: same as memory
    cpuacct: Path | None = None  # v1 only: CPU time of every process of a test

    def _v1_dirs(self) -> list[tuple[str, Path]]:
        dirs = [("memory", self.memory), ("pids", self.pids)]
        dirs += [(n, p) for n, p in (("cpu", self.cpu), ("cpuacct", self.cpuacct)) if p]
        return dirs

    def binds(self) -> list[tuple[Path, str]]:
        """(host path, path inside the sandbox) pairs to bind read-write."""
        if self.version == "v2":
            return [(self.memory, "/sys/fs/cgroup/gradebox")]
        return [(path, f"/sys/fs/cgroup/{name}") for name, path in self._v1_dirs()]

    def agent_args(self) -> list[str]:
        if self.version == "v2":
            inside = "/sys/fs/cgroup/gradebox"
            args = ["--cgroup-version", "v2", "--cgroup-memory", inside, "--cgroup-pids", inside]
            return args + (["--cgroup-cpu", inside] if self.cpu else [])
        args = ["--cgroup-version", "v1"]
        for name, _ in self._v1_dirs():
            args += [f"--cgroup-{name}", f"/sys/fs/cgroup/{name}"]
        return args

    def destroy(self) -> None:
        roots = [self.memory, self.pids, self.cpu, self.cpuacct]
        for root in dict.fromkeys(r for r in roots if r):
            _remove_tree(root)


def detect_version(root: Path = CGROUP_ROOT) -> str | None:
    if (root / "memory" / "cgroup.procs").exists() and (root / "pids" / "cgroup.procs").exists():
        return "v1"
    controllers = root / "cgroup.controllers"
    if controllers.exists() and {"memory", "pids"} <= set(controllers.read_text().split()):
        return "v2"
    return None


def create_session_cgroup(parent: str, root: Path = CGROUP_ROOT) -> SessionCgroup | None:
    """Make this session's cgroup directories, or None when the host does not allow it."""
    version = detect_version(root)
    if version is None or os.geteuid() != 0:
        return None
    name = f"s{os.getpid()}-{uuid.uuid4().hex[:12]}"
    try:
        _sweep_stale(root, parent, version)
        if version == "v1":
            memory = _mkdirs(root / "memory" / parent / name)
            pids = _mkdirs(root / "pids" / parent / name)
            optional = {
                ctl: _mkdirs(root / ctl / parent / name)
                if (root / ctl / "cgroup.procs").exists()
                else None
                for ctl in ("cpu", "cpuacct")
            }
            if None in optional.values():
                log.warning("sandbox: no cgroup v1 cpu/cpuacct here; CPU is counted by rusage")
            return SessionCgroup("v1", memory, pids, optional["cpu"], optional["cpuacct"])
        wanted = ("memory", "pids", "cpu")
        available = set((root / "cgroup.controllers").read_text().split())
        controllers = tuple(c for c in wanted if c in available)
        _enable(root, controllers)
        base = _mkdirs(root / parent)
        _enable(base, controllers)
        session = _mkdirs(base / name)
        _enable(session, controllers)
        cpu = session if "cpu" in controllers else None
        return SessionCgroup("v2", session, session, cpu, None)
    except OSError as exc:
        log.warning("sandbox: cgroups unavailable (%s); using rlimits only", exc)
        return None


def _sweep_stale(root: Path, parent: str, version: str) -> None:
    """Remove session cgroups left by a judge that died without closing them (their
    name starts with the creating process's pid). Judges sharing this cgroup tree
    share our pid namespace: only root on the host can write here, and judgehost
    containers are never privileged."""
    parents = (
        [root / ctl / parent for ctl in ("memory", "pids", "cpu", "cpuacct")]
        if version == "v1"
        else [root / parent]
    )
    for base in parents:
        if not base.is_dir():
            continue
        for entry in base.iterdir():
            pid = entry.name[1:].split("-", 1)[0]
            if entry.is_dir() and entry.name.startswith("s") and pid.isdigit():
                if not Path(f"/proc/{pid}").exists():
                    _remove_tree(entry)


def _mkdirs(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)  # the learner (nobody) must not even read its limits' files
    return path


def _enable(path: Path, controllers: tuple[str, ...]) -> None:
    have = set((path / "cgroup.subtree_control").read_text().split())
    for ctl in controllers:
        if ctl not in have:
            (path / "cgroup.subtree_control").write_text(f"+{ctl}")


def _remove_tree(path: Path) -> None:
    """Kill what is left, wait for the cgroup to empty, remove children first."""
    try:
        children = sorted((p for p in path.iterdir() if p.is_dir()), reverse=True)
    except FileNotFoundError:
        return  # (gone already: two sessions opening at once sweep the same one)
    for child in children:
        _remove_tree(child)
    deadline = time.monotonic() + 5.0
    while True:
        try:
            procs = (path / "cgroup.procs").read_text().split()
        except OSError:
            procs = []
        if not procs:
            break
        if (path / "cgroup.kill").exists():
            (path / "cgroup.kill").write_text("1")
        for pid in procs:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if time.monotonic() > deadline:
            log.warning("sandbox: cgroup %s still has processes", path)
            return
        time.sleep(0.005)
    try:
        path.rmdir()
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.warning("sandbox: cannot remove cgroup %s: %s", path, exc)
