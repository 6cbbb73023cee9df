"""Streamed runs, and two of them talking: the sandbox side of interactive problems.

A streamed run is a program in an agent session whose stdout reaches the host as it
is written and whose stdin the host feeds while it runs (agent op `stream`). Two
streamed runs in two sandboxes are joined by `run_pair`: what one writes is the
other's input, through the judge's own process (no pipe, file or socket is shared
between the sandboxes). Each side keeps its own limits, measured by its own agent;
when one side ends, the other's stdin is closed, and a wall-clock deadline on the
host ends everything, so a deadlock or a side that stops reading never hangs the
judge.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from sandbox.channel import HOST_GRACE_S, AgentClient, ChannelBroken, limits_json, outcome
from sandbox.errors import SandboxError
from sandbox.process import classify
from sandbox.spec import RunResult, RunSpec


class StreamedRun:
    """One program running with streamed stdio; use from at most one reader thread
    (`next_output`) plus any number of writers (`feed`, `close_stdin`, `kill`)."""

    def __init__(self, client: AgentClient, spec: RunSpec, release: Callable[[bool], None]) -> None:
        self._client = client
        self._spec = spec
        self._release = release
        self._send_lock = threading.Lock()
        self._done = False
        self.result: RunResult | None = None
        self.deadline = time.monotonic() + spec.limits.wall_s + HOST_GRACE_S

    def feed(self, data: bytes) -> None:
        self._send({"op": "in"}, [data])

    def close_stdin(self) -> None:
        self._send({"op": "close"})

    def kill(self) -> None:
        self._send({"op": "kill"})

    def next_output(self) -> bytes | None:
        """The next chunk of stdout, or None once the program has ended (`result`)."""
        if self._done:
            return None
        try:
            header, blobs = self._client.receive(self.deadline)
        except BaseException:
            self._finish(None, broken=True)
            raise
        if header.get("op") == "out" and len(blobs) == 1:
            return blobs[0]
        if not header.get("ok"):
            # An agent that cannot stream (an old image) answers each message with an
            # error: the channel is out of step, so the session ends for good.
            self._finish(None, broken=True)
            raise SandboxError(f"sandbox agent: {header.get('error', 'unknown error')}")
        try:
            raw, oom = outcome(header, blobs)
        except ChannelBroken:
            self._finish(None, broken=True)
            raise
        self._finish(classify(raw, self._spec.limits, oom_killed=oom))
        return None

    def _send(self, header: dict[str, object], blobs: list[bytes] = []) -> None:  # noqa: B006
        with self._send_lock:
            if self._done:
                return  # the program has ended; the agent drops late input anyway
            try:
                self._client.send(dict(header), blobs)
            except ChannelBroken:
                pass  # the reader sees the broken channel and reports it

    def _finish(self, result: RunResult | None, *, broken: bool = False) -> None:
        with self._send_lock:
            if not self._done:
                self._done = True
                self.result = result
                self._release(broken)


def start_stream(
    client: AgentClient, spec: RunSpec, env: dict[str, str], release: Callable[[bool], None]
) -> StreamedRun:
    """Send the `stream` request; `release(broken)` is called once the run has ended."""
    header = {
        "op": "stream",
        "argv": list(spec.argv),
        "env": env,
        "limits": limits_json(spec.limits),
    }
    client.send(header)
    return StreamedRun(client, spec, release)


@runtime_checkable
class StreamingSession(Protocol):
    def stream(self, spec: RunSpec) -> StreamedRun:
        """Start `spec` with streamed stdio (its `stdin` field is ignored)."""
        ...


@dataclass(frozen=True)
class PairOutcome:
    first: RunResult  # the side that `run_pair` calls first
    second: RunResult
    first_ended_first: bool  # which side ended before the other


def run_pair(
    first: tuple[StreamingSession, RunSpec],
    second: tuple[StreamingSession, RunSpec],
    *,
    stop_first_when: Callable[[RunResult], bool] = lambda result: False,
) -> PairOutcome:
    """Run two programs with each one's stdout as the other's stdin.

    When the second ends, the first's stdin is closed, and the first is killed at
    once if `stop_first_when(second's result)` (an interactor that has rejected: the
    learner's later fate cannot change the verdict). When the first ends, the
    second's stdin is closed and it runs to its own end.
    """
    a = first[0].stream(first[1])
    try:
        b = second[0].stream(second[1])
    except BaseException:
        a.kill()
        _drain(a)
        raise
    order: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def pump(src: StreamedRun, dst: StreamedRun, name: str) -> None:
        try:
            while (chunk := src.next_output()) is not None:
                dst.feed(chunk)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            errors.append(exc)
        finally:
            with lock:
                order.append(name)
            dst.close_stdin()
            if name == "second" and (src.result is None or stop_first_when(src.result)):
                dst.kill()
            if name == "first" and src.result is None:
                dst.kill()

    threads = [
        threading.Thread(target=pump, args=(a, b, "first"), daemon=True),
        threading.Thread(target=pump, args=(b, a, "second"), daemon=True),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    assert a.result is not None and b.result is not None
    return PairOutcome(first=a.result, second=b.result, first_ended_first=order[0] == "first")


def _drain(run: StreamedRun) -> None:
    try:
        while run.next_output() is not None:
            pass
    except SandboxError:
        pass
