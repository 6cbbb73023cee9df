"""Run one process on the host with limits, reading its output through pipes.

Shared by the backends that start a local process (`none`, `bwrap`): wall-clock
timeout enforced from outside, rlimits set in the child, output capped while read.
"""

from __future__ import annotations

import os
import resource
import select
import selectors
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sandbox.spec import Limits, RunResult, RunStatus

_READ_CHUNK = 65536
STDERR_CAP = 64 * 1024


@dataclass
class RawOutcome:
    returncode: int | None
    stdout: bytes
    stderr: bytes
    wall_s: float
    cpu_s: float
    peak_memory_kb: int
    timed_out: bool
    output_exceeded: bool


def rlimit_preexec(
    limits: Limits, *, address_space: bool = True, nproc: int | None = None
) -> Callable[[], None]:
    def apply() -> None:
        os.setsid()
        cpu = max(1, int(limits.cpu_s + 0.999))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if address_space:
            mem = limits.memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        if nproc is not None:
            resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))

    return apply


def wait_exit(proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """Wait up to `timeout` for `proc` to exit, woken by its pidfd the moment it
    does: `Popen.wait(timeout=)` polls with doubling sleeps, which added up to
    8 ms to every bwrap session's close. False if it is still running."""
    try:
        fd = os.pidfd_open(proc.pid)
    except OSError:  # no pidfds (an old kernel), or already reaped
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        return True
    try:
        ready, _, _ = select.select([fd], [], [], timeout)
    finally:
        os.close(fd)
    if not ready:
        return False
    proc.wait()
    return True


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.kill()
    except ProcessLookupError:
        pass


def run_process(
    argv: Sequence[str],
    *,
    stdin: bytes,
    env: Mapping[str, str],
    cwd: str,
    limits: Limits,
    preexec: Callable[[], None] | None,
    pass_fds: Sequence[int] = (),
) -> RawOutcome:
    # A forked child keeps its parent's resident-set high-water mark through exec, so
    # ru_maxrss can be no smaller than the judge's own size at the fork: figures up to
    # that size say nothing about the program (memory is still capped by RLIMIT_AS).
    inherited_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.monotonic()
    proc = subprocess.Popen(
        list(argv),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(env),
        cwd=cwd,
        preexec_fn=preexec,  # noqa: PLW1509 - single-threaded caller per process
        close_fds=True,
        pass_fds=tuple(pass_fds),
    )
    assert proc.stdin and proc.stdout and proc.stderr
    out = bytearray()
    err = bytearray()
    timed_out = output_exceeded = False
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, out)
    sel.register(proc.stderr, selectors.EVENT_READ, err)
    pending_in = memoryview(stdin)
    if pending_in:
        os.set_blocking(proc.stdin.fileno(), False)
        sel.register(proc.stdin, selectors.EVENT_WRITE, None)
    else:
        proc.stdin.close()
    deadline = start + limits.wall_s
    while sel.get_map():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        for key, _ in sel.select(timeout=min(remaining, 0.5)):
            if key.data is None:  # stdin writable
                try:
                    written = os.write(key.fd, pending_in[:_READ_CHUNK])
                    pending_in = pending_in[written:]
                except (BrokenPipeError, OSError):
                    pending_in = pending_in[:0]
                if not pending_in:
                    sel.unregister(key.fileobj)
                    proc.stdin.close()
                continue
            chunk = os.read(key.fd, _READ_CHUNK)
            if not chunk:
                sel.unregister(key.fileobj)
                continue
            buf: bytearray = key.data
            buf.extend(chunk)
            if len(out) + len(err) > limits.output_bytes:
                output_exceeded = True
                break
        if output_exceeded:
            break
    if timed_out or output_exceeded:
        _kill_group(proc)
    sel.close()
    try:
        _, status, rusage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    except ChildProcessError:
        rusage = None
        proc.wait()
    wall = time.monotonic() - start
    for stream in (proc.stdout, proc.stderr):
        stream.close()
    if not proc.stdin.closed:
        try:
            proc.stdin.close()
        except OSError:
            pass
    cpu = (rusage.ru_utime + rusage.ru_stime) if rusage else 0.0
    peak = rusage.ru_maxrss if rusage else 0
    if peak <= inherited_kb:
        peak = 0  # unknown: indistinguishable from the inherited figure
    return RawOutcome(
        returncode=proc.returncode,
        stdout=bytes(out[: limits.output_bytes]),
        stderr=bytes(err[:STDERR_CAP]),
        wall_s=wall,
        cpu_s=cpu,
        peak_memory_kb=peak,
        timed_out=timed_out,
        output_exceeded=output_exceeded,
    )


def classify(raw: RawOutcome, limits: Limits, *, oom_killed: bool = False) -> RunResult:
    """Turn a raw outcome into a RunResult with the status a judge would give."""
    code = raw.returncode
    sig = -code if code is not None and code < 0 else None
    exit_code = code if code is not None and code >= 0 else None
    detail = ""
    if raw.output_exceeded:
        status, detail = RunStatus.OLE, f"output exceeded {limits.output_bytes} bytes"
    elif raw.timed_out:
        status, detail = RunStatus.TLE, f"wall time exceeded {limits.wall_s:g} s"
    elif signal.SIGXCPU in (sig, (exit_code or 0) - 128) or raw.cpu_s > limits.cpu_s:
        status, detail = RunStatus.TLE, f"CPU time exceeded {limits.cpu_s:g} s"
    elif oom_killed or raw.peak_memory_kb > limits.memory_mb * 1024:
        status, detail = RunStatus.MLE, f"memory exceeded {limits.memory_mb} MB"
    elif sig == signal.SIGXFSZ or _looks_like_file_limit(raw):
        status, detail = RunStatus.OLE, f"file size exceeded {limits.file_bytes} bytes"
    elif _looks_like_memory_error(raw):
        status, detail = RunStatus.MLE, f"memory exceeded {limits.memory_mb} MB"
    elif sig is not None or (exit_code or 0) != 0:
        status = RunStatus.RE
        detail = f"killed by signal {sig}" if sig is not None else f"exit code {exit_code}"
    else:
        status = RunStatus.OK
    return RunResult(
        status=status,
        exit_code=exit_code,
        signal=sig,
        stdout=raw.stdout,
        stderr=raw.stderr,
        wall_s=raw.wall_s,
        cpu_s=raw.cpu_s,
        peak_memory_kb=raw.peak_memory_kb,
        detail=detail,
    )


def _looks_like_memory_error(raw: RawOutcome) -> bool:
    """Under RLIMIT_AS an allocation fails instead of the kernel killing the process."""
    if raw.returncode in (0, None):
        return False
    tail = raw.stderr[-2048:]
    return any(marker in tail for marker in _MEMORY_MARKERS)


_MEMORY_MARKERS = (
    b"MemoryError",
    b"std::bad_alloc",
    b"Cannot allocate memory",
    b"out of memory allocating",  # gcc's cc1plus
    b"virtual memory exhausted",
)


def _looks_like_file_limit(raw: RawOutcome) -> bool:
    """Python ignores SIGXFSZ, so RLIMIT_FSIZE shows up as EFBIG in its traceback."""
    if raw.returncode in (0, None):
        return False
    return b"[Errno 27] File too large" in raw.stderr[-2048:]
