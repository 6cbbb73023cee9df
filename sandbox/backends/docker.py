"""Docker: one container per session from the Gradebox sandbox image.

The container runs the agent (`sandbox.agent`, baked into the image by
`scripts/build-images`), which starts each test as a fresh process with its own
rlimits, so a test costs a fork+exec inside a warm container instead of a
`docker exec` (70-85 ms). Hardening: `--network none`, read-only root, size-capped
tmpfs /work and /tmp, no host mounts at all (files travel over the agent channel),
`--cap-drop ALL` plus only CAP_SETUID/CAP_SETGID/CAP_KILL (and CAP_SYS_ADMIN, for each
test's PID namespace) for the agent, which drops
every test to an unprivileged uid of the session's own (`sandbox.uids`) with no
capabilities, `no-new-privileges`, pids, memory
(no swap) and CPU limits on the whole container. `GRADEBOX_DOCKER_RUNTIME=runsc`
runs it under gVisor. The container is removed on close, also after errors: its
channel is closed at once (the agent, its PID 1, exits, and the kernel ends what is
left in it), and dockerd's removal (about 100 ms) is left to a background thread
(`_removals`), off the grading's path; a process waits for its pending removals
when it exits.
"""

from __future__ import annotations

import atexit
import json
import logging
import posixpath
import queue
import select
import socket
import struct
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sandbox import gpu as gpu_passthrough
from sandbox.agent_bytecode import agent_argv as agent_launch
from sandbox.agent_session import AgentSession
from sandbox.channel import AgentClient, AgentTimeout, ChannelBroken
from sandbox.environment import sandbox_environment
from sandbox.errors import SandboxError, SandboxUnavailable
from sandbox.hiding import HiddenPath, entry_module, module_names
from sandbox.registry import register
from sandbox.seccomp import agent_isolation_args
from sandbox.settings import get_settings
from sandbox.spec import RunResult, RunSpec, Warm
from sandbox.uids import session_uid

log = logging.getLogger(__name__)

SANDBOX_PATH = "/usr/local/bin:/usr/bin:/bin"
LABEL = "org.gradebox.sandbox"
HIDEABLE_DIR = "/opt/gradebox/hideable"  # file modules the image keeps hideable
HIDE_TMPFS = "rw,noexec,nosuid,nodev,size=64k,mode=0755"


def agent_argv(uid: int, hidden: Sequence[HiddenPath] = (), *, gvisor: bool = False) -> list[str]:
    argv = [
        *agent_launch("/usr/bin/python3"),  # the image's bytecode (`sandbox/agent_bytecode.py`)
        "--uid", str(uid), "--gid", str(uid), "--workdir", "/work",
        # each test in its own PID namespace; the learner's seccomp filter on top of
        # Docker's (which allows unshare and mount once CAP_SYS_ADMIN is added)
        *agent_isolation_args(),
    ]  # fmt: skip
    if gvisor:
        argv.append("--sandbox-meminfo")  # no cgroupfs there; meminfo is the sandbox's
    for entry in hidden:
        argv += ["--tombstone", f"{entry.path}={entry.module}"]
    return argv


def container_hidden(found: list[dict[str, Any]], names: list[str]) -> list[HiddenPath]:
    """Folders to cover with an empty tmpfs for the entries `agent.py --find-modules`
    reported. A tmpfs mount is a folder: a file module can be hidden only where the
    image keeps it in a folder of its own under HIDEABLE_DIR, symlinked into place
    (scripts/build-images does that for `_ctypes`)."""
    hidden: dict[str, HiddenPath] = {}
    for entry in found:
        path, real = str(entry["path"]), str(entry["real"])
        module = entry_module(path, names)
        if entry["dir"]:
            hidden[path] = HiddenPath(path, True, module)
        elif real.startswith(HIDEABLE_DIR + "/"):
            folder = posixpath.dirname(real)
            hidden[folder] = HiddenPath(folder, True, module)
        else:
            raise SandboxError(
                f"cannot hide the module file {path} in the sandbox image: file modules "
                f"must live in their own folder under {HIDEABLE_DIR} (scripts/build-images)"
            )
    return list(hidden.values())


def base_environment(spec: RunSpec) -> dict[str, str]:
    return sandbox_environment(spec, SANDBOX_PATH)


class AttachTransport:
    """The container's stdin/stdout through Docker's attach stream.

    Without a TTY Docker multiplexes stdout and stderr: each chunk is preceded by an
    8-byte header (stream id, 3 zero bytes, big-endian length). Stdout carries the
    agent protocol; stderr (agent crashes) is kept for diagnostics.
    """

    _HDR = struct.Struct(">BxxxI")

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._raw = bytearray()
        self._stdout = bytearray()
        self.stderr = bytearray()

    def send(self, data: bytes) -> None:
        try:
            self._sock.sendall(data)
        except OSError as exc:
            raise ChannelBroken(f"sandbox container is gone: {exc}") from exc

    def recv(self, n: int, deadline: float) -> bytes:
        while not self._stdout:
            self._demux()
            if self._stdout:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._sock], [], [], remaining)[0]:
                raise AgentTimeout("sandbox agent did not answer in time")
            chunk = self._sock.recv(262144)
            if not chunk:
                return b""
            self._raw.extend(chunk)
        data = bytes(self._stdout[:n])
        del self._stdout[:n]
        return data

    def _demux(self) -> None:
        while len(self._raw) >= self._HDR.size:
            stream, size = self._HDR.unpack_from(self._raw)
            if len(self._raw) < self._HDR.size + size:
                return
            payload = self._raw[self._HDR.size : self._HDR.size + size]
            del self._raw[: self._HDR.size + size]
            if stream == 1:
                self._stdout.extend(payload)
            elif len(self.stderr) < 65536:
                self.stderr.extend(payload)

    def close(self) -> None:
        try:
            self._sock.close()
        except OSError:
            pass


class DockerSandbox:
    name = "docker"

    def __init__(self, runtime: str | None = None, image: str | None = None) -> None:
        settings = get_settings()
        self.runtime = runtime or settings.docker_runtime
        self.image = image or settings.docker_image
        self._client: Any = _client(timeout=60)
        self._found: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
        self._found_lock = threading.Lock()

    def run(self, spec: RunSpec) -> RunResult:
        with self.session() as session:
            return session.run(spec)

    def hidden_paths(self, modules: Sequence[str]) -> list[HiddenPath]:
        """Where the banned `modules` live in the image: asked once per image and set
        of names (a throw-away container running the agent's `--find-modules`)."""
        names = module_names(modules)
        if not names:
            return []
        try:
            image_id = str(self._client.images.get(self.image).id)
            key = (image_id, tuple(names))
            with self._found_lock:
                if key not in self._found:
                    self._found[key] = list(json.loads(self._find_modules(names)))
                found = self._found[key]
        except SandboxError:
            raise
        except Exception as exc:  # docker.errors.*, malformed output
            raise SandboxError(f"cannot find banned modules in the sandbox image: {exc}") from exc
        return container_hidden(found, names)

    def _find_modules(self, names: list[str]) -> bytes:
        """Run the agent's `--find-modules` in a throw-away container as hardened as a
        session's (labelled, capped, no network): judgehosts behind the Docker API proxy
        of `deploy/` may create nothing else."""
        settings = get_settings()
        mem = f"{settings.docker_memory_mb}m"
        container = self._client.containers.create(
            self.image,
            command=[*agent_launch("/usr/bin/python3"), "--find-modules", ",".join(names)],
            labels={LABEL: "1"},
            user="65534:65534",
            network_mode="none",
            read_only=True,
            tmpfs={"/tmp": f"rw,noexec,nosuid,nodev,size={settings.tmp_mb}m,mode=1777"},
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            pids_limit=settings.docker_pids,
            mem_limit=mem,
            memswap_limit=mem,
            ipc_mode="private",
            runtime=self.runtime,
        )
        try:
            container.start()
            status = container.wait(timeout=120)
            out = container.logs(stdout=True, stderr=False)
            if int(status.get("StatusCode", 1)) != 0:
                raise SandboxError(f"--find-modules exited with {status.get('StatusCode')}")
            return bytes(out)
        finally:
            container.remove(force=True)

    @property
    def supports_gpu(self) -> bool:
        """Device nodes on this host; the NVIDIA container runtime does the binding."""
        return gpu_passthrough.available()

    def session(
        self,
        files: Mapping[str, bytes] | None = None,
        *,
        hidden_modules: Sequence[str] = (),
        gpu: bool = False,
        warm: Warm | None = None,
    ) -> AgentSession:
        settings = get_settings()
        mem = f"{settings.docker_memory_mb}m"
        if gpu and not gpu_passthrough.available():
            raise SandboxUnavailable("no GPU on this host to pass into the container")
        extra: dict[str, Any] = (
            {"device_requests": gpu_passthrough.docker_device_requests()} if gpu else {}
        )
        hidden = self.hidden_paths(hidden_modules)
        tmpfs = {
            "/work": f"rw,exec,nosuid,nodev,size={settings.workdir_mb}m,mode=1777",
            "/tmp": f"rw,noexec,nosuid,nodev,size={settings.tmp_mb}m,mode=1777",
        }
        tmpfs.update({entry.path: HIDE_TMPFS for entry in hidden})
        try:
            container = self._client.containers.create(
                self.image,
                command=agent_argv(session_uid(), hidden, gvisor=self.runtime == "runsc"),
                name=f"gradebox-{uuid.uuid4().hex[:16]}",
                labels={LABEL: "1"},
                user="0:0",  # the agent; tests run unprivileged (see module docstring)
                working_dir="/work",
                environment={"PATH": SANDBOX_PATH},
                stdin_open=True,
                tty=False,
                network_mode="none",
                read_only=True,
                tmpfs=tmpfs,
                cap_drop=["ALL"],
                # SYS_ADMIN: a test's PID namespace and /proc (agent_isolation_args)
                cap_add=["SETUID", "SETGID", "KILL", "SYS_ADMIN"],
                security_opt=["no-new-privileges"],
                pids_limit=(
                    settings.docker_runsc_pids if self.runtime == "runsc" else settings.docker_pids
                ),
                mem_limit=mem,
                memswap_limit=mem,
                nano_cpus=int(settings.docker_cpus * 1e9),
                ipc_mode="private",
                shm_size=f"{settings.shm_mb}m",  # /dev/shm: capped, and counted as memory
                runtime=self.runtime,
                **extra,
            )
        except Exception as exc:  # docker.errors.* all derive from Exception
            raise SandboxError(f"cannot create the sandbox container: {exc}") from exc
        transport: AttachTransport | None = None

        def teardown() -> None:
            if transport is not None:
                transport.close()
            _removals.put(container)

        try:
            attached = container.attach_socket(
                params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
            )
            transport = AttachTransport(getattr(attached, "_sock", attached))
            container.start()
        except Exception as exc:
            teardown()
            raise SandboxError(f"cannot start the sandbox container: {exc}") from exc
        # No graceful exit: a container stopping by itself while being force-removed
        # makes the removal fail now and then; killing it outright does not.
        return AgentSession(
            AgentClient(transport),
            teardown,
            base_environment,
            files,
            graceful_exit=False,
            ident=str(container.name),
            gpu=gpu,
            warm=warm,
            hidden_modules=hidden_modules,
        )


class _Removals:
    """Containers to force-remove, one long-lived thread removing them in turn."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._pending = 0
        self._idle = threading.Condition()
        self._thread: threading.Thread | None = None

    def put(self, container: Any) -> None:
        with self._idle:
            self._pending += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="docker-removals", daemon=True
                )
                self._thread.start()
                atexit.register(self.wait)
        self._queue.put(container)

    def wait(self, timeout: float = 30.0) -> bool:
        """Until every container put so far is removed (False: `timeout` ran out)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def _work(self) -> None:
        while True:
            container = self._queue.get()
            try:
                _remove(container)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()


_removals = _Removals()


def wait_for_removals(timeout: float = 30.0) -> bool:
    """Whether every closed session's container is gone (waiting up to `timeout`)."""
    return _removals.wait(timeout)


def _remove(container: Any) -> None:
    """Force-remove, retrying: dockerd refuses now and then while a container stops."""
    import docker.errors

    for attempt in range(5):
        try:
            container.remove(force=True)
            return
        except docker.errors.NotFound:
            return
        except Exception as exc:  # noqa: BLE001 - retried, then reported
            if attempt == 4:
                log.warning("sandbox: cannot remove container %s: %s", container.name, exc)
                return
            time.sleep(0.2 * (attempt + 1))


def _client(timeout: float) -> Any:
    try:
        import docker
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise SandboxUnavailable("the docker Python package is not installed") from exc
    try:
        return docker.from_env(timeout=timeout)
    except Exception as exc:
        raise SandboxUnavailable(f"no Docker daemon: {exc}") from exc


def _usable() -> bool:
    """A daemon answers within the probe timeout and has the sandbox image."""
    settings = get_settings()
    try:
        client = _client(timeout=settings.docker_probe_timeout_s)
        client.ping()
        client.images.get(settings.docker_image)
    except Exception as exc:  # noqa: BLE001 - any failure means "not usable"
        log.debug("sandbox: docker not usable: %s", exc)
        return False
    return True


register("docker", DockerSandbox, _usable)
