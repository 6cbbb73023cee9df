"""A restricted Docker API for judgehost containers: only hardened sandbox containers.

Why: a judgehost that mounts the host's Docker socket is root on the host (it could
start a privileged container, or bind-mount `/`). The judgehost only ever needs to start
the sandbox image with the hardened settings of `sandbox.backends.docker`, attach to it
and remove it, so this proxy holds the socket and lets exactly that through:

- `GET /_ping`, `GET /version`, `GET /info` (client handshakes);
- `GET /images/<the sandbox image>/json`;
- `POST /containers/create` when the body asks for an allowed image and runtime, no
  privileges, no host mounts or devices, no host namespaces, network `none`, a read-only
  root, `CapDrop: ALL`, `no-new-privileges`, memory and pids limits, and at most the
  capabilities the session agent needs (SETUID, SETGID, KILL, and SYS_ADMIN for each
  test's PID namespace and /proc: docs/sandbox.md; learner code never holds it);
- `GET .../json`, `POST .../attach|start|wait|kill`, `DELETE` on a container that
  carries the sandbox label and runs an allowed image.

Everything else is refused with 403 before it reaches the daemon. One request per
client connection (the upstream request is sent with `Connection: close`), so nothing
can be smuggled after a checked request; an attach is spliced both ways after the
upgrade. Standard library only: it runs in its own small image (deploy/dockerproxy.Dockerfile).

Usage: python3 docker_proxy.py --listen 0.0.0.0:2375 --upstream /var/run/docker.sock
       --image gradebox-sandbox:latest [--runtime runc --runtime runsc] [--allow-gpu]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import re
import signal
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

log = logging.getLogger("gradebox.docker-proxy")

SANDBOX_LABEL = "org.gradebox.sandbox"  # the label sandbox.backends.docker sets
AGENT_CAPS = frozenset({"SETUID", "SETGID", "KILL", "SYS_ADMIN"})
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 1024 * 1024
_VERSION = r"(?:/v[0-9]+\.[0-9]+)?"
_ID = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}"
_CONTAINER_OPS = {
    ("GET", "json"),
    ("POST", "attach"),
    ("POST", "start"),
    ("POST", "wait"),
    ("GET", "logs"),
    ("POST", "kill"),
    ("DELETE", ""),
}


class Refused(Exception):
    """The request is outside the policy; the message says which rule."""


@dataclass(frozen=True)
class Policy:
    images: frozenset[str]
    runtimes: frozenset[str] = frozenset({"runc"})
    allow_gpu: bool = False
    max_memory_bytes: int = 16 << 30
    max_pids: int = 8192


@dataclass
class Request:
    method: str
    target: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    @property
    def path(self) -> str:
        return unquote(urlsplit(self.target).path)

    def header(self, name: str) -> str:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return ""


def _image_name(image: str) -> str:
    """`name:tag` as given; a bare name means `:latest` (digests are refused)."""
    if "@" in image:
        raise Refused("images by digest are not allowed")
    last = image.rsplit("/", 1)[-1]
    return image if ":" in last else f"{image}:latest"


def check_create(body: dict[str, Any], policy: Policy) -> None:
    """Refuse a container that is anything but a hardened sandbox (see module docstring)."""
    image = _image_name(str(body.get("Image", "")))
    if image not in {_image_name(i) for i in policy.images}:
        raise Refused(f"image {image!r} is not the sandbox image")
    if (body.get("Labels") or {}).get(SANDBOX_LABEL) != "1":
        raise Refused(f"the container must carry the {SANDBOX_LABEL} label")
    if body.get("Volumes"):
        raise Refused("volumes are not allowed")
    if body.get("NetworkingConfig"):
        raise Refused("network endpoints are not allowed")
    if body.get("ExposedPorts"):
        raise Refused("exposed ports are not allowed")
    host = body.get("HostConfig") or {}
    allowed_keys = {
        "NetworkMode", "ReadonlyRootfs", "Tmpfs", "CapDrop", "CapAdd", "SecurityOpt",
        "PidsLimit", "Memory", "MemorySwap", "NanoCpus", "IpcMode", "Runtime", "Privileged",
        "Init", "LogConfig", "DeviceRequests", "ShmSize", "Ulimits",
    }  # fmt: skip
    for key, value in host.items():
        if key not in allowed_keys and value not in (None, "", [], {}, 0, False):
            raise Refused(f"HostConfig.{key} is not allowed")
    if host.get("Privileged"):
        raise Refused("privileged containers are not allowed")
    if host.get("NetworkMode") != "none":
        raise Refused("the sandbox's network must be 'none'")
    if host.get("ReadonlyRootfs") is not True:
        raise Refused("the sandbox's root must be read-only")
    if host.get("IpcMode") not in ("private", "none"):
        raise Refused("the sandbox's IPC namespace must be private")
    if [c.upper() for c in host.get("CapDrop") or []] != ["ALL"]:
        raise Refused("the sandbox must drop all capabilities (CapDrop: ALL)")
    added = {c.upper().removeprefix("CAP_") for c in host.get("CapAdd") or []}
    if not added <= AGENT_CAPS:
        raise Refused(f"capabilities {sorted(added - AGENT_CAPS)} are not allowed")
    security = host.get("SecurityOpt") or []
    if not any(opt in ("no-new-privileges", "no-new-privileges:true") for opt in security):
        raise Refused("the sandbox needs no-new-privileges")
    for opt in security:
        if opt not in ("no-new-privileges", "no-new-privileges:true"):
            raise Refused(f"security option {opt!r} is not allowed")
    for path, options in (host.get("Tmpfs") or {}).items():
        # /work and /tmp, plus the small noexec mounts that hide a problem's banned
        # modules (`sandbox.hiding`): a tmpfs shows nothing of the host wherever it is.
        sized = "size=" in options
        hides = path.startswith("/") and ".." not in path.split("/") and "noexec" in options
        if not sized or not (path in ("/work", "/tmp") or hides):
            raise Refused(
                f"tmpfs {path!r} is not allowed (/work and /tmp, or noexec hiding mounts, "
                "with a size)"
            )
    memory = int(host.get("Memory") or 0)
    if not 0 < memory <= policy.max_memory_bytes:
        raise Refused("the sandbox needs a memory limit")
    pids = int(host.get("PidsLimit") or 0)
    if not 0 < pids <= policy.max_pids:
        raise Refused("the sandbox needs a pids limit")
    runtime = host.get("Runtime") or "runc"
    if runtime not in policy.runtimes:
        raise Refused(f"runtime {runtime!r} is not allowed")
    for request in host.get("DeviceRequests") or []:
        if not policy.allow_gpu or ["gpu"] not in (request.get("Capabilities") or []):
            raise Refused("device requests are not allowed (GPU only, with --allow-gpu)")


class Proxy:
    def __init__(self, upstream: str, policy: Policy) -> None:
        self.upstream = upstream
        self.policy = policy

    async def _upstream_json(self, method: str, path: str) -> tuple[int, Any]:
        reader, writer = await asyncio.open_unix_connection(self.upstream)
        try:
            writer.write(
                f"{method} {path} HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n".encode()
            )
            await writer.drain()
            raw = await reader.read()
        finally:
            writer.close()
        head, _, body = raw.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        if b"transfer-encoding: chunked" in head.lower():
            body = _dechunk(body)
        try:
            return status, json.loads(body or b"null")
        except ValueError:
            return status, None

    async def authorise(self, request: Request) -> None:
        method, path = request.method, request.path
        if method in ("GET", "HEAD") and re.fullmatch(_VERSION + r"/(_ping|version|info)", path):
            return
        match = re.fullmatch(_VERSION + r"/images/(.+)/json", path)
        if method == "GET" and match:
            if _image_name(match.group(1)) not in {_image_name(i) for i in self.policy.images}:
                raise Refused("only the sandbox image may be inspected")
            return
        if method == "POST" and re.fullmatch(_VERSION + r"/containers/create", path):
            if request.header("Transfer-Encoding"):
                raise Refused("chunked bodies are not accepted")
            try:
                body = json.loads(request.body or b"{}")
            except ValueError:
                raise Refused("the body is not JSON") from None
            if not isinstance(body, dict):
                raise Refused("the body is not a JSON object")
            check_create(body, self.policy)
            return
        match = re.fullmatch(_VERSION + rf"/containers/({_ID})(?:/([a-z]+))?", path)
        if match and (method, match.group(2) or "") in _CONTAINER_OPS:
            status, info = await self._upstream_json("GET", f"/containers/{match.group(1)}/json")
            if status != 200 or not isinstance(info, dict):
                raise Refused("no such sandbox container")
            labels = (info.get("Config") or {}).get("Labels") or {}
            image = _image_name(str((info.get("Config") or {}).get("Image", "")))
            if labels.get(SANDBOX_LABEL) != "1" or image not in {
                _image_name(i) for i in self.policy.images
            }:
                raise Refused("the container is not a sandbox container")
            if (info.get("HostConfig") or {}).get("Privileged"):
                raise Refused("the container is privileged")
            return
        raise Refused(f"{method} {path} is not allowed")

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await _read_request(reader)
            if request is None:
                return
            try:
                await self.authorise(request)
            except Refused as exc:
                log.warning("refused %s %s: %s", request.method, request.path, exc)
                await _respond(writer, 403, {"message": f"gradebox docker proxy: {exc}"})
                return
            await self._forward(request, reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
            log.info("connection dropped: %s", exc)
            with contextlib.suppress(Exception):
                await _respond(writer, 400, {"message": f"gradebox docker proxy: {exc}"})
        finally:
            writer.close()

    async def _forward(
        self, request: Request, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        up_reader, up_writer = await asyncio.open_unix_connection(self.upstream)
        upgrade = request.header("Upgrade") != ""
        headers = [
            (k, v)
            for k, v in request.headers
            if k.lower() not in ("connection", "keep-alive", "proxy-connection")
        ]
        headers.append(("Connection", "Upgrade" if upgrade else "close"))
        head = f"{request.method} {request.target} HTTP/1.1\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
        up_writer.write(head.encode("latin-1") + request.body)
        await up_writer.drain()
        down = asyncio.create_task(_pipe(up_reader, writer))
        tasks = [down]
        if upgrade:  # after the 101 the stream is the container's stdio, not HTTP
            tasks.append(asyncio.create_task(_pipe(reader, up_writer)))
        try:
            await down
        finally:
            for task in tasks:
                task.cancel()
            up_writer.close()


def _dechunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2 :]
    return bytes(out)


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial:
            return None
        raise
    except asyncio.LimitOverrunError:
        raise ValueError("request head too large") from None
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise ValueError("not an HTTP/1.x request")
    request = Request(method=parts[0].upper(), target=parts[1])
    for line in lines[1:]:
        if line:
            key, _, value = line.partition(":")
            request.headers.append((key.strip(), value.strip()))
    length = int(request.header("Content-Length") or 0)
    if length > MAX_BODY_BYTES:
        raise ValueError("request body too large")
    if length:
        request.body = await reader.readexactly(length)
    return request


async def _respond(writer: asyncio.StreamWriter, status: int, body: dict[str, str]) -> None:
    data = json.dumps(body).encode()
    reason = {400: "Bad Request", 403: "Forbidden"}.get(status, "Error")
    writer.write(
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode()
        + data
    )
    await writer.drain()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        pass


async def serve(listen: str, proxy: Proxy) -> None:
    if listen.startswith("unix:"):
        server = await asyncio.start_unix_server(
            proxy.handle, listen.removeprefix("unix:"), limit=MAX_HEADER_BYTES
        )
    else:
        host, _, port = listen.rpartition(":")
        server = await asyncio.start_server(
            proxy.handle, host or "0.0.0.0", int(port), limit=MAX_HEADER_BYTES
        )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    log.info("listening on %s for %s", listen, ", ".join(sorted(proxy.policy.images)))
    async with server:
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="0.0.0.0:2375", help="HOST:PORT or unix:PATH")
    parser.add_argument("--upstream", default="/var/run/docker.sock")
    parser.add_argument("--image", action="append", required=True, help="allowed image")
    parser.add_argument("--runtime", action="append", help="allowed runtime (default runc)")
    parser.add_argument("--allow-gpu", action="store_true", help="allow GPU device requests")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="docker-proxy: %(levelname)s %(message)s")
    policy = Policy(
        images=frozenset(args.image),
        runtimes=frozenset(args.runtime or ["runc"]),
        allow_gpu=args.allow_gpu,
    )
    asyncio.run(serve(args.listen, Proxy(args.upstream, policy)))


if __name__ == "__main__":
    main()
