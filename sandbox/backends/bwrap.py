"""bubblewrap: the embedded default when no Docker daemon answers.

As root (the judgehost's normal case), one bwrap per session runs the agent
(`sandbox.agent`) in fresh pid, net, ipc, uts, mount and cgroup namespaces, on a
read-only view of /usr and the runtime, with size-capped tmpfs /work and /tmp,
`--die-with-parent`, and every capability dropped except CAP_SETUID, CAP_SETGID,
CAP_KILL and CAP_SYS_ADMIN (each test's PID namespace and /proc). The agent stays
uid 0 so that learner code, which it runs as a fresh
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
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO

from sandbox import gpu as gpu_passthrough
from sandbox.agent import MODULE_DIRS, module_dirs, module_entries, tombstone_source
from sandbox.agent_bytecode import AGENT_DIR, agent_argv, bytecode_dir
from sandbox.agent_session import AgentSession
from sandbox.cgroups import SessionCgroup, create_session_cgroup
from sandbox.channel import AgentClient, PipeTransport
from sandbox.environment import sandbox_environment
from sandbox.errors import SandboxUnavailable
from sandbox.hiding import HiddenPath, entry_module, module_names
from sandbox.local import LocalSandbox, LocalSession
from sandbox.process import classify, rlimit_preexec, run_process, wait_exit
from sandbox.registry import register
from sandbox.seccomp import agent_isolation_args, build_filter
from sandbox.settings import SandboxSettings, get_settings
from sandbox.spec import RunResult, RunSpec, Warm
from sandbox.uids import session_uid

log = logging.getLogger(__name__)

NOBODY = 65534
AGENT_SOURCE = Path(__file__).resolve().parents[1] / "agent.py"
AGENT_INSIDE = f"{AGENT_DIR}/agent.py"
AGENT_PYTHON = "/usr/bin/python3"  # the host's, bound at the same path
ZYGOTE_SOURCE = AGENT_SOURCE.with_name("zygote.py")
ZYGOTE_INSIDE = f"{AGENT_DIR}/zygote.py"  # the fork server, next to the agent
PRIVATE_INSIDE = "/opt/gradebox/private"  # the agent's own ctypes (root only)
RUNTIME_INSIDE = "/opt/runtime"
SANDBOX_PATH = f"{RUNTIME_INSIDE}/bin:/usr/local/bin:/usr/bin:/bin"
HIDE_TMPFS_BYTES = 64 * 1024


def _bwrap() -> str:
    path = shutil.which("bwrap")
    if path is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed")
    return path


def agent_bytecode_binds() -> list[str]:
    """The agent's and fork server's bytecode (`sandbox/agent_bytecode.py`)."""
    folder = bytecode_dir(AGENT_PYTHON, AGENT_SOURCE.parent)
    return [] if folder is None else ["--ro-bind", str(folder), f"{AGENT_DIR}/__pycache__"]


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


def _view_prefixes(runtime: Path) -> list[tuple[str, str]]:
    """(host prefix, sandbox prefix) of every folder bound into the view that can
    hold Python modules: /usr as it is, the runtime venv at /opt/runtime, and the
    interpreter the venv links to when it lives outside /usr."""
    prefixes = [(str(runtime), RUNTIME_INSIDE)]
    python = runtime / "bin" / "python3"
    if python.is_symlink():
        target = str(python.resolve().parent.parent)
        if not target.startswith("/usr"):
            prefixes.append((target, target))
    return prefixes


def hidden_paths(modules: list[str], runtime: Path) -> list[HiddenPath]:
    """Where the banned `modules` live in a bwrap session's view (sandbox paths)."""
    names = module_names(modules)
    if not names:
        return []
    patterns = [p for p in MODULE_DIRS if not p.startswith(RUNTIME_INSIDE)]
    prefixes = _view_prefixes(runtime)
    for host, _ in prefixes:
        patterns += [f"{host}/lib/python3*", f"{host}/lib/python3*/lib-dynload"]
        patterns += [f"{host}/lib/python3*/site-packages"]
    found: list[HiddenPath] = []
    for host_path in module_entries(names, module_dirs(tuple(patterns))):
        inside = host_path
        for host, sandbox_prefix in prefixes:
            if host_path.startswith(host + "/"):
                inside = sandbox_prefix + host_path[len(host) :]
                break
        is_dir = os.path.isdir(host_path) and not os.path.islink(host_path)
        found.append(HiddenPath(inside, is_dir, entry_module(host_path, names)))
    return found


def hide_args(hidden: list[HiddenPath]) -> tuple[list[str], list[str]]:
    """bwrap options covering `hidden`, and the agent's `--tombstone` options."""
    options: list[str] = []
    tombstones: list[str] = []
    for entry in hidden:
        if entry.is_dir:
            # root-owned 0755: the agent writes the tombstone, the learner nothing
            options += ["--size", str(HIDE_TMPFS_BYTES), "--perms", "0755", "--tmpfs", entry.path]
            tombstones += ["--tombstone", f"{entry.path}={entry.module}"]
        else:
            # an empty device over the file: nothing to load, not even a stat as a file
            options += ["--ro-bind", "/dev/null", entry.path]
    return options, tombstones


def private_ctypes_binds() -> list[str]:
    """The agent needs ctypes (prctl) even in a session that hides it: its own copy
    in a root-only folder the learner cannot traverse."""
    python = Path("/usr/bin/python3").resolve().name  # python3.11
    binds = ["--perms", "0700", "--dir", PRIVATE_INSIDE]
    package = Path("/usr/lib") / python / "ctypes"
    if package.is_dir():
        binds += ["--ro-bind", str(package), f"{PRIVATE_INSIDE}/ctypes"]
    for ext in sorted((Path("/usr/lib") / python / "lib-dynload").glob("_ctypes.*.so")):
        binds += ["--ro-bind", str(ext), f"{PRIVATE_INSIDE}/{ext.name}"]
    return binds


def base_environment(spec: RunSpec) -> dict[str, str]:
    return sandbox_environment(spec, SANDBOX_PATH)


class BwrapSandbox:
    name = "bwrap"

    def __init__(self) -> None:
        self._bwrap = _bwrap()
        self._privileged = os.geteuid() == 0
        self._fallback = _PerRunBwrap(self._bwrap)
        if not self._privileged:
            log.warning("sandbox: DEGRADED: %s", UNPRIVILEGED_NOTE)

    def run(self, spec: RunSpec) -> RunResult:
        with self.session() as session:
            return session.run(spec)

    @property
    def degraded(self) -> str | None:
        """Why this backend is weaker than its normal mode, or None."""
        return None if self._privileged else UNPRIVILEGED_NOTE

    @property
    def supports_gpu(self) -> bool:
        """A GPU answers on this host and the agent mode can bind its device nodes."""
        return self._privileged and gpu_passthrough.available()

    def session(
        self,
        files: Mapping[str, bytes] | None = None,
        *,
        hidden_modules: Sequence[str] = (),
        gpu: bool = False,
        warm: Warm | None = None,
    ) -> AgentSession | LocalSession:
        if gpu and not self.supports_gpu:
            raise SandboxUnavailable("no GPU to pass through (or bwrap runs without root)")
        hidden = hidden_paths(list(hidden_modules), get_settings().runtime_dir)
        if not self._privileged:
            return self._fallback.session(files, hidden=hidden)
        return _start_agent_session(
            self._bwrap, files or {}, hidden, gpu=gpu, warm=warm, hidden_modules=hidden_modules
        )


def _start_agent_session(
    bwrap: str,
    files: Mapping[str, bytes],
    hidden: list[HiddenPath],
    *,
    gpu: bool = False,
    warm: Warm | None = None,
    hidden_modules: Sequence[str] = (),
) -> AgentSession:
    settings = get_settings()
    if not (settings.runtime_dir / "bin" / "python3").exists():
        raise SandboxUnavailable(
            f"the learner runtime {settings.runtime_dir} is missing (make runtime builds it)"
        )
    hide_options, tombstones = hide_args(hidden)
    uid = session_uid()
    cgroup = create_session_cgroup(settings.cgroup_parent)
    argv = [
        bwrap,
        "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
        "--die-with-parent",
        "--new-session",
        "--cap-drop", "ALL",
        "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_KILL",
        # only for each test's PID namespace and its /proc (agent.enter_test_pid_namespace)
        "--cap-add", "CAP_SYS_ADMIN",
        *system_binds(),
        *runtime_binds(settings.runtime_dir),
        "--ro-bind", str(AGENT_SOURCE), AGENT_INSIDE,
        "--ro-bind", str(ZYGOTE_SOURCE), ZYGOTE_INSIDE,
        *agent_bytecode_binds(),
        *private_ctypes_binds(),
        *hide_options,
        "--proc", "/proc",
        "--dev", "/dev",
        *scratch_tmpfs(settings),
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
        *agent_argv(AGENT_PYTHON),
        "--uid", str(uid), "--gid", str(uid), "--workdir", "/work",
        *(cgroup.agent_args() if cgroup else []),
        *tombstones,
        *agent_isolation_args(),
    ]  # fmt: skip
    errlog = tempfile.TemporaryFile(prefix="gradebox-bwrap-")
    # Options go through a pipe (`--args FD`): bwrap is pid 1 in the sandbox and its
    # command line, host paths included, would be readable in /proc/1/cmdline.
    args_r, args_w = os.pipe()
    fds = [args_r]
    try:
        split = argv.index("--")
        options = argv[1:split]
        program = build_filter(agent=True)
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
        warm=warm,
        hidden_modules=hidden_modules,
    )


def scratch_tmpfs(settings: SandboxSettings) -> list[str]:
    """Size-capped /tmp and /dev/shm (bwrap's /dev would give shm half the RAM);
    what a test writes there is memory its cgroup is charged for."""
    return [
        "--size", str(settings.tmp_mb * 1024 * 1024), "--perms", "1777", "--tmpfs", "/tmp",
        "--size", str(settings.shm_mb * 1024 * 1024), "--perms", "1777", "--tmpfs", "/dev/shm",
    ]  # fmt: skip


def _teardown(
    proc: subprocess.Popen[bytes],
    cgroup: SessionCgroup | None,
    errlog: IO[bytes],
) -> Callable[[], None]:
    def teardown() -> None:
        try:
            assert proc.stdin and proc.stdout
            proc.stdin.close()
            killed = not wait_exit(proc, 2.0)
            if killed:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            if not killed and proc.returncode != 0:
                # Even with nothing on stderr: an agent killed by a signal says nothing.
                errlog.seek(0)
                tail = errlog.read()[-2000:].decode(errors="replace").strip()
                log.warning(
                    "sandbox: bwrap exited with %s: %s", proc.returncode, tail or "(no output)"
                )
        finally:
            errlog.close()
            if cgroup is not None:
                cgroup.destroy()

    return teardown


UNPRIVILEGED_NOTE = (
    "bwrap without root: one user namespace per run, learner code under the judge's "
    "own uid, rlimits instead of cgroups (memory capped per process, CPU counted "
    "once the run's processes are gone), workdir on the host's disk"
)


class _PerRunBwrap(LocalSandbox):
    """Unprivileged fallback: a user namespace per run, rlimits only, the same seccomp
    filter, size-capped /tmp and /dev/shm, and the session's banned modules hidden."""

    name = "bwrap"

    def __init__(self, bwrap: str, hidden: Sequence[HiddenPath] = ()) -> None:
        self._bwrap = bwrap
        self._hidden = list(hidden)
        self._tombstones: Path | None = None

    def session(
        self,
        files: Mapping[str, bytes] | None = None,
        *,
        hidden_modules: Sequence[str] = (),
        gpu: bool = False,
        hidden: Sequence[HiddenPath] | None = None,
        warm: Warm | None = None,
    ) -> LocalSession:
        if gpu:
            raise SandboxUnavailable("bwrap without root does not pass a GPU through")
        log.warning("sandbox: DEGRADED: %s", UNPRIVILEGED_NOTE)
        if hidden is None:
            hidden = hidden_paths(list(hidden_modules), get_settings().runtime_dir)
        box = _PerRunBwrap(self._bwrap, hidden)
        return _FallbackSession(box, files or {})

    def tombstone_dir(self) -> Path:
        """Host files that refuse to import, one per hidden module (bound read-only)."""
        if self._tombstones is None:
            self._tombstones = Path(tempfile.mkdtemp(prefix="gradebox-hide-"))
            for name in {h.module for h in self._hidden if h.is_dir}:
                (self._tombstones / f"{name}.py").write_text(tombstone_source(name))
        return self._tombstones

    def cleanup(self) -> None:
        if self._tombstones is not None:
            shutil.rmtree(self._tombstones, ignore_errors=True)
            self._tombstones = None

    def hide_options(self) -> list[str]:
        options: list[str] = []
        for entry in self._hidden:
            if not entry.is_dir:
                options += ["--ro-bind", "/dev/null", entry.path]
                continue
            tombstone = self.tombstone_dir() / f"{entry.module}.py"
            options += [
                "--size", str(HIDE_TMPFS_BYTES), "--perms", "0755", "--tmpfs", entry.path,
                "--ro-bind", str(tombstone), f"{entry.path}/__init__.py",
                "--remount-ro", entry.path,
            ]  # fmt: skip
        return options

    def wrap(self, spec: RunSpec, workdir: Path) -> tuple[list[str], str]:
        settings = get_settings()
        argv = [
            self._bwrap,
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--uid", str(NOBODY),
            "--gid", str(NOBODY),
            *system_binds(),
            *runtime_binds(settings.runtime_dir),
            *self.hide_options(),
            "--proc", "/proc",
            "--dev", "/dev",
            *scratch_tmpfs(settings),
            "--bind", str(workdir), "/work",
            "--chdir", "/work",
            "--clearenv",
        ]  # fmt: skip
        for key, value in self.environment(spec, workdir).items():
            argv += ["--setenv", key, value]
        return [*argv, "--", *spec.argv], str(workdir)

    def environment(self, spec: RunSpec, workdir: Path) -> dict[str, str]:
        return base_environment(spec)

    def execute(self, spec: RunSpec, workdir: Path) -> RunResult:
        argv, cwd = self.wrap(spec, workdir)
        program = build_filter()
        fds: list[int] = []
        if program is not None:
            seccomp_r, seccomp_w = os.pipe()
            os.write(seccomp_w, program)
            os.close(seccomp_w)
            fds.append(seccomp_r)
            split = argv.index("--")
            argv[split:split] = ["--seccomp", str(seccomp_r)]
        # Options through a pipe, as in the agent mode: bwrap is pid 1 of the run's
        # namespace and its command line (host paths) would show in /proc/1/cmdline.
        split = argv.index("--")
        args_r, args_w = os.pipe()
        os.write(args_w, b"".join(a.encode() + b"\0" for a in argv[1:split]))
        os.close(args_w)
        fds.append(args_r)
        argv = [argv[0], "--args", str(args_r), *argv[split:]]
        # RLIMIT_NPROC counts every process of the judge's uid: allow the run its
        # own `pids` on top of what the judge has now.
        nproc = own_process_count() + spec.limits.pids + 2
        try:
            raw = run_process(
                argv,
                stdin=spec.stdin,
                env=self.environment(spec, workdir),
                cwd=cwd,
                limits=spec.limits,
                preexec=rlimit_preexec(spec.limits, nproc=nproc),
                pass_fds=tuple(fds),
            )
        finally:
            for fd in fds:
                os.close(fd)
        return classify(raw, spec.limits)


class _FallbackSession(LocalSession):
    def __init__(self, sandbox: _PerRunBwrap, files: Mapping[str, bytes]) -> None:
        super().__init__(sandbox, files)
        self._box = sandbox

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._box.cleanup()


def own_process_count() -> int:
    uid = str(os.getuid())
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                status = Path(f"/proc/{entry}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("Uid:"):
                    count += line.split()[1] == uid
                    break
    return count


def _usable() -> bool:
    return shutil.which("bwrap") is not None and os.path.isdir("/usr")


register("bwrap", BwrapSandbox, _usable)
