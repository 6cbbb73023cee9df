"""Host side of the agent protocol (see `sandbox.agent` for the wire format, whose
framing, `encode_message` and `read_message`, the host reuses rather than copies).

The host never touches the sandbox's workdir: files go in and results come out
through this channel, so there is no path the learner could plant a symlink on.
Every read has a deadline from the host's own clock, so a hung or hostile sandbox
cannot hang the judge.
"""

from __future__ import annotations

import io
import os
import select
import time
from collections.abc import Mapping
from typing import Any, Protocol

from sandbox.agent import ProtocolError, encode_message, read_message
from sandbox.errors import SandboxError
from sandbox.process import RawOutcome
from sandbox.spec import Limits, RunSpec
from sandbox.workdir import check_name

# The agent enforces the wall limit itself; the host waits this much longer before
# declaring the sandbox broken.
HOST_GRACE_S = 10.0
START_TIMEOUT_S = 30.0


class ChannelBroken(SandboxError):
    """The agent vanished or broke the protocol; the session is unusable."""


class AgentTimeout(ChannelBroken):
    """The agent did not answer in time; the session is unusable."""


class Transport(Protocol):
    def send(self, data: bytes) -> None: ...

    def recv(self, n: int, deadline: float) -> bytes:
        """Up to `n` bytes, b"" at end of stream; raises AgentTimeout after `deadline`."""
        ...


class PipeTransport:
    def __init__(self, write_fd: int, read_fd: int) -> None:
        self._w = write_fd
        self._r = read_fd

    def send(self, data: bytes) -> None:
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self._w, view) :]
        except OSError as exc:
            raise ChannelBroken(f"sandbox agent is gone: {exc}") from exc

    def recv(self, n: int, deadline: float) -> bytes:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([self._r], [], [], remaining)[0]:
            raise AgentTimeout("sandbox agent did not answer in time")
        return os.read(self._r, n)


class AgentClient:
    def __init__(self, transport: Transport) -> None:
        self._t = transport
        self._inbound = _Inbound(transport)
        self._reader = io.BufferedReader(self._inbound, buffer_size=65536)
        self.info: dict[str, Any] = {}

    def handshake(self, timeout: float = START_TIMEOUT_S) -> dict[str, Any]:
        header, _ = self._receive(time.monotonic() + timeout)
        if header.get("op") != "ready":
            raise ChannelBroken(f"unexpected greeting from the sandbox agent: {header}")
        self.info = header
        return header

    def write_files(self, files: Mapping[str, bytes]) -> None:
        if not files:
            return
        names = [str(check_name(name)) for name in files]
        self._call({"op": "write", "names": names}, [bytes(files[n]) for n in files], 60.0)

    def run(self, spec: RunSpec, env: Mapping[str, str]) -> tuple[RawOutcome, bool]:
        """Run one process with exactly `env`; returns the outcome and whether the
        kernel OOM-killed it."""
        limits = spec.limits
        header = {
            "op": "run",
            "argv": list(spec.argv),
            "env": dict(env),
            "limits": limits_json(limits),
        }
        timeout = limits.wall_s + HOST_GRACE_S + len(spec.stdin) / 50e6
        reply, blobs = self._call(header, [spec.stdin], timeout)
        return outcome(reply, blobs)

    def warm(
        self,
        preload: list[str],
        hidden: list[str],
        env: Mapping[str, str],
        *,
        exec_only: bool = False,
    ) -> bool:
        """Ask the agent to start its fork server (`sandbox/zygote.py`); whether it did
        (an image without the file starts every test cold)."""
        header: dict[str, Any] = {
            "op": "warm",
            "preload": preload,
            "hidden": hidden,
            "env": dict(env),
        }
        if exec_only:
            header["exec_only"] = True
        reply, _ = self._call(header, [], 10.0)
        return bool(reply.get("warm"))

    def warm_ready(self, timeout: float) -> bool:
        """Wait up to `timeout` for the fork server's imports; whether it serves."""
        reply, _ = self._call({"op": "warm_ready", "timeout_s": timeout}, [], timeout + 10.0)
        return bool(reply.get("ready"))

    def send(self, header: dict[str, Any], blobs: list[bytes] = []) -> None:  # noqa: B006
        """One message, no reply awaited (streamed runs, `sandbox.stream`)."""
        self._t.send(encode_message(header, blobs))

    def receive(self, deadline: float) -> tuple[dict[str, Any], list[bytes]]:
        return self._receive(deadline)

    def exit(self, timeout: float = 5.0) -> None:
        self._call({"op": "exit"}, [], timeout)

    def _call(
        self, header: dict[str, Any], blobs: list[bytes], timeout: float
    ) -> tuple[dict[str, Any], list[bytes]]:
        self._t.send(encode_message(header, blobs))
        reply, out = self._receive(time.monotonic() + timeout)
        if not reply.get("ok"):
            raise SandboxError(f"sandbox agent: {reply.get('error', 'unknown error')}")
        return reply, out

    def _receive(self, deadline: float) -> tuple[dict[str, Any], list[bytes]]:
        self._inbound.deadline = deadline
        try:
            return read_message(self._reader)
        except ProtocolError as exc:
            raise ChannelBroken(f"sandbox agent broke the framing: {exc}") from exc
        except (TypeError, ValueError) as exc:
            raise ChannelBroken(f"malformed header from the sandbox agent: {exc}") from exc


class _Inbound(io.RawIOBase):
    """The transport as a blocking stream whose reads end at `deadline`, so the
    agent's own `read_message` frames the host's side too."""

    def __init__(self, transport: Transport) -> None:
        self._t = transport
        self.deadline = 0.0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._t.recv(len(buffer), self.deadline)
        memoryview(buffer).cast("B")[: len(chunk)] = chunk
        return len(chunk)


def outcome(reply: dict[str, Any], blobs: list[bytes]) -> tuple[RawOutcome, bool]:
    """A run reply as the outcome and whether the kernel OOM-killed the program."""
    try:
        if len(blobs) != 2:
            raise ValueError("wrong number of blobs")
        raw = RawOutcome(
            returncode=int(reply["returncode"]),
            stdout=blobs[0],
            stderr=blobs[1],
            wall_s=float(reply["wall_s"]),
            cpu_s=float(reply["cpu_s"]),
            peak_memory_kb=int(reply["peak_kb"]),
            timed_out=bool(reply["timed_out"]),
            output_exceeded=bool(reply["output_exceeded"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ChannelBroken(f"malformed run reply from the sandbox agent: {exc}") from None
    return raw, bool(reply.get("oom_killed", False))


def limits_json(limits: Limits) -> dict[str, Any]:
    return {
        "wall_s": limits.wall_s,
        "cpu_s": limits.cpu_s,
        "memory_mb": limits.memory_mb,
        "pids": limits.pids,
        "output_bytes": limits.output_bytes,
        "file_bytes": limits.file_bytes,
        "cpus": limits.cpus,
    }
