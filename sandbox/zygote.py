"""The fork server ("zygote"): warm Python interpreters for a session's tests.

A Python test spends most of its start-up importing: the interpreter's own start
(site, encodings), then NumPy or torch. The agent (`sandbox/agent.py`) can start,
once per session, one clean interpreter that has done all of that and never runs
learner code itself; each test's process is then forked from it instead of
exec'd, and goes through the same set-up as a cold start before running the
program in-process (a fresh `__main__`) instead of exec:

    agent (root, the supervisor) --spawn--> fork server (root, this file)
        fork server -> fork -> fork: the test child; the middle process exits, so
        the child is re-parented to the agent (its subreaper), which then waits
        for it, measures it and kills it exactly as it does a cold child.

The child's set-up calls the agent's own functions (`attach_child`,
`apply_test_limits`, `drop_to_learner`: stdio, cgroup, rlimits, learner uid), so a
step added there applies to both paths. no_new_privs and the sandbox's seccomp
filter are inherited (the agent sets the first before it execs this file).
A request that does not fit a warm run (not `python3 SCRIPT ...`, or with an
environment that acts at interpreter start-up different from ours) is exec'd
by the same child after the same set-up: a cold start.

What the server imports is reachable by learner code through `sys.modules`, so
it preloads nothing the session hides (a banned module is absent from the view,
and a preloaded one would bypass that): it refuses such a request, and checks
after its imports that no hidden module got in and that no thread was started
(fork copies only the calling thread).

This file is copied next to `agent.py` in the sandbox; run as
`python3 zygote.py PRELOAD HIDDEN` (comma-separated module names) with the agent's
socket (AF_UNIX, SOCK_SEQPACKET) on fd 3. Standard library only at import.
The agent's side of the socket is `ForkServer` below.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys
import time

# What this file imports, every warm test holds (and the server's start pays for):
# no `dataclasses` (`inspect` and the rest), no `typing` (as in `agent.py`).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from types import ModuleType
    from typing import Any

SOCKET_FD = 3
# `_become_test`'s answer for `python3 -m NAME`: MODULE + NAME (a path has no NUL).
MODULE = "\0module:"
# Taken before any learner code runs: a program that replaces `os._exit` must not
# keep its warm test alive past its end (a cold one ends with its interpreter).
_EXIT = os._exit
AGENT_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "agent.py")
# Environment variables that act when the interpreter starts or a library is
# imported (hash seed, stdio encoding, thread pools): a warm run needs the same
# values as the server had, or it is started cold.
STARTUP_ENV_PREFIXES = ("PYTHON", "OMP_", "OPENBLAS_", "MKL_", "TORCH_", "KMP_")
# Applied per child instead (sys.dont_write_bytecode).
PER_RUN_ENV = frozenset({"PYTHONDONTWRITEBYTECODE"})
INTERPRETERS = frozenset({"python3", "python"})
# A cold test is exec'd with a real gid other than its effective one (not dumpable),
# a secure exec in which glibc drops these from the environment: so does a warm one.
# (gVisor execs without that rule: there a cold test keeps them, a warm one not.)
SECURE_EXEC_UNSET = frozenset(
    {
        "GCONV_PATH", "GETCONF_DIR", "HOSTALIASES", "LD_AUDIT", "LD_DEBUG", "LD_DEBUG_OUTPUT",
        "LD_DYNAMIC_WEAK", "LD_HWCAP_MASK", "LD_LIBRARY_PATH", "LD_ORIGIN_PATH", "LD_PRELOAD",
        "LD_PROFILE", "LD_SHOW_AUXV", "LD_USE_LOAD_BIAS", "LOCALDOMAIN", "LOCPATH",
        "MALLOC_TRACE", "NIS_PATH", "NLSPATH", "RESOLV_HOST_CONF", "RES_OPTIONS", "TMPDIR",
        "TZDIR", "GLIBC_TUNABLES",
    }
)  # fmt: skip
_MAX_MESSAGE = 1 << 20
# The agent's own copy of ctypes (agent.PRIVATE_DIR), which a sealed server covers.
PRIVATE_DIR = "/opt/gradebox/private"
SEALED = "sealed"


def refused_preloads(preload: Sequence[str], hidden: Sequence[str]) -> list[str]:
    """Preloads the session hides (a module or a submodule of one)."""
    banned = set(hidden)
    return [name for name in preload if name.split(".")[0] in banned]


def startup_env(env: Mapping[str, str]) -> dict[str, str]:
    return {
        k: v for k, v in env.items() if k.startswith(STARTUP_ENV_PREFIXES) and k not in PER_RUN_ENV
    }


def warm_script(argv: Sequence[str], env: Mapping[str, str], own_env: Mapping[str, str]) -> bool:
    """Whether `argv` is `python3 SCRIPT [ARGS]` or `python3 -m MODULE [ARGS]` (a
    language's syntax check: `-m py_compile`) with our start-up environment."""
    if len(argv) < 2 or argv[0] not in INTERPRETERS:
        return False
    target = argv[2] if argv[1] == "-m" and len(argv) > 2 else argv[1]
    if target.startswith("-"):
        return False
    return startup_env(env) == startup_env(own_env)


# ---------------------------------------------------------------- server side


class _Task:
    """What the test child got from the agent: its pipes and cgroup directories."""

    __slots__ = ("fds", "request")

    def __init__(self, fds: list[int], request: dict[str, Any]) -> None:
        self.fds, self.request = fds, request


def _own_threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def _no_new_privs() -> bool:
    """As /proc says (gVisor's does not say: there the agent's prctl, which must
    succeed before this file is exec'd, stands alone; nor can it always be read
    there: gVisor's mount namespaces are not private, so /proc may be a test's, in
    which this process does not exist)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("NoNewPrivs:"):
                    return line.split()[1] == "1"
    except OSError:
        pass
    return True


def mapped_hidden(hidden: Sequence[str]) -> list[str]:
    """Extension modules of `hidden` mapped into this process: loaded once, they stay
    loadable from the interpreter's extension cache whatever sys.modules says. With
    ctypes hidden, libffi too (what any FFI under another name would load)."""
    found: set[str] = set()
    try:
        with open("/proc/self/maps") as fh:
            for line in fh:
                base = line.rstrip("\n").rsplit("/", 1)[-1]
                found.update(n for n in hidden if base.startswith(n + ".") and ".so" in base)
                if "ctypes" in hidden and base.startswith("libffi."):
                    found.add(base)
    except OSError:
        return ["(no /proc/self/maps to check)"]
    return sorted(found)


def _status_field(name: str) -> str | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(name + ":"):
                    return line.split()[1]
    except OSError:
        pass
    return None


def sealed_problem(hidden: Sequence[str], private_dir: str) -> str | None:
    """Why a sealed server (its session hides ctypes; `agent.seal_fork_server`) must
    not serve: its tests inherit its memory, its filter and its view."""
    mapped = mapped_hidden(hidden)
    if mapped:
        return f"the fork server holds hidden extension module(s) {', '.join(mapped)}"
    if _status_field("Seccomp") != "2":
        return "the sealed fork server has no seccomp filter"
    try:
        if os.listdir(private_dir):
            return f"the sealed fork server can read {private_dir}"
    except OSError:
        pass
    return None


def preload_modules(
    preload: Sequence[str], hidden: Sequence[str], *, sealed: bool = False
) -> str | None:
    """Import `preload`; None, or why this server must not serve warm children."""
    refused = refused_preloads(preload, hidden)
    if refused:
        return f"refusing to preload {', '.join(refused)}: the session hides it"
    if not _no_new_privs():
        return "the fork server was started without no_new_privs"
    import importlib
    import importlib.machinery  # noqa: F401  (every warm child's __main__ has a loader)

    for name in preload:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - any failure means cold starts
            return f"cannot preload {name}: {type(exc).__name__}: {exc}"
    leaked = sorted({n.split(".")[0] for n in sys.modules} & set(hidden))
    if leaked:
        return f"preloading imported hidden module(s) {', '.join(leaked)}"
    if _own_threads() != 1:
        return "preloading started threads (a fork would copy only one)"
    if sealed:
        return sealed_problem(hidden, PRIVATE_DIR)
    return None


def _load_agent() -> ModuleType:
    """The agent's file as a module (its child set-up functions), without running it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gradebox_agent", AGENT_FILE)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {AGENT_FILE}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (as an import leaves it)
    spec.loader.exec_module(module)
    return module


def _serve(sock: socket.socket) -> _Task | None:
    """Fork a test child per request; returns in that child only (None: the agent
    closed the socket)."""
    while True:
        try:
            msg, fds, _, _ = socket.recv_fds(sock, _MAX_MESSAGE, 4)
        except OSError:
            return None
        if not msg:
            return None
        request = json.loads(msg)
        report_r, report_w = os.pipe()
        middle = os.fork()
        if middle == 0:
            os.close(report_r)
            child = os.fork()
            if child == 0:
                os.close(report_w)
                return _Task(fds, request)
            os.write(report_w, str(child).encode())
            os._exit(0)
        os.close(report_w)
        for fd in fds:
            os.close(fd)
        data = b""
        while chunk := os.read(report_r, 64):
            data += chunk
        os.close(report_r)
        # Once the middle process is gone, the child is the agent's (its subreaper).
        os.waitpid(middle, 0)
        sock.send(json.dumps({"pid": int(data) if data else None}).encode())


def _become_test(
    task: _Task, agent: ModuleType, own_env: Mapping[str, str], *, sealed: bool = False
) -> str:
    """The cold start's set-up, then a fresh interpreter's state; returns the script
    to run, or `MODULE` and the module's name (or execs the program when it does not
    fit a warm run)."""
    argv: list[str] = ["?"]
    try:
        ctl_r, in_r, out_w, err_w = task.fds
        seccomp = bytes.fromhex(task.request.get("seccomp", ""))
        if sealed and (seccomp or task.request.get("pid_namespace")):
            # A sealed server's children inherit its filter and its /proc; they
            # never load ctypes, which their session hides.
            raise OSError("a sealed fork server loads no ctypes")
        # Only asked for where the session keeps ctypes (the agent starts no fork
        # server otherwise): the learner could import it anyway.
        libc = None
        if task.request.get("pid_namespace") or seccomp:
            libc = agent.load_ctypes().CDLL(None, use_errno=True)
        req = agent.attach_child(
            ctl_r,
            task.request["cg"],
            (in_r, out_w, err_w),
            namespace_libc=libc if task.request.get("pid_namespace") else None,
        )
        argv, env, limits = req["argv"], req["env"], req["limits"]
        agent.apply_test_limits(limits, per_test_cgroup=bool(task.request["per_test_cgroup"]))
        agent.drop_to_learner(task.request["uid"], task.request["gid"], task.request["workdir"])
        if seccomp:
            agent.install_seccomp(libc, seccomp)
        if not warm_script(argv, env, own_env):
            os.execvpe(argv[0], argv, env)
        # As a fresh interpreter leaves them (Python ignores both at start-up).
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        os.environ.clear()
        os.environ.update({k: v for k, v in env.items() if k not in SECURE_EXEC_UNSET})
        sys.dont_write_bytecode = bool(env.get("PYTHONDONTWRITEBYTECODE"))
        sys.orig_argv = [sys.executable, *argv[1:]]
        if argv[1] == "-m":
            # As `python3 -m`: the working directory first on the path, argv[0]
            # "-m" until runpy puts the module's file there.
            target = MODULE + argv[2]
            sys.argv = ["-m", *argv[3:]]
            sys.path[0] = os.getcwd()
        else:
            target = os.path.abspath(argv[1])  # __main__.__file__, as Python 3.9+ has it
            sys.argv = list(argv[1:])
            sys.path[0] = os.path.dirname(target)
        for name in [n for n in sys.modules if n == "gradebox_agent"]:
            del sys.modules[name]
        _reseed()
        return target
    except BaseException as exc:  # noqa: BLE001 - report anything, then die
        agent.child_failed(argv, exc)
        raise  # not reached: child_failed exits


def _reseed() -> None:
    """Generators seeded at import would repeat in every child; `random` reseeds
    itself at fork. NumPy's legacy global generator does not."""
    np_random = sys.modules.get("numpy.random")
    if np_random is not None:
        np_random.seed()


def _run_script(path: str) -> int:
    """`python3 path` (or `python3 -m NAME`, `path` being `MODULE` + NAME) in this
    process: a fresh `__main__` (absolute `__file__`, argv untouched), exit code and
    uncaught exceptions as a cold interpreter reports them (the traceback starts at
    the program, or at runpy's frames as there)."""
    import builtins
    import importlib.machinery
    import types

    main = types.ModuleType("__main__")
    main.__builtins__ = builtins  # type: ignore[attr-defined]
    main.__annotations__ = {}
    sys.modules["__main__"] = main
    if path.startswith(MODULE):
        import runpy

        # Into the fresh __main__'s namespace, as the interpreter's own -m does.
        name = path[len(MODULE) :]
        return _outcome(lambda: runpy._run_module_as_main(name))  # type: ignore[attr-defined]
    main.__file__ = path
    main.__loader__ = importlib.machinery.SourceFileLoader("__main__", path)
    main.__spec__ = None
    main.__cached__ = None  # type: ignore[attr-defined]
    try:
        with open(path, "rb") as fh:
            source = fh.read()
    except OSError as exc:
        message = f"[Errno {exc.errno}] {exc.strerror}"
        print(f"python3: can't open file {path!r}: {message}", file=sys.stderr)
        return 2
    return _outcome(lambda: exec(compile(source, path, "exec", dont_inherit=True), main.__dict__))


def _outcome(run: Callable[[], object]) -> int:
    """`run()`'s exit status, as the interpreter makes it of an uncaught exception."""
    try:
        run()
    except SystemExit as exc:
        return _exit_status(exc)
    except BaseException as exc:  # noqa: BLE001 - what an interpreter would print
        tb = exc.__traceback__
        while tb is not None and _is_ours(tb.tb_frame.f_code.co_filename):
            tb = tb.tb_next
        sys.excepthook(type(exc), exc.with_traceback(tb), tb)
        return 1
    return 0


def _exit_status(exc: SystemExit) -> int:
    """What the interpreter makes of an uncaught SystemExit."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    try:
        print(exc.code, file=sys.stderr)
    except Exception:  # noqa: BLE001 - as the interpreter: the status stays 1
        pass
    return 1


def _finish(status: int) -> None:
    """A cold interpreter's end without its teardown: non-daemon threads joined,
    atexit handlers run, stdio flushed (a failed stdout flush is status 120, as
    there), then _exit. Tearing down the modules and collecting every object would
    touch (and copy) every page shared with the fork server."""
    threading = sys.modules.get("threading")
    try:
        if threading is not None:
            threading._shutdown()
    except BaseException:  # noqa: BLE001 - a KeyboardInterrupt there ends the wait
        pass
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except Exception:  # noqa: BLE001
            if stream is sys.stdout:
                status = 120
    _EXIT(status & 0xFF)


def _is_ours(filename: str) -> bool:
    return filename == os.path.abspath(__file__)


def main(argv: list[str]) -> int:
    preload = [n for n in (argv[1] if len(argv) > 1 else "").split(",") if n]
    hidden = [n for n in (argv[2] if len(argv) > 2 else "").split(",") if n]
    sealed = len(argv) > 3 and argv[3] == SEALED
    sock = socket.socket(fileno=SOCKET_FD)
    own_env = dict(os.environ)
    try:
        agent = _load_agent()
        problem = preload_modules(preload, hidden, sealed=sealed)
    except Exception as exc:  # noqa: BLE001 - told to the agent, which runs cold
        problem = f"{type(exc).__name__}: {exc}"
    sock.send(json.dumps({"ready": problem is None, "error": problem}).encode())
    if problem is not None:
        return 1
    # (No gc.freeze(): frozen objects would be missing from gc.get_objects() in the
    # child, which a cold start shows.)
    task = _serve(sock)
    if task is None:
        return 0
    sock.detach()  # fd 3 is the child's control pipe now: never close it on GC
    script = _become_test(task, agent, own_env, sealed=sealed)
    del task, agent, sock
    _finish(_run_script(script))
    return 0  # not reached


# ---------------------------------------------------------------- agent side


class ForkServer:
    """The agent's handle on its fork server: start it, wait until it has imported
    what it preloads, ask it for test children."""

    def __init__(self, pid: int, sock: socket.socket, env: Mapping[str, str]) -> None:
        self.pid = pid
        self._sock = sock
        self._env = dict(env)
        self._ready: bool | None = None
        self.error: str | None = None

    @classmethod
    def start(
        cls,
        preload: Sequence[str],
        hidden: Sequence[str],
        env: Mapping[str, str],
        before_exec: Callable[[], None],
        *,
        sealed: bool = False,
    ) -> ForkServer:
        """Fork and exec `python3 zygote.py` (PATH of `env`: the learner's runtime).
        `before_exec` runs in the child as root (no_new_privs, non-dumpable; for a
        `sealed` server, `agent.seal_fork_server`)."""
        refused = refused_preloads(preload, hidden)
        if refused:
            raise ValueError(f"refusing to preload {', '.join(refused)}: the session hides it")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        argv = ["python3", os.path.abspath(__file__), ",".join(preload), ",".join(hidden)]
        argv += [SEALED] if sealed else []
        pid = os.fork()
        if pid == 0:  # pragma: no cover - execs or exits
            try:
                os.dup2(theirs.fileno(), SOCKET_FD)
                devnull = os.open(os.devnull, os.O_RDWR)
                os.dup2(devnull, 0)
                os.dup2(devnull, 1)
                os.closerange(SOCKET_FD + 1, 65536)
                os.chdir("/")
                before_exec()
                os.execvpe(argv[0], argv, dict(env))
            except BaseException as exc:  # noqa: BLE001
                os.write(2, f"gradebox-agent: cannot start the fork server: {exc}\n".encode())
            os._exit(127)
        theirs.close()
        return cls(pid, ours, env)

    def fits(self, argv: Sequence[str], env: Mapping[str, str]) -> bool:
        """Whether a run would be warm (else its child execs it: a cold start)."""
        return warm_script(argv, env, self._env)

    def ready(self, timeout: float = 0.0) -> bool:
        """Whether it serves warm children now, waiting up to `timeout` for its
        preloads; False while they are still importing or for good (`failed`)."""
        if self._ready is None:
            try:
                reply = self._receive(timeout)
            except OSError as exc:
                self._ready, self.error = False, f"the fork server did not start ({exc})"
                return False
            if reply is None:
                return False  # still importing
            self._ready = bool(reply.get("ready"))
            if not self._ready:
                self.error = str(reply.get("error"))
        return self._ready

    @property
    def failed(self) -> bool:
        return self._ready is False

    def spawn(self, fds: Sequence[int], request: dict[str, Any]) -> None:
        """Ask for a test child holding `fds` (control, stdin, stdout, stderr), blocked
        on its control pipe like the agent's own spares; it is the agent's child. The
        fds travel with the message, so the caller may close its copies at once; the
        fork happens while the agent does other work, and `spawned` collects its pid."""
        socket.send_fds(self._sock, [json.dumps(request).encode()], list(fds))

    def spawned(self, timeout: float = 30.0) -> int:
        """The pid of the oldest child asked for and not yet collected (the server
        forks in the order asked); OSError when none came."""
        reply = self._receive(timeout)  # (OSError: the server is gone)
        if reply is None or not isinstance(reply.get("pid"), int):
            raise OSError("the fork server did not fork a child")
        pid: int = reply["pid"]
        return pid

    def _receive(self, timeout: float) -> dict[str, Any] | None:
        """The next reply; None when none came in `timeout`, OSError when the
        server closed its end."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = max(0.0, deadline - time.monotonic())
            try:
                readable, _, _ = select.select([self._sock], [], [], remaining)
            except InterruptedError:
                continue
            if readable:
                break
            if remaining <= 0:
                return None
        data = self._sock.recv(_MAX_MESSAGE)
        if not data:
            raise OSError("the fork server closed its socket")
        reply: dict[str, Any] = json.loads(data)
        return reply

    def close(self) -> None:
        self._sock.close()
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


if __name__ == "__main__":
    sys.exit(main(sys.argv))
