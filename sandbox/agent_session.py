"""A session backed by an agent inside one long-lived sandbox (bwrap or container).

Backends supply how to start the sandbox and how to tear it down; this class holds
the bookkeeping shared by all of them: write files, run, classify, close exactly
once (also when the sandbox broke, which closes the session for good).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence

from sandbox.channel import AgentClient, ChannelBroken
from sandbox.errors import SandboxError
from sandbox.process import classify
from sandbox.protocol import ClosesOnExit
from sandbox.settings import get_settings
from sandbox.spec import RunResult, RunSpec, Warm
from sandbox.stream import StreamedRun, start_stream


class AgentSession(ClosesOnExit):
    def __init__(
        self,
        client: AgentClient,
        teardown: Callable[[], None],
        environment: Callable[[RunSpec], dict[str, str]],
        files: Mapping[str, bytes] | None = None,
        *,
        graceful_exit: bool = True,
        ident: str = "",
        gpu: bool = False,
        warm: Warm | None = None,
        hidden_modules: Sequence[str] = (),
    ) -> None:
        self.id = ident  # the container name, or bwrap's host pid: for logs and tests
        self.gpu = gpu  # the sandbox was started with the GPU's device nodes
        self._client = client
        self._graceful_exit = graceful_exit
        self._environment = environment
        self._teardown = teardown
        self._closed = False
        self._lock = threading.Lock()  # one run at a time per session
        try:
            client.handshake()
            client.write_files(files or {})
            # Whether Python tests fork from a warm interpreter (else cold starts).
            self.warm = False
            if warm is not None and get_settings().warm:
                env = self._environment(RunSpec(argv=("python3",), env=dict(warm.env)))
                self.warm = client.warm(
                    list(warm.preload), list(hidden_modules), env, exec_only=warm.exec_only
                )
        except BaseException:
            self.close()
            raise

    @property
    def cgroup(self) -> str:
        """Which per-test cgroup support the agent found: v1, v2 or none."""
        return str(self._client.info.get("cgroup", "none"))

    def wait_warm(self, timeout: float = 120.0) -> bool:
        """Wait until the fork server has imported its preloads (a session started
        ahead, or a test that must run warm); whether it serves warm children."""
        with self._lock:
            if self._closed or not self.warm:
                return False
            try:
                return self._client.warm_ready(timeout)
            except ChannelBroken:
                self._close_locked(graceful=False)
                raise

    def add_files(self, files: Mapping[str, bytes]) -> None:
        """Write files into the workdir (a session started ahead of its submission)."""
        with self._lock:
            if self._closed:
                raise SandboxError("the sandbox session is closed")
            try:
                self._client.write_files(files)
            except ChannelBroken:
                self._close_locked(graceful=False)
                raise

    def run(self, spec: RunSpec) -> RunResult:
        with self._lock:
            if self._closed:
                raise SandboxError("the sandbox session is closed")
            if spec.gpu and not self.gpu:
                # Said loudly rather than running the program without its GPU.
                raise SandboxError("this sandbox session was started without a GPU")
            try:
                self._client.write_files(spec.files)
                raw, oom = self._client.run(spec, self._environment(spec))
            except ChannelBroken:
                self._close_locked(graceful=False)
                raise
        return classify(raw, spec.limits, oom_killed=oom)

    def stream(self, spec: RunSpec) -> StreamedRun:
        """Start `spec` with streamed stdio (`sandbox.stream`); the session runs
        nothing else until that run has ended."""
        self._lock.acquire()
        try:
            if self._closed:
                raise SandboxError("the sandbox session is closed")
            if spec.gpu:
                raise SandboxError("this sandbox backend does not pass GPUs through yet")
            self._client.write_files(spec.files)
            return start_stream(self._client, spec, self._environment(spec), self._end_stream)
        except ChannelBroken:
            self._close_locked(graceful=False)
            self._lock.release()
            raise
        except BaseException:
            self._lock.release()
            raise

    def _end_stream(self, broken: bool) -> None:
        if broken:
            self._close_locked(graceful=False)
        self._lock.release()

    def close(self) -> None:
        with self._lock:
            self._close_locked(graceful=self._graceful_exit)

    def _close_locked(self, *, graceful: bool) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if graceful:
                try:
                    self._client.exit()
                except SandboxError:
                    pass  # the teardown below removes it anyway
        finally:
            self._teardown()
