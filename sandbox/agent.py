"""The agent: a small trusted process inside a sandbox that starts each test.

One agent runs per session (one bwrap or one container per submission). The host
talks to it over its stdin/stdout with length-prefixed frames; for each run it
forks a fresh child, puts it in a per-test cgroup when it has one, sets rlimits,
drops to the learner's uid (no capabilities, no_new_privs) and execs the program,
then measures it from outside: wall clock, CPU and peak memory, OOM kills, output
caps. The agent keeps a different uid (0, with only CAP_SETUID, CAP_SETGID,
CAP_KILL and CAP_SYS_ADMIN, the last for each test's PID namespace) so learner code
can neither signal nor trace it (DESIGN section 3), and with `--pid-namespace` each
test runs in a PID namespace of its own where the agent is out of sight.

This file is copied into the sandbox image and run as
`/usr/bin/python3 -I -S agent.py`: standard library only, no `sandbox` imports.

Wire format: a message is one frame holding a JSON header followed by
`header["blobs"]` frames of raw bytes; a frame is a 4-byte big-endian length and
that many bytes. Requests: `write` (blobs: file contents, `names` in the header),
`run` (blob: stdin), `stream`, `exit`. Replies: `{"ok": true, ...}` or `{"ok":
false, "error": ...}`; a `run` reply carries stdout and stderr as blobs.

`stream` (interactive problems, `sandbox/stream.py`) runs like `run` but talks while
the program runs: the agent sends `{"op": "out"}` with each chunk of stdout as it
comes, the host sends `{"op": "in"}` (blob: more stdin), `close` (end of stdin) and
`kill`; the run's usual reply (stdout blob empty) ends it. `in`/`close`/`kill`
arriving after the end are dropped without a reply.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import selectors
import signal
import struct
import sys
import time

# Every session starts this file, and its fork server imports it again (each warm
# test then holds what it imported): the standard library only, and not `dataclasses`
# (it imports `inspect`, `ast`, `dis`, `tokenize`: 10-20 ms of CPU a start), `typing`
# or what one command needs (`argparse`, `glob`, `importlib.util`: imported there).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from types import ModuleType
    from typing import Any, BinaryIO

    _Stream = tuple[BinaryIO, Callable[..., None]]

# A session may hide `ctypes` from learner code (a banned module is absent from the
# sandbox's filesystem view); the agent keeps its own copy in a root-only folder.
PRIVATE_DIR = "/opt/gradebox/private"
# The fork server (`sandbox/zygote.py`), copied next to this file.
ZYGOTE_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "zygote.py")

_HEADER = struct.Struct(">I")
_MAX_FRAME = 1 << 30
_CHUNK = 65536
STDERR_CAP = 64 * 1024
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_DUMPABLE = 4
_PR_SET_CHILD_SUBREAPER = 36
# How often the agent samples a running test's CPU time and memory (all its
# processes together) to stop it at its limit rather than at the wall clock.
POLL_S = 0.05
# No CPU figure can exceed what every core of the machine could do in the test's wall
# time: gVisor's per-task accounting once charged 30 threads that mostly slept 2.26 s
# of CPU in 0.21 s on 2 cores (a spurious TLE). The bound takes os.cpu_count(), not the
# affinity mask, which a learner's process may widen; the slack covers tick rounding.
CORES = os.cpu_count() or 1
CPU_BOUND_SLACK_S = 0.05
# How long a Python test waits for the fork server to finish its imports (torch)
# before it starts cold instead (the host waits for a reply only so long).
WARM_RUN_WAIT_S = 5.0
# Spares kept forked ahead. Two, so that a warm spare's fork (two forks in the fork
# server, 1-2 ms) has a whole test to finish in rather than the host's turn
# between tests (0.05-0.3 ms): with one, each C++ test waited 1.2 ms for it
# (with per-test cgroups only: `_refill_spares`).
SPARES = 2
# Spares are forked ahead only after the ops that show what the next test needs: not
# at the start, nor after the files or the `warm` op, when a warm session's fork
# server is not ready yet (spares forked then start cold and go once it is: two
# forks, cgroups and kills wasted in every warm session). The first run forks its
# own, warm when the fork server fits it and gets ready in time.
SPARES_AFTER = frozenset({"run", "stream", "warm_ready"})
_CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
# Where Python modules can live in a sandbox's view (bwrap's runtime venv is at
# /opt/runtime; the image installs into /usr/local). Searched to hide banned ones.
MODULE_DIRS = (
    "/usr/lib/python3*",
    "/usr/lib/python3*/lib-dynload",
    "/usr/lib/python3*/site-packages",
    "/usr/lib/python3/dist-packages",
    "/usr/local/lib/python3*/dist-packages",
    "/usr/local/lib/python3*/site-packages",
    "/opt/runtime/lib/python3*/site-packages",
)
# A file module can only be hidden in a container (tmpfs mounts are folders) when
# the image keeps it in a folder of its own under here, symlinked into place.
HIDEABLE_DIR = "/opt/gradebox/hideable"


def load_ctypes() -> ModuleType:
    """The agent's ctypes (prctl), imported only when the agent runs: the fork server
    imports this file for its child set-up and must not hold ctypes, which a session
    may hide from learner code."""
    if os.path.isdir(PRIVATE_DIR) and PRIVATE_DIR not in sys.path:
        sys.path.insert(0, PRIVATE_DIR)
    import ctypes

    return ctypes


class ProtocolError(Exception):
    """The peer broke the framing; the session cannot continue."""


def read_exact(stream: BinaryIO, n: int) -> bytes:
    data = bytearray()
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            raise ProtocolError("unexpected end of stream")
        data.extend(chunk)
    return bytes(data)


def read_message(stream: BinaryIO) -> tuple[dict[str, Any], list[bytes]]:
    def frame() -> bytes:
        (size,) = _HEADER.unpack(read_exact(stream, _HEADER.size))
        if size > _MAX_FRAME:
            raise ProtocolError(f"frame of {size} bytes is too large")
        return read_exact(stream, size)

    header = json.loads(frame())
    if not isinstance(header, dict):
        raise ProtocolError("header is not an object")
    blobs = [frame() for _ in range(int(header.get("blobs", 0)))]
    return header, blobs


def encode_message(header: dict[str, Any], blobs: list[bytes] = []) -> bytes:  # noqa: B006
    head = json.dumps({**header, "blobs": len(blobs)}).encode()
    # One copy of each blob (a large test's input), not one per `+` and another in join.
    parts = [_HEADER.pack(len(head)), head]
    for blob in blobs:
        parts += (_HEADER.pack(len(blob)), blob)
    return b"".join(parts)


class Cgroups:
    """Per-test cgroups under the session's cgroup directories bound into the sandbox.

    v1: separate `memory`, `pids`, `cpu` and `cpuacct` directories (the last two are
    optional); v2: one unified directory for all of them.
    """

    def __init__(
        self,
        version: str,
        memory: str | None,
        pids: str | None,
        cpu: str | None = None,
        cpuacct: str | None = None,
    ) -> None:
        self.version = version
        self.memory = memory
        self.pids = pids
        self.cpu = cpu
        # v2's cpu.stat counts usage_usec even where the cpu controller is off
        self.cpuacct = cpuacct if version == "v1" else (cpu or memory)
        self._seq = 0

    def _roots(self) -> list[str]:
        return [r for r in dict.fromkeys([self.memory, self.pids, self.cpu, self.cpuacct]) if r]

    def create(self) -> list[str]:
        """Directories for the next test (no limits yet: see `set_limits`)."""
        self._seq += 1
        name = f"t{self._seq}"
        made: list[str] = []
        for root in self._roots():
            path = os.path.join(root, name)
            os.mkdir(path, 0o700)
            made.append(path)
        return made

    def _under(self, root: str | None, made: list[str]) -> str | None:
        for path in made:
            if root and path.startswith(root + "/"):
                return path
        return None

    def set_limits(self, made: list[str], memory_bytes: int, pids: int, cpus: float = 0) -> None:
        """Memory (no swap), process count, and with `cpus` > 0 a CPU quota of that
        many CPUs for all the test's processes together."""
        quota = str(int(cpus * 100000)) if cpus > 0 else ""
        if self.version == "v2":
            path = made[0]
            _write(os.path.join(path, "memory.max"), str(memory_bytes))
            _write(os.path.join(path, "memory.swap.max"), "0", optional=True)
            _write(os.path.join(path, "pids.max"), str(pids))
            if quota and self.cpu:
                _write(os.path.join(path, "cpu.max"), f"{quota} 100000", optional=True)
            return
        memory = self._under(self.memory, made)
        if memory:
            _write(os.path.join(memory, "memory.limit_in_bytes"), str(memory_bytes))
            _write(
                os.path.join(memory, "memory.memsw.limit_in_bytes"),
                str(memory_bytes),
                optional=True,
            )
        pids_dir = self._under(self.pids, made)
        if pids_dir:
            _write(os.path.join(pids_dir, "pids.max"), str(pids))
        cpu = self._under(self.cpu, made)
        if cpu and quota:
            _write(os.path.join(cpu, "cpu.cfs_period_us"), "100000", optional=True)
            _write(os.path.join(cpu, "cpu.cfs_quota_us"), quota, optional=True)

    def cpu_ns(self, made: list[str]) -> int | None:
        """CPU time of every process the test's cgroup ever held, dead ones included."""
        path = self._under(self.cpuacct, made)
        if path is None:
            return None
        if self.version == "v2":
            usec = _counter(_read(os.path.join(path, "cpu.stat")), "usage_usec")
            return usec * 1000
        value = _read(os.path.join(path, "cpuacct.usage")).strip()
        return int(value) if value.isdigit() else None

    def memory_bytes(self, made: list[str]) -> int:
        """What the test's processes hold now (tmpfs and shm it wrote included)."""
        path = self._under(self.memory, made) or (made[0] if self.version == "v2" else None)
        if path is None:
            return 0
        name = "memory.current" if self.version == "v2" else "memory.usage_in_bytes"
        value = _read(os.path.join(path, name)).strip()
        return int(value) if value.isdigit() else 0

    def peak_kb(self, paths: list[str]) -> int:
        for path in paths:
            for name in ("memory.max_usage_in_bytes", "memory.peak"):
                value = _read(os.path.join(path, name))
                if value.strip().isdigit():
                    return int(value) // 1024
        return 0

    def oom_killed(self, paths: list[str]) -> bool:
        for path in paths:
            for name in ("memory.oom_control", "memory.events"):
                if _counter(_read(os.path.join(path, name)), "oom_kill") > 0:
                    return True
        return False

    def remove(self, paths: list[str]) -> None:
        deadline = time.monotonic() + 5.0
        for path in paths:
            while True:
                procs = _read(os.path.join(path, "cgroup.procs")).split()
                if not procs:
                    break
                for pid in procs:
                    try:
                        os.kill(int(pid), signal.SIGKILL)
                    except (ProcessLookupError, PermissionError):
                        pass
                reap_orphans()
                if time.monotonic() > deadline:
                    break
                time.sleep(0.001)
            # The last of them left the cgroup as zombies of ours (the subreaper):
            # collect them too, or the next test would still see them in /proc.
            reap_orphans()
            try:
                os.rmdir(path)
            except OSError:
                pass


class ContainerMeter:
    """CPU and memory of the whole container from its own cgroup (read-only
    /sys/fs/cgroup in Docker), for backends without per-test cgroups.

    Only the agent and one test's processes live in the container, so the test's
    share is the growth since the test started, less the agent's own growth.
    Memory counts anonymous memory and shmem (tmpfs files, /dev/shm), not page cache
    a library's import leaves behind.
    """

    def __init__(self, root: str = "/sys/fs/cgroup", *, sandbox_meminfo: bool = False) -> None:
        # gVisor has no cgroupfs, but its /proc/meminfo is the sandbox's own kernel's
        # (AnonPages there also counts tmpfs and shm pages).
        self.sandbox_meminfo = sandbox_meminfo
        self.cpu_file = next(
            (
                p
                for p in (
                    f"{root}/cpuacct/cpuacct.usage",
                    f"{root}/cpu,cpuacct/cpuacct.usage",
                    f"{root}/cpu.stat",
                )
                if os.path.exists(p)
            ),
            None,
        )
        self.mem_file = next(
            (p for p in (f"{root}/memory/memory.stat", f"{root}/memory.stat") if os.path.exists(p)),
            None,
        )

    def cpu_ns(self) -> int | None:
        if self.cpu_file is None:
            return None
        text = _read(self.cpu_file)
        if self.cpu_file.endswith("cpu.stat"):
            return _counter(text, "usage_usec") * 1000 if "usage_usec" in text else None
        return int(text) if text.strip().isdigit() else None

    def memory_bytes(self) -> int | None:
        if self.mem_file is None:
            if self.sandbox_meminfo:
                for line in _read("/proc/meminfo").splitlines():
                    if line.startswith("AnonPages:"):
                        return int(line.split()[1]) * 1024

            return None
        text = _read(self.mem_file)
        if "total_rss" in text:  # v1
            return _counter(text, "total_rss") + _counter(text, "total_shmem")
        if "anon " in text:  # v2
            return _counter(text, "anon") + _counter(text, "shmem")
        if "rss " in text:
            return _counter(text, "rss") + _counter(text, "shmem")
        return None


def learner_pids(uid: int) -> list[int]:
    """Processes of `uid` in this pid namespace, by their real uid: a non-dumpable
    process's /proc folder belongs to root, so its owner says nothing."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        for line in _read(f"/proc/{entry}/status").splitlines():
            if line.startswith("Uid:"):
                fields = line.split()
                if len(fields) > 1 and fields[1] == str(uid):
                    found.append(int(entry))
                break
    return found


def proc_cpu_ns(pids: list[int]) -> int:
    """CPU of live processes and of the children they reaped (/proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        text = _read(f"/proc/{pid}/stat")
        fields = text[text.rfind(")") + 2 :].split()
        if len(fields) > 14:
            total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total * 1_000_000_000 // _CLK_TCK


def proc_memory_bytes(pids: list[int]) -> int:
    """Resident anonymous and shared memory of live processes (an overestimate where
    forked processes still share pages, which errs on the judge's side)."""
    total = 0
    for pid in pids:
        for line in _read(f"/proc/{pid}/status").splitlines():
            if line.startswith(("RssAnon:", "RssShmem:")):
                total += int(line.split()[1]) * 1024
    return total


def own_rss_bytes() -> int:
    return proc_memory_bytes([os.getpid()])


def reap_zombies_except(keep: int) -> None:
    """Collect a running test's exited orphans (re-parented to us, the subreaper)
    so they do not hold its pids limit, leaving its main process to wait4."""
    me = str(os.getpid())
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == keep:
            continue
        text = _read(f"/proc/{entry}/stat")
        fields = text[text.rfind(")") + 2 :].split()
        if len(fields) > 1 and fields[0] == "Z" and fields[1] == me:
            try:
                os.waitpid(int(entry), os.WNOHANG)
            except ChildProcessError:
                pass


def module_dirs(patterns: tuple[str, ...] = MODULE_DIRS) -> list[str]:
    """The folders in this view where Python could find a top-level module."""
    import glob

    found: list[str] = []
    for pattern in patterns:
        found += [d for d in sorted(glob.glob(pattern)) if os.path.isdir(d)]
    return list(dict.fromkeys(found))


def module_entries(names: list[str], dirs: list[str]) -> list[str]:
    """Entries of `dirs` that make one of `names` importable: a package folder, a
    source or bytecode file, an extension module (`_ctypes.cpython-311-...so`), a
    vendored-libraries folder (`numpy.libs`)."""
    found: list[str] = []
    for folder in dirs:
        try:
            entries = sorted(os.listdir(folder))
        except OSError:
            continue
        for entry in entries:
            if any(entry == n or entry.startswith(n + ".") for n in names):
                found.append(os.path.join(folder, entry))
    return found


def tombstone_source(name: str) -> str:
    message = f"No module named {name!r}"
    return f"raise ModuleNotFoundError({message!r}, name={name!r})\n"


def write_tombstone(folder: str, name: str) -> None:
    """An importable name that refuses to import: an empty folder alone would be a
    namespace package, and `import torch` would succeed."""
    path = os.path.join(folder, "__init__.py")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o444)
    with os.fdopen(fd, "w") as fh:
        fh.write(tombstone_source(name))
    os.chmod(folder, 0o555)


def _write(path: str, value: str, *, optional: bool = False) -> None:
    try:
        with open(path, "w") as fh:
            fh.write(value)
    except FileNotFoundError:
        if not optional:
            raise


def _read(path: str) -> str:
    try:
        with open(path) as fh:
            return fh.read()
    except OSError:
        return ""


def _counter(text: str, key: str) -> int:
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == key and parts[1].isdigit():
            return int(parts[1])
    return 0


def own_oom_counter_path() -> str | None:
    """The container's own OOM counter (read-only /sys/fs/cgroup in Docker)."""
    for path in ("/sys/fs/cgroup/memory/memory.oom_control", "/sys/fs/cgroup/memory.events"):
        if os.path.exists(path):
            return path
    return None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 4096):
            pass
    except BlockingIOError:
        pass


def reap_orphans() -> None:
    """Collect exited processes re-parented to us (the agent is pid 1 in Docker)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def write_files(root: str, names: list[str], blobs: list[bytes]) -> None:
    """Write files into the workdir without following anything the learner planted.
    A folder made on the way is like the workdir itself, sticky and writable by all:
    the learner's program adds its own files there (Python's bytecode of `main.py`
    beside the harness's in `__pycache__`), but cannot replace or remove ours."""
    root_fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        for name, data in zip(names, blobs, strict=True):
            parts = name.split("/")
            if not name or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
                raise ValueError(f"unsafe file name {name!r}")
            dir_fd = os.dup(root_fd)
            try:
                for part in parts[:-1]:
                    try:
                        os.mkdir(part, 0o700, dir_fd=dir_fd)
                        made = True
                    except FileExistsError:
                        made = False
                    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
                    next_fd = os.open(part, flags, dir_fd=dir_fd)
                    os.close(dir_fd)
                    dir_fd = next_fd
                    if made:
                        os.fchmod(dir_fd, 0o1777)
                try:
                    os.unlink(parts[-1], dir_fd=dir_fd)
                except FileNotFoundError:
                    pass
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                fd = os.open(parts[-1], flags, 0o644, dir_fd=dir_fd)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
            finally:
                os.close(dir_fd)
    finally:
        os.close(root_fd)


class _Spare:
    """A child forked ahead of time, already in its cgroup, blocked until it is told
    what to exec: fork and cgroup migration (slow under load on cgroup v1) happen
    between tests instead of inside one."""

    __slots__ = ("pid", "ctl_w", "in_w", "out_r", "err_r", "cg_paths", "warm")

    def __init__(
        self,
        pid: int | None,  # None: asked of the fork server, not yet collected (`_collect`)
        ctl_w: int,
        in_w: int,
        out_r: int,
        err_r: int,
        cg_paths: list[str],
        *,
        warm: bool = False,  # forked by the fork server
    ) -> None:
        self.pid = pid
        self.ctl_w, self.in_w, self.out_r, self.err_r = ctl_w, in_w, out_r, err_r
        self.cg_paths = cg_paths
        self.warm = warm


def _children_cpu_ns() -> int:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return int((usage.ru_utime + usage.ru_stime) * 1e9)


def _self_cpu_ns() -> int:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return int((usage.ru_utime + usage.ru_stime) * 1e9)


class _Usage:
    """CPU time and memory of all of one test's processes together, whichever way
    this sandbox can see them: the test's cgroup, the container's counters less the
    agent's own share, or /proc plus what reaping adds to our children's rusage."""

    def __init__(self, agent: Agent, cg_paths: list[str]) -> None:
        self.agent = agent
        self.cg_paths = cg_paths
        self.peak_bytes = 0
        self.peak_cpu_ns = 0
        self.over_memory = False
        self.children0 = _children_cpu_ns()
        self.self0 = _self_cpu_ns()
        meter = agent.meter
        self.meter_cpu0 = meter.cpu_ns() if meter else None
        self.meter_mem0 = meter.memory_bytes() if meter else None
        self.own_rss0 = own_rss_bytes() if meter else 0
        self.started = time.monotonic()
        self.next_sample = self.started + POLL_S

    def possible_cpu_ns(self, ns: int) -> int:
        """`ns`, or all the machine's cores busy since the test started if less."""
        bound = (time.monotonic() - self.started + CPU_BOUND_SLACK_S) * CORES * 1e9
        return min(ns, int(bound))

    def live_cpu_ns(self) -> int:
        return self.possible_cpu_ns(self._counted_cpu_ns())

    def _counted_cpu_ns(self) -> int:
        agent = self.agent
        if agent.cgroups:
            value = agent.cgroups.cpu_ns(self.cg_paths)
            if value is not None:
                return value
        elif agent.meter and self.meter_cpu0 is not None:
            now = agent.meter.cpu_ns()
            if now is not None:
                return now - self.meter_cpu0 - (_self_cpu_ns() - self.self0)
        children = _children_cpu_ns() - self.children0
        return children + proc_cpu_ns(learner_pids(agent.uid))

    def memory_bytes(self) -> int:
        agent = self.agent
        if agent.cgroups:
            return agent.cgroups.memory_bytes(self.cg_paths)
        if agent.meter and self.meter_mem0 is not None:
            now = agent.meter.memory_bytes()
            if now is not None:
                return now - self.meter_mem0 - max(0, own_rss_bytes() - self.own_rss0)
        return proc_memory_bytes(learner_pids(agent.uid))

    def over_limits(self, limits: dict[str, Any]) -> bool:
        """Sampled while the test runs: past its CPU time or (without a per-test
        cgroup whose kernel limit does this) its memory, all processes together."""
        cpu = self.live_cpu_ns()
        self.peak_cpu_ns = max(self.peak_cpu_ns, cpu)
        if cpu > float(limits["cpu_s"]) * 1e9:
            return True
        memory = self.memory_bytes()
        self.peak_bytes = max(self.peak_bytes, memory)
        if not self.agent.cgroups and memory > int(limits["memory_mb"]) * 1024 * 1024:
            self.over_memory = True
            return True
        return False

    def pace(
        self, pid: int, limits: dict[str, Any], remaining: float, *, running: bool
    ) -> float | None:
        """One turn of a supervising loop: every POLL_S while the test runs, check the
        CPU and memory of all its processes (None: past a limit, stop it) and collect
        its exited orphans. Returns how long to wait for events until the next check."""
        if not running:
            return remaining
        now = time.monotonic()
        if now >= self.next_sample:
            self.next_sample = now + POLL_S
            if self.over_limits(limits):
                return None
            reap_zombies_except(pid)
        return min(remaining, max(0.0, self.next_sample - now))

    def final_cpu_ns(self, reaped_ns: int = 0) -> int:
        """After every process of the test is dead and reaped (`reaped_ns`: the main
        process's rusage); never less than a sample taken while it ran (gVisor drops
        the CPU of processes its PID namespace's end killed from the init's
        children's total)."""
        counted = max(_children_cpu_ns() - self.children0, self._counted_cpu_ns(), reaped_ns)
        return max(self.possible_cpu_ns(counted), self.peak_cpu_ns)


# Streamed runs (op "stream"): the host's input messages, and a cap on input the
# program has not read yet.
STREAM_INPUT_OPS = frozenset({"in", "close", "kill"})
STREAM_PENDING_CAP = 16 * 1024 * 1024


class _Killed(Exception):
    """The host asked to stop a streamed run."""


# A per-test PID namespace (`enter_test_pid_namespace`): the learner sees only its own
# test's processes, and all of them die with the namespace's init.
CLONE_NEWNS = 0x00020000
CLONE_NEWPID = 0x20000000
_MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 0x2, 0x4, 0x8
_MS_REC, _MS_PRIVATE = 0x4000, 1 << 18
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_STATUS = struct.Struct("<i")


def enter_test_pid_namespace(libc: Any) -> None:
    """Put the rest of this test's process tree in a fresh PID and mount namespace.

    Called by a test's child before it drops privileges (it needs CAP_SYS_ADMIN, which
    the agent keeps for this alone; `setresuid` to the learner's uid clears it). The
    caller forks twice: it stays behind as a relay in the agent's namespace (the pid
    the agent waits for, ending the way the learner ended), its child is PID 1 of the
    new namespace (a tiny init that mounts a /proc of that namespace, reaps orphans
    and, when the learner ends, exits, so the kernel kills whatever is left there),
    and the grandchild returns from this call to become the learner. Returns only
    in that grandchild; the other two never return.
    """
    if libc.unshare(CLONE_NEWPID | CLONE_NEWNS) != 0:
        raise OSError(load_ctypes().get_errno(), "unshare(CLONE_NEWPID | CLONE_NEWNS)")
    status_r, status_w = os.pipe()
    init = os.fork()
    if init != 0:
        os.close(status_w)
        _relay(init, status_r)
    os.close(status_r)
    _mount_own_proc(libc)
    _wipe_own_cmdline(libc)
    learner = os.fork()
    if learner == 0:
        os.close(status_w)
        return
    _pid1(learner, status_w)


def _mount_own_proc(libc: Any, options: bytes | None = None) -> None:
    """/proc of the new namespace: only its processes (or, with `hidepid` in
    `options`, only those the reader may ptrace). Mounts stay in this namespace
    (gVisor has no propagation and refuses MS_PRIVATE: nothing to undo there)."""
    ctypes = load_ctypes()
    if libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        if ctypes.get_errno() != errno.EINVAL:
            raise OSError(ctypes.get_errno(), "mount --make-rprivate /")
    flags = _MS_NOSUID | _MS_NODEV | _MS_NOEXEC
    if libc.mount(b"proc", b"/proc", b"proc", flags, options) != 0:
        raise OSError(ctypes.get_errno(), f"mount proc /proc {options!r}")


def _wipe_own_cmdline(libc: Any) -> None:
    """Blank the command line and environment the init inherited from the agent: they
    are what /proc/1/cmdline and (gVisor) /proc/1/environ show the learner. They lie
    one after the other where libc's `program_invocation_name` (argv[0]) points
    (gVisor reports no addresses in /proc/self/stat); wiped only where the memory
    there holds exactly what /proc shows."""
    ctypes = load_ctypes()
    try:
        start = ctypes.c_void_p.in_dll(libc, "program_invocation_name").value
    except ValueError:
        return
    if not start:
        return
    for name in ("cmdline", "environ"):
        try:
            with open(f"/proc/self/{name}", "rb") as fh:
                shown = fh.read()
        except OSError:
            return
        if not shown or ctypes.string_at(start, len(shown)) != shown:
            return
        ctypes.memset(start, 0, len(shown))
        start += len(shown)


def _quiet_stdio() -> None:
    """The relay and the init hold none of the test's pipes."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    for fd in (3,):
        try:
            os.close(fd)
        except OSError:
            pass


def _pid1(learner: int, status_w: int) -> None:
    """PID 1 of a test's namespace: reap everything, report the learner's status."""
    _quiet_stdio()
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(0)
        if pid == learner:
            _write_all(status_w, _STATUS.pack(status))
            os._exit(0)  # the kernel now kills every process left in the namespace


def _relay(init: int, status_r: int) -> None:
    """In the agent's namespace: wait for the init and end as the learner ended."""
    _quiet_stdio()
    _, status = os.waitpid(init, 0)
    data = os.read(status_r, _STATUS.size)
    if len(data) == _STATUS.size:
        (status,) = _STATUS.unpack(data)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if sig not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(sig, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [sig])
        os.kill(os.getpid(), sig)
        os._exit(128 + sig)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


# A session that hides these gets a sealed fork server (`seal_fork_server`): no test
# forked from it may hold ctypes, so none makes a PID namespace or loads a filter.
FFI_MODULES = frozenset({"ctypes", "_ctypes"})
FFI_HIDDEN = ("ctypes", "_ctypes", "cffi", "_cffi_backend")
_MS_RDONLY = 0x1
# Per mount since Linux 5.8: the agent's own /proc keeps showing every process.
_HIDEPID = b"hidepid=invisible"


def seal_fork_server(libc: Any, agent_pid: int, seccomp: bytes, uid: int, gid: int) -> None:
    """Isolation a sealed fork server's tests inherit, set up before its exec (with
    the agent's ctypes, which the exec drops) since none of them can load ctypes:

    - a mount namespace of its own with a `/proc` mounted `hidepid=invisible`: a
      process sees in it only those it may ptrace, which for a learner (another uid
      than the agent and the server, and not dumpable) is its own process alone;
    - the agent's private folder (its own copy of ctypes) covered by an empty
      read-only tmpfs, so even the root server cannot import it;
    - the learner's seccomp filter, loaded here once and inherited by every test
      (it refuses `unshare`, `mount`, `setns`: nothing below can be undone).

    Checks what it did: with the learner's credentials the agent must be gone from
    this `/proc` (root's group sees every process there: hidepid exempts the mount's
    `gid`, 0); raises otherwise (the agent then starts every test cold)."""
    ctypes = load_ctypes()
    if libc.unshare(CLONE_NEWNS) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNS)")
    _mount_own_proc(libc, _HIDEPID)
    flags = _MS_NOSUID | _MS_NODEV | _MS_NOEXEC
    if os.path.isdir(PRIVATE_DIR):
        private = PRIVATE_DIR.encode()
        if libc.mount(b"tmpfs", private, b"tmpfs", flags | _MS_RDONLY, b"size=4k,mode=0555") != 0:
            raise OSError(ctypes.get_errno(), f"mount tmpfs {PRIVATE_DIR}")
        if os.listdir(PRIVATE_DIR):
            raise OSError(f"{PRIVATE_DIR} is still readable")
    if not hidden_from_learner(agent_pid, uid, gid):
        raise OSError("hidepid=invisible does not hide the agent from the learner")
    if seccomp:
        install_seccomp(libc, seccomp)


def hidden_from_learner(pid: int, uid: int, gid: int) -> bool:
    """Whether a process with the learner's credentials (as `drop_to_learner` sets
    them) finds `pid` in /proc while it still finds itself."""
    probe = os.fork()
    if probe == 0:  # pragma: no cover - exits
        try:
            os.setgroups([])
            os.setresgid(gid + 1, gid, gid)
            os.setresuid(uid, uid, uid)
            hidden = not os.path.exists(f"/proc/{pid}") and os.path.exists("/proc/self/status")
            os._exit(0 if hidden else 1)
        except BaseException:  # noqa: BLE001
            os._exit(2)
    _, status = os.waitpid(probe, 0)
    return os.waitstatus_to_exitcode(status) == 0


def install_seccomp(libc: Any, program: bytes) -> None:
    """Load a classic-BPF seccomp filter (`sandbox.seccomp`) on this process, after
    no_new_privs: the learner's filter, stacked on whatever the session has (the
    session's own must let this agent make namespaces and mount /proc)."""
    ctypes: Any = load_ctypes()

    class _SockFprog(ctypes.Structure):  # type: ignore[misc]  # ctypes arrives lazily (Any)
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    buf = ctypes.create_string_buffer(program, len(program))
    prog = _SockFprog(len(program) // 8, ctypes.addressof(buf))
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")


class Agent:
    def __init__(self, args: argparse.Namespace) -> None:
        self.uid: int = args.uid
        self.gid: int = args.gid
        self.workdir: str = args.workdir
        self.cgroups: Cgroups | None = None
        if args.cgroup_version in ("v1", "v2"):
            self.cgroups = Cgroups(
                args.cgroup_version,
                args.cgroup_memory,
                args.cgroup_pids,
                args.cgroup_cpu,
                args.cgroup_cpuacct,
            )
        self.oom_counter = None if self.cgroups else own_oom_counter_path()
        # Without per-test cgroups (Docker, gVisor, bwrap where cgroups are refused)
        # the container's counters, or failing those /proc, see every process.
        self.meter = None if self.cgroups else ContainerMeter(sandbox_meminfo=args.sandbox_meminfo)
        self._ctypes = load_ctypes()
        self._libc = self._ctypes.CDLL(None, use_errno=True)
        self.pid_namespace: bool = args.pid_namespace
        self.seccomp: bytes = bytes.fromhex(args.seccomp) if args.seccomp else b""
        # Not dumpable: /proc/<agent>/* belongs to root and ptrace access is refused
        # even where a kernel's uid checks are looser (gVisor lets other uids read
        # /proc/<pid>/environ otherwise).
        self._libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
        # Orphans of a test (double forks, daemons) become our children rather than
        # pid 1's, so their CPU time reaches our RUSAGE_CHILDREN when we reap them.
        self._libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        for spec in args.tombstone or []:
            folder, _, name = spec.partition("=")
            write_tombstone(folder, name)
        # The learner writes here (compiler output, its own files); the sticky bit
        # keeps the files we wrote from being replaced. Docker's tmpfs takes the
        # image directory's mode, so set it rather than trust the mount.
        os.chmod(self.workdir, 0o1777)
        self._use_pidfd = True
        # Spares forked ahead, oldest first: a warm one's fork overlaps the test
        # before it (`SPARES`).
        self._spares: list[_Spare] = []
        self._sigchld_r = self._sigchld_w = -1
        self._zygote: Any = None  # the fork server (`zygote.ForkServer`), once asked
        self._sealed = False  # it is a sealed one (`seal_fork_server`)
        self.gvisor: bool = args.sandbox_meminfo  # (only gVisor's agent is given it)

    def serve(self, rfile: BinaryIO, wfile: BinaryIO) -> None:
        def send(header: dict[str, Any], blobs: list[bytes] = []) -> None:  # noqa: B006
            wfile.write(encode_message(header, blobs))
            wfile.flush()

        cg = self.cgroups.version if self.cgroups else "none"
        send({"ok": True, "op": "ready", "cgroup": cg, "pid": os.getpid()})
        try:
            while True:
                try:
                    header, blobs = read_message(rfile)
                except ProtocolError:
                    return
                op = header.get("op")
                try:
                    if op == "exit":
                        send({"ok": True})
                        return
                    if op == "write":
                        write_files(self.workdir, list(header["names"]), blobs)
                        send({"ok": True})
                    elif op == "run":
                        result, out, err = self.run(header, blobs[0] if blobs else b"")
                        send({"ok": True, **result}, [out, err])
                    elif op == "stream":
                        result, out, err = self.run(header, b"", stream=(rfile, send))
                        send({"ok": True, **result}, [out, err])
                    elif op == "warm":
                        send({"ok": True, "warm": self._start_warm(header)})
                    elif op == "warm_ready":
                        zygote, wait = self._zygote, float(header.get("timeout_s", 0))
                        ready = zygote is not None and zygote.ready(wait)
                        if ready and any(not spare.warm for spare in self._spares):
                            self._discard_spares()  # the next spares fork warm
                        error = zygote.error if zygote is not None else "not asked for"
                        send({"ok": True, "ready": ready, "error": None if ready else error})
                    elif op in STREAM_INPUT_OPS:
                        continue  # input for a streamed run that has just ended: dropped
                    else:
                        send({"ok": False, "error": f"unknown op {op!r}"})
                except (OSError, ValueError, KeyError, TypeError) as exc:
                    send({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
                if op in SPARES_AFTER:
                    self._refill_spares()  # after the reply: off the critical path
        finally:
            self._discard_spares()
            if self._zygote is not None:
                self._zygote.close()

    def _start_warm(self, req: dict[str, Any]) -> bool:
        """Start the fork server (`zygote.py`) that later Python tests fork from; it
        imports `preload` in the background. False where this sandbox has no copy."""
        if self._zygote is not None or not os.path.exists(ZYGOTE_FILE):
            return False
        import importlib.util

        spec = importlib.util.spec_from_file_location("gradebox_zygote", ZYGOTE_FILE)
        if spec is None or spec.loader is None:
            return False
        zygote = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = zygote
        spec.loader.exec_module(zygote)

        def before_exec() -> None:
            # Exec'd with a real gid other than the effective one: not dumpable.
            os.setresgid(self.gid + 1, 0, 0)
            if self._libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
                raise OSError(self._ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
            if sealed:
                seal_fork_server(self._libc, agent_pid, self.seccomp, self.uid, self.gid)

        agent_pid = os.getpid()
        preload = [str(n) for n in req.get("preload", [])]
        hidden = [str(n) for n in req.get("hidden", [])]
        # A test forked from an ordinary server makes its PID namespace and loads the
        # learner's seccomp filter through ctypes, which then sits in the learner's
        # memory (an extension module stays loadable from the interpreter's cache
        # once its file is hidden). Where the session hides ctypes the server is
        # sealed instead: it never holds ctypes, and its tests inherit what
        # `seal_fork_server` set up before its exec.
        #
        # An exec-only server (a compiled language's session: no test runs Python in
        # it) is sealed or not started: unsealed, each test would still make its own
        # namespace and load its filter, and gain nothing.
        exec_only = bool(req.get("exec_only"))
        isolating = bool(self.pid_namespace or self.seccomp)
        sealed = (exec_only or bool(FFI_MODULES & set(hidden))) and isolating
        if exec_only and (not sealed or self.gvisor):
            return False
        if sealed and self.gvisor:
            # gVisor refuses hidepid and shares /proc mounts across the container.
            print("gradebox-agent: cold starts: ctypes hidden on gVisor", file=sys.stderr)
            return False
        if sealed:
            hidden = list(dict.fromkeys([*hidden, *FFI_HIDDEN]))
        elif self.pid_namespace or self.seccomp:
            preload.append("ctypes")  # imported once here, not in every test's child
        env = {str(k): str(v) for k, v in req.get("env", {}).items()}
        self._zygote = zygote.ForkServer.start(preload, hidden, env, before_exec, sealed=sealed)
        self._sealed = sealed
        return True

    def _fork_warm(self, ctl_r: int, cg_paths: list[str], fds: tuple[int, int, int]) -> bool:
        """Ask the fork server for a spare (its pid is collected by `_collect`, so the
        fork overlaps the host's turn); False where there is none or it failed: cold."""
        zygote = self._zygote
        if zygote is None:
            return False
        try:
            if not zygote.ready():
                if not zygote.failed:
                    return False  # still importing: this one starts cold
                raise OSError(zygote.error)
            request = {
                "cg": cg_paths,
                "uid": self.uid,
                "gid": self.gid,
                "workdir": self.workdir,
                "per_test_cgroup": self.cgroups is not None,
                # (a sealed server's children inherit both from its start)
                "pid_namespace": self.pid_namespace and not self._sealed,
                "seccomp": "" if self._sealed else self.seccomp.hex(),
            }
            zygote.spawn([ctl_r, *fds], request)
            return True
        except (OSError, ValueError) as exc:
            self._drop_zygote(exc)
        return False

    def _drop_zygote(self, exc: BaseException) -> None:
        zygote, self._zygote = self._zygote, None
        if zygote is None:
            return
        zygote.error = f"{type(exc).__name__}: {exc}"
        print(f"gradebox-agent: cold starts: {zygote.error}", file=sys.stderr)
        zygote.close()

    def _take_pid(self, spare: _Spare) -> None:
        """A warm spare's pid from the fork server, in the order they were asked for;
        where it fails the server is dropped and the pid stays None."""
        if spare.pid is not None or self._zygote is None:
            return
        try:
            spare.pid = self._zygote.spawned()
        except (OSError, ValueError) as exc:
            self._drop_zygote(exc)

    def _collect(self, spare: _Spare) -> _Spare:
        """`spare` with its pid, or where the fork server did not fork it, a cold
        spare in its place (the failed one discarded)."""
        self._take_pid(spare)
        if spare.pid is not None:
            return spare
        self._release(spare)
        return self._fork_spare()

    def run(
        self, req: dict[str, Any], stdin: bytes, stream: _Stream | None = None
    ) -> tuple[dict[str, Any], bytes, bytes]:
        limits: dict[str, Any] = req["limits"]
        params = json.dumps(
            {
                "argv": [str(a) for a in req["argv"]],
                "env": {str(k): str(v) for k, v in req.get("env", {}).items()},
                "limits": limits,
            }
        ).encode()
        if (
            (not self._spares or not self._spares[0].warm)
            and self._zygote is not None
            and self._zygote.fits(req["argv"], req.get("env", {}))
            and self._zygote.ready(WARM_RUN_WAIT_S)
        ):
            self._discard_spares()  # forked before the fork server was ready, if any
        spare = self._collect(self._spares.pop(0) if self._spares else self._fork_spare())
        cg_paths = spare.cg_paths
        try:
            if self.cgroups:
                memory_bytes = int(limits["memory_mb"]) * 1024 * 1024
                cpus = float(limits.get("cpus", 1))
                self.cgroups.set_limits(cg_paths, memory_bytes, int(limits["pids"]), cpus)
        except BaseException:
            self._release(spare)  # never leave a blocked root process behind
            raise
        oom_before = self._oom_count()
        probe = _Usage(self, cg_paths)
        start = time.monotonic()
        try:
            _write_all(spare.ctl_w, params)  # the child reads it, then execs
        except OSError:
            pass  # the child is gone; _supervise sees it exit
        finally:
            os.close(spare.ctl_w)
        fds = (spare.in_w, spare.out_r, spare.err_r)
        pid = spare.pid
        assert pid is not None  # (`_collect`)
        if stream is None:
            raw = self._supervise(pid, start, stdin, fds, limits, cg_paths, probe)
        else:
            raw = self._supervise_stream(pid, start, fds, limits, cg_paths, stream, probe)
        # Every process of the test is dead and reaped by now: its CPU is the total
        # of all of them (cgroup counter, or what reaping added to our children's).
        cpu_s = probe.final_cpu_ns(int(raw["cpu_s"] * 1e9)) / 1e9
        peak = max(raw["peak_kb"], probe.peak_bytes // 1024)
        oom = probe.over_memory
        if self.cgroups and cg_paths:
            # The cgroup also counts tmpfs and page cache the test added; rusage
            # counts shared pages the cgroup was not charged for: report the larger.
            peak = max(self.cgroups.peak_kb(cg_paths), peak)
            oom = oom or self.cgroups.oom_killed(cg_paths)
            self.cgroups.remove(cg_paths)
        elif oom_before is not None:
            oom = oom or (self._oom_count() or 0) > oom_before
        out: bytes = raw.pop("stdout")
        err: bytes = raw.pop("stderr")
        raw.update(peak_kb=peak, oom_killed=oom, cpu_s=cpu_s)
        return raw, out, err

    def _oom_count(self) -> int | None:
        if not self.oom_counter:
            return None
        return _counter(_read(self.oom_counter), "oom_kill")

    def _fork_spare(self) -> _Spare:
        cg_paths = self.cgroups.create() if self.cgroups else []
        ctl_r, ctl_w = os.pipe()
        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        warm = self._fork_warm(ctl_r, cg_paths, (in_r, out_w, err_w))
        pid = None if warm else os.fork()
        if pid == 0:  # pragma: no cover - the child execs or exits
            self._child(ctl_r, cg_paths, (in_r, out_w, err_w))
        for fd in (ctl_r, in_r, out_w, err_w):
            os.close(fd)
        return _Spare(pid, ctl_w, in_w, out_r, err_r, cg_paths, warm=warm)

    def _refill_spares(self) -> None:
        """Ahead only where each test has its own cgroup: there the fork server's
        and a spare's own work land outside the running test's counters. Without
        (Docker, gVisor), a test's CPU and memory are the container's growth while
        it runs, so one spare is forked, and waited for, between tests. (On gVisor
        a spare's own /proc mount, made before it is told what to run, would also
        replace the running test's /proc.)"""
        zygote = self._zygote
        if zygote is not None and not zygote.failed and not zygote.ready():
            return  # they would start cold, and go once it is ready: forked on demand
        ahead = self.cgroups is not None
        while len(self._spares) < (SPARES if ahead else 1):
            self._spares.append(self._fork_spare())
        if not ahead:
            self._spares = [self._collect(spare) for spare in self._spares]

    def _discard_spares(self) -> None:
        """Release every spare, oldest first: the fork server answers in order."""
        spares, self._spares = self._spares, []
        for spare in spares:
            self._take_pid(spare)
            self._release(spare)

    def _release(self, spare: _Spare) -> None:
        """Close a spare's pipes, kill it (where it was forked) and remove its cgroups."""
        for fd in (spare.ctl_w, spare.in_w, spare.out_r, spare.err_r):
            os.close(fd)
        if spare.pid is not None:
            try:
                os.kill(spare.pid, signal.SIGKILL)
                os.waitpid(spare.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        if self.cgroups and spare.cg_paths:
            self.cgroups.remove(spare.cg_paths)

    def _child(self, ctl_r: int, cg_paths: list[str], fds: tuple[int, int, int]) -> None:
        argv: list[str] = ["?"]
        try:
            if self._sigchld_r >= 0:
                signal.set_wakeup_fd(-1)
            req = attach_child(
                ctl_r, cg_paths, fds, namespace_libc=self._libc if self.pid_namespace else None
            )
            argv, env, limits = req["argv"], req["env"], req["limits"]
            apply_test_limits(limits, per_test_cgroup=self.cgroups is not None)
            drop_to_learner(self.uid, self.gid, self.workdir)
            if self._libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
                raise OSError(self._ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
            if self.seccomp:
                install_seccomp(self._libc, self.seccomp)
            os.execvpe(argv[0], argv, env)
        except BaseException as exc:  # noqa: BLE001 - report anything, then die
            child_failed(argv, exc)

    def _supervise(
        self,
        pid: int,
        start: float,
        stdin: bytes,
        fds: tuple[int, int, int],
        limits: dict[str, Any],
        cg_paths: list[str],
        probe: _Usage,
    ) -> dict[str, Any]:
        in_w, out_r, err_r = fds
        output_cap = int(limits["output_bytes"])
        deadline = start + float(limits["wall_s"])
        out = bytearray()
        err = bytearray()
        timed_out = output_exceeded = False
        status: int | None = None
        rusage: resource.struct_rusage | None = None
        exit_fd = self._exit_notifier(pid)
        sel = selectors.DefaultSelector()
        sel.register(out_r, selectors.EVENT_READ, out)
        sel.register(err_r, selectors.EVENT_READ, err)
        sel.register(exit_fd, selectors.EVENT_READ, "exit")
        pending = memoryview(stdin)
        if pending:
            os.set_blocking(in_w, False)
            sel.register(in_w, selectors.EVENT_WRITE, "stdin")
        else:
            os.close(in_w)
        stdin_open = bool(pending)
        try:
            while status is None or len(sel.get_map()) > 0:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    timed_out = status is None
                    break
                wait = probe.pace(pid, limits, remaining, running=status is None)
                if wait is None:
                    break  # the test's processes together went past CPU or memory
                for key, _ in sel.select(timeout=wait):
                    if key.data == "exit":
                        if exit_fd == self._sigchld_r:
                            _drain(exit_fd)
                        got, wstatus, usage = os.wait4(pid, os.WNOHANG)
                        if got == 0:
                            continue  # another child (a kill helper) exited
                        sel.unregister(exit_fd)
                        status, rusage = wstatus, usage
                        # Anything the program left behind still holds the pipes.
                        self._kill_leftovers(cg_paths)
                        continue
                    if key.data == "stdin":
                        try:
                            written = os.write(in_w, pending[:_CHUNK])
                            pending = pending[written:]
                        except OSError:
                            pending = pending[:0]
                        if not pending:
                            sel.unregister(in_w)
                            os.close(in_w)
                            stdin_open = False
                        continue
                    chunk = os.read(key.fd, _CHUNK)
                    if not chunk:
                        sel.unregister(key.fd)
                        continue
                    buf: bytearray = key.data
                    buf.extend(chunk)
                    if len(out) + len(err) > output_cap:
                        output_exceeded = True
                if output_exceeded:
                    break
        finally:
            sel.close()
            if status is None:
                for kill in (os.kill, os.killpg):
                    try:
                        kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                _, status, rusage = os.wait4(pid, 0)
                self._kill_all_learner_processes()
            for fd in (out_r, err_r):
                os.close(fd)
            if exit_fd != self._sigchld_r:
                os.close(exit_fd)
            if stdin_open:
                os.close(in_w)
        wall = time.monotonic() - start
        assert rusage is not None
        return {
            "returncode": os.waitstatus_to_exitcode(status),
            "wall_s": wall,
            "cpu_s": rusage.ru_utime + rusage.ru_stime,
            "peak_kb": rusage.ru_maxrss,
            "timed_out": timed_out,
            "output_exceeded": output_exceeded,
            "stdout": bytes(out[:output_cap]),
            "stderr": bytes(err[:STDERR_CAP]),
        }

    def _supervise_stream(
        self,
        pid: int,
        start: float,
        fds: tuple[int, int, int],
        limits: dict[str, Any],
        cg_paths: list[str],
        stream: _Stream,
        probe: _Usage,
    ) -> dict[str, Any]:
        """`_supervise` for a streamed run (interactive problems): stdout goes to the
        host as it comes, in `out` messages, and the host's `in` messages feed stdin
        (`close` ends it, `kill` stops the program). Input for a program that does
        not read is buffered up to a cap and then dropped, so nothing blocks."""
        rfile, send = stream
        in_w, out_r, err_r = fds
        output_cap = int(limits["output_bytes"])
        deadline = start + float(limits["wall_s"])
        err = bytearray()
        sent = 0
        timed_out = output_exceeded = killed = False
        status: int | None = None
        rusage: resource.struct_rusage | None = None
        exit_fd = self._exit_notifier(pid)
        pending = bytearray()
        stdin_open, close_requested = True, False
        os.set_blocking(in_w, False)
        sel = selectors.DefaultSelector()
        sel.register(out_r, selectors.EVENT_READ, "out")
        sel.register(err_r, selectors.EVENT_READ, err)
        sel.register(exit_fd, selectors.EVENT_READ, "exit")
        sel.register(rfile.fileno(), selectors.EVENT_READ, "host")

        def close_stdin() -> None:
            nonlocal stdin_open
            if stdin_open:
                if in_w in sel.get_map():
                    sel.unregister(in_w)
                os.close(in_w)
                stdin_open = False

        try:
            while status is None or len(sel.get_map()) > 1:  # the host fd stays
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    timed_out = status is None
                    break
                wait = probe.pace(pid, limits, remaining, running=status is None)
                if wait is None:
                    break  # the test's processes together went past CPU or memory
                for key, _ in sel.select(timeout=wait):
                    if key.data == "exit":
                        if exit_fd == self._sigchld_r:
                            _drain(exit_fd)
                        got, wstatus, usage = os.wait4(pid, os.WNOHANG)
                        if got == 0:
                            continue
                        sel.unregister(exit_fd)
                        status, rusage = wstatus, usage
                        self._kill_leftovers(cg_paths)
                        close_stdin()
                    elif key.data == "host":
                        header, blobs = read_message(rfile)
                        op = header.get("op")
                        if op == "in" and stdin_open and len(pending) < STREAM_PENDING_CAP:
                            pending.extend(b"".join(blobs))
                            if in_w not in sel.get_map():
                                sel.register(in_w, selectors.EVENT_WRITE, "stdin")
                        elif op == "close":
                            close_requested = True
                            if not pending:
                                close_stdin()
                        elif op == "kill" and status is None:
                            killed = True
                            raise _Killed
                    elif key.data == "stdin":
                        try:
                            written = os.write(in_w, pending[:_CHUNK])
                            del pending[:written]
                        except OSError:
                            pending.clear()
                            close_requested = True
                        if not pending:
                            if close_requested:
                                close_stdin()
                            else:
                                sel.unregister(in_w)
                    else:
                        chunk = os.read(key.fd, _CHUNK)
                        if not chunk:
                            sel.unregister(key.fd)
                        elif key.data == "out":
                            sent += len(chunk)
                            if sent + len(err) > output_cap:
                                output_exceeded = True
                            else:
                                send({"ok": True, "op": "out"}, [chunk])
                        else:
                            err.extend(chunk)
                            if sent + len(err) > output_cap:
                                output_exceeded = True
                if output_exceeded:
                    break
        except _Killed:
            pass
        finally:
            sel.close()
            if status is None:
                for kill in (os.kill, os.killpg):
                    try:
                        kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                _, status, rusage = os.wait4(pid, 0)
                self._kill_all_learner_processes()
            for fd in (out_r, err_r):
                os.close(fd)
            if exit_fd != self._sigchld_r:
                os.close(exit_fd)
            if stdin_open:
                os.close(in_w)
        assert rusage is not None
        return {
            "returncode": os.waitstatus_to_exitcode(status),
            "wall_s": time.monotonic() - start,
            "cpu_s": rusage.ru_utime + rusage.ru_stime,
            "peak_kb": rusage.ru_maxrss,
            "timed_out": timed_out,
            "output_exceeded": output_exceeded,
            "killed": killed,
            "stdout": b"",
            "stderr": bytes(err[:STDERR_CAP]),
        }

    def _exit_notifier(self, pid: int) -> int:
        """An fd that becomes readable when `pid` exits: a pidfd, or where the kernel
        lacks pidfd_open (gVisor), the read end of a SIGCHLD wakeup pipe."""
        if self._use_pidfd:
            try:
                return os.pidfd_open(pid)
            except OSError:
                self._use_pidfd = False
        if self._sigchld_r < 0:
            r, w = os.pipe()
            os.set_blocking(r, False)
            os.set_blocking(w, False)
            signal.signal(signal.SIGCHLD, lambda signum, frame: None)
            signal.set_wakeup_fd(w, warn_on_full_buffer=False)
            self._sigchld_r, self._sigchld_w = r, w
        # The child may have exited before this point: make sure we look once.
        try:
            os.write(self._sigchld_w, b"\0")
        except BlockingIOError:
            pass  # already full of wake-ups
        return self._sigchld_r

    def _kill_leftovers(self, cg_paths: list[str]) -> None:
        """After a test's main process exited: kill what it left behind, where it left
        anything. Without a cgroup, /proc says, and one look is enough: only a process
        of the learner's uid makes another (it has no way to another uid), and one
        that exits stays in /proc as our zombie (we are the subreaper of every
        orphan, and reap only below), so a process that forks and exits while we
        list /proc still leaves itself there to be found. With none found none can
        appear, and the kill helper's fork (a millisecond of every Docker test) is
        skipped. (Which is why nothing here may reap while this looks.)"""
        if cg_paths:
            procs = _read(os.path.join(cg_paths[0], "cgroup.procs")).split()
            if not procs:
                return
        elif not learner_pids(self.uid):
            return
        self._kill_all_learner_processes()

    def _kill_all_learner_processes(self) -> None:
        """kill(-1) as the learner's uid: every process it owns in this pid namespace
        gets SIGKILL in one atomic pass, so a fork bomb cannot outrun it."""
        helper = os.fork()
        if helper == 0:  # pragma: no cover - helper process
            try:
                os.setresuid(self.uid, self.uid, self.uid)
                os.kill(-1, signal.SIGKILL)
            except OSError as exc:
                os._exit(0 if exc.errno == errno.ESRCH else 1)
            os._exit(0)
        os.waitpid(helper, 0)
        reap_orphans()
        # Even with cgroups: an exiting process leaves its cgroup before it is a
        # zombie we can reap, so an empty cgroup does not mean they are all gone.
        self._wait_until_gone()

    def _wait_until_gone(self, timeout: float = 5.0) -> None:
        """Killed processes linger until reaped (we are their subreaper, and pid 1 in
        Docker): wait until none of the learner's uid is left, so the next test
        starts clean and the CPU of every one of them is in our children's total."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reap_orphans()
            if not learner_pids(self.uid):
                return
            time.sleep(0.001)


def attach_child(
    ctl_r: int, cg_paths: list[str], fds: tuple[int, int, int], *, namespace_libc: Any = None
) -> dict[str, Any]:
    """First half of a test child's set-up (cold or forked from the fork server):
    only our own pipes (stdio, the control pipe read to its end), a session of its
    own, the test's cgroup, a PID namespace of its own (`enter_test_pid_namespace`,
    given the libc to make it with); then the agent's request, which says what to
    run. Exits quietly when the request never comes (a discarded spare)."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    os.dup2(ctl_r, 3)
    os.closerange(4, 65536)
    os.setsid()
    for path in cg_paths:
        _write(os.path.join(path, _attach_file(path)), "0")
    if namespace_libc is not None:
        enter_test_pid_namespace(namespace_libc)
    data = bytearray()
    while chunk := os.read(3, 65536):
        data.extend(chunk)
    if not data:  # discarded, or the agent is gone
        os._exit(0)
    os.close(3)
    req: dict[str, Any] = json.loads(data)
    return req


def _attach_file(path: str) -> str:
    """Where a freshly forked (so single-threaded) child moves itself into a v1
    cgroup: `tasks` moves the calling thread alone, which the kernel does without
    write-locking every thread group (`cgroup.procs` waits an RCU grace period for
    that: 10 ms idle, far more under load, per directory and per test). A process
    of one thread is then wholly in the cgroup, and so is all it forks and execs.
    v2 has no `tasks` (and refuses single threads outside threaded cgroups)."""
    return "tasks" if os.path.exists(os.path.join(path, "tasks")) else "cgroup.procs"


def apply_test_limits(limits: dict[str, Any], *, per_test_cgroup: bool) -> None:
    """Signals back to their defaults and the test's rlimits."""
    # Python ignores these; an ignored signal stays ignored across exec.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    cpu = max(1, int(float(limits["cpu_s"]) + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    fsize = int(limits["file_bytes"])
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if not per_test_cgroup:
        # No per-test cgroup: address space is the memory cap, and the process
        # count of the learner's uid the pids cap (in Docker the container's
        # own pids and memory limits stand behind both).
        mem = int(limits["memory_mb"]) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        nproc = int(limits["pids"])
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))


def drop_to_learner(uid: int, gid: int, workdir: str) -> None:
    """Last step before the program: the workdir, then the learner's uid and gid
    for good (no supplementary groups). The caller sets no_new_privs (the agent
    through prctl; the fork server inherits it from its own start)."""
    os.chdir(workdir)
    os.setgroups([])
    # A real gid other than the effective one makes the kernel exec the program
    # non-dumpable (no core dump, no ptrace or /proc/<pid>/mem by another process of
    # the learner's uid); files still get `gid`. Without an exec (the fork server),
    # the uid change itself makes the process non-dumpable.
    os.setresgid(gid + 1, gid, gid)
    os.setresuid(uid, uid, uid)


def child_failed(argv: list[str], exc: BaseException) -> None:
    try:
        os.write(2, f"sandbox: cannot start {argv[:1]}: {exc}\n".encode())
    finally:
        os._exit(127)


def _parse(argv: list[str]) -> argparse.Namespace:
    import argparse

    parser = argparse.ArgumentParser(prog="gradebox-agent")
    parser.add_argument("--uid", type=int, default=65534)
    parser.add_argument("--gid", type=int, default=65534)
    parser.add_argument("--workdir", default="/work")
    parser.add_argument("--cgroup-version", choices=("none", "v1", "v2"), default="none")
    parser.add_argument("--cgroup-memory")
    parser.add_argument("--cgroup-pids")
    parser.add_argument("--cgroup-cpu")
    parser.add_argument("--cgroup-cpuacct")
    # /proc/meminfo describes this sandbox alone (gVisor): a memory meter.
    parser.add_argument("--sandbox-meminfo", action="store_true")
    # Each test in a PID namespace of its own (needs CAP_SYS_ADMIN; see
    # enter_test_pid_namespace), and the learner's seccomp filter (hex of its BPF).
    parser.add_argument("--pid-namespace", action="store_true")
    parser.add_argument("--seccomp")
    # FOLDER=NAME: a hidden module's empty mount, made to refuse `import NAME`.
    parser.add_argument("--tombstone", action="append")
    # Print where the named modules live in this view (JSON) and exit.
    parser.add_argument("--find-modules")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    if args.find_modules is not None:
        names = [n for n in args.find_modules.split(",") if n]
        entries = module_entries(names, module_dirs())
        report = [
            {"path": p, "dir": os.path.isdir(p) and not os.path.islink(p)}
            | {"real": os.path.realpath(p)}
            for p in entries
        ]
        print(json.dumps(report))
        return 0
    if os.geteuid() == args.uid:
        print("gradebox-agent: refusing to run as the learner's uid", file=sys.stderr)
        return 2
    agent = Agent(args)
    # Protocol on fds 0/1; anything else printing to stdout must not corrupt it.
    rfile = os.fdopen(os.dup(0), "rb", buffering=0)
    wfile = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    os.close(devnull)
    # A write to a pipe nobody reads must fail with EPIPE, not kill us: a test that
    # exits before reading its stdin, a spare that died before its orders, a fork
    # server gone. (Each test's child restores the default before its exec.)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    try:
        agent.serve(rfile, wfile)
    except BrokenPipeError:
        pass  # the host closed our stdout: nobody is left to answer
    # Every child is gone and every reply written: skip the interpreter's teardown,
    # which took 10 ms of every session's close (measured from the host).
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
