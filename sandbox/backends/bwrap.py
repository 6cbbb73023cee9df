"""bubblewrap: the embedded default when no Docker daemon answers.

As root (the judgehost's normal case), one bwrap per session runs the agent
(`sandbox.agent`) in fresh pid, net, ipc, uts, mount and cgroup namespaces, on a
read-only view of /usr and the runtime, with size-capped tmpfs /work and /tmp,
`--die-with-parent`, and every capability dropped except CAP_SETUID, CAP_SETGID and
CAP_KILL. The agent stays uid 0 so that learner code, which it runs as a fresh
unprivileged uid per session (`sandbox.uids`) with no capabilities and no_new_privs,
can neither signal nor trace it;
each test gets its own cgroup (memory, pids) under the session's cgroup, rlimits
and a fresh process. No user namespace is made in this mode: a user namespace with
bwrap maps one uid only, which would put the agent and the learner under the same
uid; uid separation is the stronger layer here.

Not root: a per-run bwrap with `--unshare-all` (user namespace included) and
rlimits only; each test pays bwrap's start-up (about 9 ms).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

from sandbox import gpu as gpu_passthrough
from sandbox.agent_session import AgentSession
from sandbox.cgroups import SessionCgroup, create_session_cgroup
from sandbox.channel import AgentClient, PipeTransport
from sandbox.environment import sandbox_environment
from sandbox.errors import SandboxUnavailable
from sandbox.local import LocalSandbox, LocalSession
from sandbox.registry import register
from sandbox.seccomp import build_filter
from sandbox.settings import get_settings
from sandbox.spec import RunResult, RunSpec
from sandbox.uids import session_uid

log = logging.getLogger(__name__)

NOBODY = 65534
AGENT_SOURCE = Path(__file__).resolve().parents[1] / "agent.py"
AGENT_INSIDE = "/opt/gradebox/agent.py"
RUNTIME_INSIDE = "/opt/runtime"
SANDBOX_PATH = f"{RUNTIME_INSIDE}/bin:/usr/local/bin:/usr/bin:/bin"


def _bwrap() -> str:
    path = shutil.which("bwrap")
    if path is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed")
    return path


def runtime_binds(runtime: Path) -> list[str]:
    """Bind the runtime venv and the interpreter it links to, read-only."""
    binds = ["--ro-bind", str(runtime), RUNTIME_INSIDE]
    python = runtime / "bin" / "python3"
    if python.is_symlink():
        target = python.resolve().parent.parent
        if not str(target).startswith("/usr"):
            binds += ["--ro-bind", str(target), str(target)]
    return binds


def system_binds() -> list[str]:
    binds = [
        # bwrap makes missing parents 0700 as root; the learner must traverse them
        "--perms", "0755", "--dir", "/etc",
        "--perms", "0755", "--dir", "/opt",
        "--perms", "0755", "--dir", "/opt/gradebox",
        "--ro-bind", "/usr", "/usr",
        "--symlink", "usr/lib", "/lib",
        "--symlink", "usr/lib64", "/lib64",
        "--symlink", "usr/bin", "/bin",
        "--symlink", "usr/sbin", "/sbin",
    ]  # fmt: skip
    for path in ("/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d"):
        binds += ["--ro-bind-try", path, path]
    return binds


def base_environment(spec: RunSpec) -> dict[str, str]:
    return sandbox_environment(spec, SANDBOX_PATH)


class BwrapSandbox:
    name = "bwrap"

    def __init__(self) -> None:
        self._bwrap = _bwrap()
        self._privileged = os.geteuid() == 0
        self._fallback = _PerRunBwrap(self._bwrap)

    def run(self, spec: RunSpec) -> RunResult:
        with self.session() as session:
            return session.run(spec)

    def session(
        self, files: Mapping[str, bytes] | None = None, *, gpu: bool = False
    ) -> AgentSession | LocalSession:
        if gpu and not (self._privileged and gpu_passthrough.available()):
            raise SandboxUnavailable("no GPU to pass through (or bwrap runs without root)")
        if not self._privileged:
            return self._fallback.session(files)
        return _start_agent_session(self._bwrap, files or {}, gpu=gpu)

    @property
    def supports_gpu(self) -> bool:
        """A GPU answers on this host and the agent mode can bind its device nodes."""
        return self._privileged and gpu_passthrough.available()


def _start_agent_session(
    bwrap: str, files: Mapping[str, bytes], *, gpu: bool = False
) -> AgentSession:
    settings = get_settings()
    if not (settings.runtime_dir / "bin" / "python3").exists():
        raise SandboxUnavailable(
            f"the learner runtime {settings.runtime_dir} is missing (make runtime builds it)"
        )
    uid = session_uid()
    cgroup = create_session_cgroup(settings.cgroup_parent)
    argv = [
        bwrap,
        "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
        "--die-with-parent",
        "--new-session",
        "--cap-drop", "ALL",
        "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_KILL",
        *system_binds(),
        *runtime_binds(settings.runtime_dir),
        "--ro-bind", str(AGENT_SOURCE), AGENT_INSIDE,
        "--proc", "/proc",
        "--dev", "/dev",
        "--size", str(settings.tmp_mb * 1024 * 1024), "--perms", "1777", "--tmpfs", "/tmp",
        "--size", str(settings.workdir_mb * 1024 * 1024), "--perms", "1777", "--tmpfs", "/work",
    ]  # fmt: skip
    if gpu:
        argv += gpu_passthrough.bwrap_args()
    if cgroup is not None:
        if cgroup.version == "v1":
            argv.append("--unshare-cgroup-try")
        for host, inside in cgroup.binds():
            argv += ["--bind", str(host), inside]
    argv += [
        "--chdir", "/work",
        "--clearenv",
        "--setenv", "PATH", "/usr/bin:/bin",
        "--",
        "/usr/bin/python3", "-I", "-S", AGENT_INSIDE,
        "--uid", str(uid), "--gid", str(uid), "--workdir", "/work",
        *(cgroup.agent_args() if cgroup else []),
    ]  # fmt: skip
    errlog = tempfile.TemporaryFile(prefix="gradebox-bwrap-")
    # Options go through a pipe (`--args FD`): bwrap is pid 1 in the sandbox and its
    # command line, host paths included, would be readable in /proc/1/cmdline.
    args_r, args_w = os.pipe()
    fds = [args_r]
    try:
        split = argv.index("--")
        options = argv[1:split]
        program = build_filter()
        if program is None:
            log.warning("sandbox: no seccomp filter for this architecture")
        else:
            seccomp_r, seccomp_w = os.pipe()
            fds.append(seccomp_r)
            os.write(seccomp_w, program)
            os.close(seccomp_w)
            options += ["--seccomp", str(seccomp_r)]
        os.write(args_w, b"".join(a.encode() + b"\0" for a in options))
        os.close(args_w)
        proc = subprocess.Popen(
            [argv[0], "--args", str(args_r), *argv[split:]],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errlog,
            env={"PATH": "/usr/bin:/bin"},
            close_fds=True,
            pass_fds=tuple(fds),
        )
    except OSError:
        errlog.close()
        if cgroup:
            cgroup.destroy()
        raise
    finally:
        for fd in fds:
            os.close(fd)
    assert proc.stdin and proc.stdout
    transport = PipeTransport(proc.stdin.fileno(), proc.stdout.fileno())
    teardown = _teardown(proc, cgroup, errlog)
    return AgentSession(
        AgentClient(transport),
        teardown,
        base_environment,
        files,
        ident=f"bwrap-{proc.pid}",
        gpu=gpu,
    )


def _teardown(
    proc: subprocess.Popen[bytes],
    cgroup: SessionCgroup | None,
    errlog: IO[bytes],
) -> Callable[[], None]:
    def teardown() -> None:
        try:
            assert proc.stdin and proc.stdout
            proc.stdin.close()
            try:
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            if proc.returncode not in (0, None):
                errlog.seek(0)
                tail = errlog.read()[-2000:].decode(errors="replace").strip()
                if tail:
                    log.warning("sandbox: bwrap exited with %s: %s", proc.returncode, tail)
        finally:
            errlog.close()
            if cgroup is not None:
                cgroup.destroy()

    return teardown


class _PerRunBwrap(LocalSandbox):
    """Unprivileged fallback: a user namespace per run, rlimits only."""

    name = "bwrap"

    def __init__(self, bwrap: str) -> None:
        self._bwrap = bwrap

    def wrap(self, spec: RunSpec, workdir: Path) -> tuple[list[str], str]:
        argv = [
            self._bwrap,
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--uid", str(NOBODY),
            "--gid", str(NOBODY),
            *system_binds(),
            *runtime_binds(get_settings().runtime_dir),
            "--proc", "/proc",
            "--dev", "/dev",
            "--size", str(get_settings().tmp_mb * 1024 * 1024), "--tmpfs", "/tmp",
            "--bind", str(workdir), "/work",
            "--chdir", "/work",
            "--clearenv",
        ]  # fmt: skip
        for key, value in self.environment(spec, workdir).items():
            argv += ["--setenv", key, value]
        return [*argv, "--", *spec.argv], str(workdir)

    def environment(self, spec: RunSpec, workdir: Path) -> dict[str, str]:
        return base_environment(spec)


def _usable() -> bool:
    return shutil.which("bwrap") is not None and os.path.isdir("/usr")


register("bwrap", BwrapSandbox, _usable)
