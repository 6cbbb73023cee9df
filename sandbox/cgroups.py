"""Host-side cgroups for a bwrap session: one directory per session, per-test
children made inside the sandbox by the agent.

cgroup v1 (this project's CI host) uses the `memory` and `pids` hierarchies under
/sys/fs/cgroup/{memory,pids}; cgroup v2 uses one directory under /sys/fs/cgroup with
`+memory +pids` delegated to it. When neither is writable (not root, or a v2 host
whose root cgroup we may not change) there are no cgroups and the agent falls back
to rlimits (RLIMIT_AS for memory, which makes peak memory the rusage maximum).
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

    def binds(self) -> list[tuple[Path, str]]:
        """(host path, path inside the sandbox) pairs to bind read-write."""
        if self.version == "v2":
            return [(self.memory, "/sys/fs/cgroup/gradebox")]
        return [(self.memory, "/sys/fs/cgroup/memory"), (self.pids, "/sys/fs/cgroup/pids")]

    def agent_args(self) -> list[str]:
        if self.version == "v2":
            inside = "/sys/fs/cgroup/gradebox"
            return ["--cgroup-version", "v2", "--cgroup-memory", inside, "--cgroup-pids", inside]
        return [
            "--cgroup-version",
            "v1",
            "--cgroup-memory",
            "/sys/fs/cgroup/memory",
            "--cgroup-pids",
            "/sys/fs/cgroup/pids",
        ]

    def destroy(self) -> None:
        for root in dict.fromkeys([self.memory, self.pids]):
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
            return SessionCgroup("v1", memory, pids)
        _enable(root, ("memory", "pids"))
        base = _mkdirs(root / parent)
        _enable(base, ("memory", "pids"))
        session = _mkdirs(base / name)
        _enable(session, ("memory", "pids"))
        return SessionCgroup("v2", session, session)
    except OSError as exc:
        log.warning("sandbox: cgroups unavailable (%s); using rlimits only", exc)
        return None


def _sweep_stale(root: Path, parent: str, version: str) -> None:
    """Remove session cgroups left by a judge that died without closing them (their
    name starts with the creating process's pid). Judges sharing this cgroup tree
    share our pid namespace: only root on the host can write here, and judgehost
    containers are never privileged."""
    parents = (
        [root / "memory" / parent, root / "pids" / parent] if version == "v1" else [root / parent]
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
    if not path.is_dir():
        return
    for child in sorted((p for p in path.iterdir() if p.is_dir()), reverse=True):
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
    except OSError as exc:
        log.warning("sandbox: cannot remove cgroup %s: %s", path, exc)
