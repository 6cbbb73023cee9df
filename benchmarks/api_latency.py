"""Latency of the read endpoints under an open-loop load, from a separate process.

Requests are sent at a fixed rate whatever the answers do (open loop: a slow answer
does not slow the sender, so queueing shows up as latency instead of hiding as a lower
rate), cycling over `GET /api/v1/problems`, one problem's detail and one submission.
Latency counts from the moment a request was due, not from when the sender got to
it. The load runs in a second process with a small HTTP/1.1 client on asyncio (a pool
of keep-alive connections, opened as needed), so the client costs little CPU.

The same three answers are asked for again and again, so with the read cache on
(the default) nearly every request is a hit; `--cache on,off` measures the full path
too, side by side, and `--admission on,off` the full path with and without the cap
on reads in flight.

Modes: `sqlite` (`make run`: SQLite, embedded judgehost) and `pg` (production
settings: PostgreSQL, `--workers` uvicorn processes), each started on a free port with
a fresh database; or `--url URL --token TOKEN` for a server that is already running.

    .venv/bin/python benchmarks/api_latency.py [--modes sqlite,pg] [--rate 200] [--seconds 20]
        [--cache on,off] [--admission on,off]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import Server, machine_note, running_server, stop_on_sigterm  # noqa: E402

GOAL_P99_MS = 25.0
REQUEST_TIMEOUT_S = 10.0  # an answer later than this counts as an error
DETAIL = "layernorm-backward"  # tensor samples: the heaviest detail page to render
SUBMIT_TO = "topological-order"  # 3 small tests: judged quickly, then idle
SOURCE = "print(0)\n"


# --- the load process -------------------------------------------------------------------


class _Conn:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer


async def _request(conn: _Conn, raw: bytes) -> int:
    conn.writer.write(raw)
    status_line = await conn.reader.readline()
    status = int(status_line.split()[1])
    length = 0
    chunked = False
    while True:
        line = await conn.reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await conn.reader.readline()).strip(), 16)
            await conn.reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await conn.reader.readexactly(length)
    return status


async def _load(host: str, port: int, token: str, paths: list[str], rate: float, seconds: float):
    idle: list[_Conn] = []
    latencies: dict[str, list[float]] = {p: [] for p in paths}
    errors: dict[str, int] = dict.fromkeys(paths, 0)
    kinds: dict[str, int] = {}  # what the errors were: an HTTP status or an exception
    requests = {
        p: (
            f"GET {p} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Authorization: Bearer {token}\r\nAccept: application/json\r\n\r\n"
        ).encode()
        for p in paths
    }

    async def one(path: str, due: float) -> None:
        conn = idle.pop() if idle else None
        try:
            # The connect is under the timeout too: a saturated server's full listen
            # backlog leaves a connect waiting for minutes of SYN retries.
            async with asyncio.timeout(REQUEST_TIMEOUT_S):
                if conn is not None:
                    try:
                        status = await _request(conn, requests[path])
                    except (OSError, IndexError, asyncio.IncompleteReadError):
                        # The server closed this idle keep-alive connection (uvicorn
                        # after 5 s): like any HTTP client, send again on a new one.
                        conn.writer.close()
                        conn = None
                if conn is None:
                    conn = _Conn(*await asyncio.open_connection(host, port))
                    status = await _request(conn, requests[path])
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError, TimeoutError) as e:
            errors[path] += 1
            kinds[type(e).__name__] = kinds.get(type(e).__name__, 0) + 1
            if conn is not None:
                conn.writer.close()
            return
        latencies[path].append(time.perf_counter() - due)
        if status != 200:
            errors[path] += 1
            kinds[f"HTTP {status}"] = kinds.get(f"HTTP {status}", 0) + 1
        idle.append(conn)

    tasks = []
    start = time.perf_counter() + 0.05
    total = int(rate * seconds)
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(paths[i % len(paths)], due)))
    await asyncio.gather(*tasks)
    achieved = total / (time.perf_counter() - start)
    for conn in idle:
        conn.writer.close()
    return {"latencies": latencies, "errors": errors, "kinds": kinds, "achieved_rate": achieved}


def load_main(config: str) -> None:
    cfg = json.loads(config)
    result = asyncio.run(
        _load(cfg["host"], cfg["port"], cfg["token"], cfg["paths"], cfg["rate"], cfg["seconds"])
    )
    print(json.dumps(result))


# --- the driver -------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def paths_for(server_url: str, token: str) -> list[str]:
    """The three read endpoints, with a submission of the benchmark user to read."""
    import httpx

    with httpx.Client(
        base_url=server_url, headers={"Authorization": f"Bearer {token}"}, timeout=120
    ) as client:
        made = client.post(
            "/api/v1/submissions?wait=60",
            json={"problem": SUBMIT_TO, "language": "python", "source": SOURCE},
        )
        made.raise_for_status()
        sid = made.json()["id"]
    return ["/api/v1/problems", f"/api/v1/problems/{DETAIL}", f"/api/v1/submissions/{sid}"]


def measure(url: str, token: str, rate: float, seconds: float) -> dict[str, object]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    paths = paths_for(url, token)
    base = {"host": parts.hostname, "port": parts.port or 80, "token": token, "paths": paths}
    # warm-up: every code path once, caches filled, connections opened
    warm = json.dumps({**base, "rate": min(rate, 50.0), "seconds": 2.0})
    subprocess.run([sys.executable, __file__, "--load", warm], capture_output=True, check=True)
    print(f"  warmed up; {rate:.0f} req/s for {seconds:.0f} s ...", file=sys.stderr, flush=True)
    cfg = json.dumps({**base, "rate": rate, "seconds": seconds})
    proc = subprocess.run(
        [sys.executable, __file__, "--load", cfg], capture_output=True, text=True, check=True
    )
    return dict(json.loads(proc.stdout))


def report(label: str, result: dict[str, object], rate: float) -> list[str]:
    latencies: dict[str, list[float]] = result["latencies"]  # type: ignore[assignment]
    errors: dict[str, int] = result["errors"]  # type: ignore[assignment]
    lines = [
        f"{label}: {rate:.0f} req/s offered, {result['achieved_rate']:.0f} sent ({machine_note()})",
        f"  {'endpoint':44} {'n':>5} {'err':>4} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"
        f" {'p99/goal':>9}",
    ]
    everything: list[float] = []
    for path, values in latencies.items():
        everything += values
        name = path.rsplit("/", 1)[0] + "/{id}" if path.split("/")[-1].isdigit() else path
        p99 = _pct(values, 0.99) * 1e3
        lines.append(
            f"  GET {name:40} {len(values):5} {errors[path]:4} {_pct(values, 0.5) * 1e3:8.1f}"
            f" {p99:8.1f} {max(values, default=0) * 1e3:8.1f} {p99 / GOAL_P99_MS:8.2f}x"
        )
    p99 = _pct(everything, 0.99) * 1e3
    lines.append(
        f"  {'all':48} {len(everything):5} {sum(errors.values()):4}"
        f" {_pct(everything, 0.5) * 1e3:8.1f} {p99:8.1f}"
        f" {max(everything, default=0) * 1e3:8.1f} {p99 / GOAL_P99_MS:8.2f}x"
    )
    if sum(errors.values()):
        kinds = ", ".join(f"{k} x{n}" for k, n in sorted(dict(result.get("kinds") or {}).items()))
        within = f"none within {REQUEST_TIMEOUT_S:.0f} s"
        lines.append(f"  errors: non-200 answers or {within} ({kinds})")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modes", default="sqlite,pg", help="sqlite, pg, or both")
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=4, help="uvicorn workers in pg mode")
    parser.add_argument(
        "--cache", default="on", help="on, off, or on,off: the read cache (backend.api.read_cache)"
    )
    parser.add_argument(
        "--admission",
        default="on",
        help="on, off, or on,off: the cap on reads in flight (backend.limits.ReadAdmission)",
    )
    parser.add_argument("--url", help="an already running server instead")
    parser.add_argument("--token", help="with --url: an API token with the read scope")
    parser.add_argument("--quick", action="store_true", help="sqlite only, 2 s at 50 req/s")
    parser.add_argument("--load", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        load_main(args.load)
        return
    stop_on_sigterm()
    if args.quick:
        args.modes, args.rate, args.seconds = "sqlite", 50.0, 2.0
    lines: list[str] = [f"goal: p99 <= {GOAL_P99_MS:.0f} ms at 200 req/s"]
    if args.url:
        if not args.token:
            raise SystemExit("--url needs --token")
        result = measure(args.url, args.token, args.rate, args.seconds)
        lines += report(args.url, result, args.rate)
    else:
        for mode in [m for m in args.modes.split(",") if m]:
            for cache, admission in itertools.product(_onoff(args.cache), _onoff(args.admission)):
                env = {}
                if cache == "off":  # every request takes the full path (what a read
                    env["GRADEBOX_READ_CACHE_BYTES"] = "0"  # costs right after a commit)
                if admission == "off":  # no cap on reads in flight
                    env["GRADEBOX_READ_MAX_IN_FLIGHT"] = "0"
                with running_server(mode, workers=args.workers, extra_env=env) as server:
                    result = measure(server.url, server.token, args.rate, args.seconds)
                    label = f"{_label(server, args.workers)}, read cache {cache}"
                    lines += report(f"{label}, admission {admission}", result, args.rate)
    print("\n".join(lines))


def _onoff(value: str) -> list[str]:
    chosen = [v for v in value.split(",") if v]
    if not chosen or set(chosen) - {"on", "off"}:
        raise SystemExit(f"expected on, off or on,off, not {value!r}")
    return chosen


def _label(server: Server, workers: int) -> str:
    if server.mode == "pg":
        return f"PostgreSQL, {workers} workers, production settings"
    return "make run (SQLite, embedded judgehost)"


if __name__ == "__main__":
    main()
