"""The docker-compose stack, built offline and run for real (docs/deploy.md, step by step).

scripts/build-images builds every image from the debootstrap base (cached after the first
run); then, in a compose project of its own: db and api up, an admin and a judge token
made with `gradebox admin` inside the api container, two judgehosts, a submission judged
through the API; a batch of slower submissions with one judge container killed in the
middle; every submission judged exactly once (one job each, per-test results not
repeated). The judge container is shown to hold no Docker socket and to be refused a
privileged or host-mounting container by the proxy.

All of that runs with Debian's docker-compose 1.29; a shorter run with Compose v2
(`docker compose`) brings the stack up with gVisor (`GRADEBOX_DOCKER_RUNTIME=runsc`) and
judges a submission in a runsc sandbox, so each Compose and each runtime starts for real.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.deploy.compose import COMPOSE
from tests.live_server import free_port

REPO = Path(__file__).resolve().parents[2]
TAG = "test"
SOURCE = (REPO / "problems/largest-connected-region/submissions/accepted/bfs.py").read_text()
# the same solution, slowed so that a judge can be killed in the middle of it
SLOW = "import time\ntime.sleep(0.3)\n" + SOURCE

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.timeout(2400)]


def _run(argv, *, timeout=900, check=True, env=None, input=None, clean_env=False):
    base = {k: v for k, v in os.environ.items() if not (clean_env and k.startswith("GRADEBOX_"))}
    proc = subprocess.run(
        argv,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**base, **(env or {})},
        input=input,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{argv} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


class Stack:
    def __init__(self, tmp: Path, sandbox_image: str, compose: str = "compose-v1") -> None:
        self.compose_argv = COMPOSE[compose]
        self.project = f"gbtest{secrets.token_hex(4)}"
        self.port = free_port()
        self.env_file = tmp / "env"
        self.values = {
            "GRADEBOX_DB_PASSWORD": secrets.token_urlsafe(16),
            "GRADEBOX_SECRET_KEY": secrets.token_urlsafe(32),
            "GRADEBOX_JUDGE_TOKEN": "not-made-yet",
            "GRADEBOX_DB_IMAGE": f"gradebox-db:{TAG}",
            "GRADEBOX_TAG": TAG,
            "GRADEBOX_DOCKER_IMAGE": sandbox_image,
            "GRADEBOX_PORT": str(self.port),
            # Production refuses insecure cookies; the test speaks plain HTTP with
            # tokens only, so Secure cookies cost it nothing.
            "GRADEBOX_COOKIE_SECURE": "true",
            "GRADEBOX_WORKERS": "2",
            "GRADEBOX_LEASE_S": "15",
        }
        self.write_env()
        self.url = f"http://127.0.0.1:{self.port}"

    def write_env(self) -> None:
        self.env_file.write_text("".join(f"{k}={v}\n" for k, v in self.values.items()))

    def compose(self, *args: str, **kwargs):
        # compose reads GRADEBOX_* from the env file only (the shell's would win)
        argv = [*self.compose_argv, "-p", self.project, "--env-file", str(self.env_file), *args]
        return _run(argv, clean_env=True, **kwargs)

    def containers(self, service: str) -> list[str]:
        out = self.compose("ps", "-q", service).stdout.split()
        return [c for c in out if c]


@pytest.fixture(scope="module")
def images():
    from sandbox.settings import get_settings

    _run([str(REPO / "scripts/ensure-docker")])
    env = {"GRADEBOX_TAG": TAG}
    _run([str(REPO / "scripts/build-images"), "all"], env=env, timeout=2400)
    return get_settings().docker_image


@contextlib.contextmanager
def _torn_down(stack: Stack, sandbox_image: str):
    """Yields the stack; then prints its logs and removes it with its volumes."""
    started = time.time()
    try:
        yield stack
    finally:
        logs = stack.compose("logs", "--no-color", "--tail", "80", check=False).stdout
        print(logs[-20000:])
        stack.compose("down", "-v", "--remove-orphans", "-t", "5", check=False)
        # sandbox containers a killed judge could not remove (they stop on their own)
        leftovers = _run(
            [
                "docker",
                "ps",
                "-aq",
                "--filter",
                f"ancestor={sandbox_image}",
                "--filter",
                "status=exited",
            ],
            check=False,
        ).stdout.split()
        for cid in leftovers:
            info = json.loads(_run(["docker", "inspect", cid], check=False).stdout or "[{}]")[0]
            created = info.get("Created", "")
            if (
                created
                and time.mktime(time.strptime(created[:19], "%Y-%m-%dT%H:%M:%S")) > started - 3600
            ):
                _run(["docker", "rm", "-f", cid], check=False)


@pytest.fixture(scope="module")
def stack(images, tmp_path_factory):
    with _torn_down(Stack(tmp_path_factory.mktemp("compose"), images), images) as stack:
        yield stack


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
        except httpx.HTTPError as exc:
            last = exc
            last_ok = False
        else:
            last_ok = bool(last)
        if last_ok:
            return last
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def _admin(stack: Stack, *args: str, env: dict[str, str] | None = None) -> str:
    flags = [f"-e{k}={v}" for k, v in (env or {}).items()]
    return stack.compose("exec", "-T", *flags, "api", "gradebox", "admin", *args).stdout.strip()


def test_refuses_to_start_with_the_placeholder_secrets(images, tmp_path):
    stack = Stack(tmp_path, images)
    example = dict(
        line.split("=", 1)
        for line in (REPO / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    stack.values.update(example)
    stack.write_env()
    try:
        proc = stack.compose("run", "--rm", "--no-deps", "api", check=False, timeout=300)
        assert proc.returncode != 0
        assert "placeholder" in proc.stderr + proc.stdout
    finally:
        stack.compose("down", "-v", "--remove-orphans", "-t", "1", check=False)


def _bring_up(stack: Stack, judges: int) -> tuple[httpx.Client, dict[str, str]]:
    """docs/deploy.md's steps 2-4: db and api, an admin, the judge token into the env
    file, `judges` judgehosts and the proxy; returns a client and a learner's header."""
    stack.compose("up", "-d", "--no-build", "db", "api", timeout=600)
    http = httpx.Client(base_url=stack.url, timeout=30)
    _wait(lambda: http.get("/readyz").json()["database"], 600, "the api to be ready")

    _admin(
        stack,
        "create-user",
        "admin",
        "--role",
        "admin",
        env={"GRADEBOX_PASSWORD": "admin-pw-123456"},
    )
    stack.values["GRADEBOX_JUDGE_TOKEN"] = _admin(
        stack, "create-token", "admin", "--scope", "judge"
    )
    _admin(
        stack,
        "create-user",
        "learner",
        "--role",
        "learner",
        env={"GRADEBOX_PASSWORD": "learner-pw-12345"},
    )
    learner = _admin(stack, "create-token", "learner", "--scope", "submit", "--scope", "read")
    stack.write_env()
    stack.compose(
        "up", "-d", "--no-build", "--scale", f"judge={judges}", "dockerproxy", "judge", timeout=600
    )
    assert len(stack.containers("judge")) == judges
    return http, {"Authorization": f"Bearer {learner}"}


def test_the_stack_judges_every_submission_exactly_once(stack):
    http, auth = _bring_up(stack, judges=2)

    def submit(source: str) -> int:
        body = {"problem": "largest-connected-region", "language": "python", "source": source}
        response = http.post("/api/v1/submissions", json=body, headers=auth)
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    def get(sid: int) -> dict:
        return http.get(f"/api/v1/submissions/{sid}", headers=auth).json()

    first = submit(SOURCE)
    done = _wait(lambda: (s := get(first))["status"] == "judged" and s, 600, "the first verdict")
    # the reference solution: AC, or TLE only where a loaded host stretched wall time
    assert done["verdict"] in ("AC", "TLE"), done

    # A batch; kill one judge container while it is in the middle of a submission.
    ids = [submit(SLOW) for _ in range(4)]
    running = _wait(
        lambda: [s for sid in ids if (s := get(sid))["status"] == "running" and s["tests"]],
        600,
        "a submission in the middle of being judged",
    )
    victim = running[0]["id"]
    host = _db(stack, f"SELECT judgehost FROM judge_jobs WHERE submission_id = {victim}")[0][0]
    hostname = host.rsplit("-", 1)[0]  # <container hostname>-<pid>
    judges = stack.containers("judge")
    killed = [c for c in judges if c.startswith(hostname)]
    assert killed, (host, judges)
    _run(["docker", "kill", killed[0]])

    final = _wait(
        lambda: all(get(sid)["status"] == "judged" for sid in ids) and [get(s) for s in ids],
        900,
        "every submission judged",
    )
    # AC, or TLE where a busy host stretched the slowed solution's wall time; never IE
    assert {s["verdict"] for s in final} <= {"AC", "TLE"}, [(s["id"], s["verdict"]) for s in final]
    counts = set()
    for sub in [done, *final]:  # per-test results once each, none left from the killed run
        names = [t["name"] for t in sub["tests"]]
        assert len(names) == len(set(names)), (sub["id"], names)
        if sub["verdict"] == "AC":
            counts.add(len(names))
    assert len(counts) <= 1, counts  # every AC submission has every test, once
    jobs = _db(stack, "SELECT submission_id, attempts, state FROM judge_jobs ORDER BY 1")
    assert len(jobs) == 1 + len(ids)
    assert all(state == "done" for _, _, state in jobs), jobs
    attempts = {int(sid): int(n) for sid, n, _ in jobs}
    # re-judged after its lease expired (more attempts only if a busy host missed a beat)
    assert attempts[victim] >= 2, jobs


def _db(stack: Stack, sql: str) -> list[list[str]]:
    out = stack.compose(
        "exec", "-T", "db", "psql", "-U", "gradebox", "-d", "gradebox", "-At", "-F", "\t", "-c", sql
    ).stdout
    return [line.split("\t") for line in out.splitlines() if line]


ESCAPES = r"""
import json, os, docker
from docker.errors import APIError
out = {"socket": os.path.exists("/var/run/docker.sock"), "uid": os.getuid()}
out["caps"] = [l.split()[1] for l in open("/proc/self/status") if l.startswith("CapEff")][0]
client = docker.from_env(timeout=30)
image = os.environ["GRADEBOX_DOCKER_IMAGE"]
labels = {"org.gradebox.sandbox": "1"}
for what, kwargs in {
    "privileged": {"privileged": True},
    "host mount": {"volumes": {"/": {"bind": "/host", "mode": "rw"}}},
    "host pid": {"pid_mode": "host"},
}.items():
    try:
        client.containers.run(image, "true", labels=labels, remove=True, **kwargs)
        out[what] = "started"
    except APIError as exc:
        out[what] = exc.status_code
try:
    docker.DockerClient(base_url="unix:///var/run/docker.sock", timeout=5).ping()
    out["host socket"] = "reached"
except Exception as exc:
    out["host socket"] = type(exc).__name__
print(json.dumps(out))
"""


def test_a_judge_container_cannot_escape(stack):
    # (again: the kill above may have stopped the container `exec` picks first)
    stack.compose(
        "up", "-d", "--no-build", "--scale", "judge=2", "dockerproxy", "judge", timeout=600
    )
    proc = stack.compose("exec", "-T", "judge", "python3", "-c", ESCAPES, timeout=300)
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["socket"] is False
    assert seen["uid"] != 0
    assert int(seen["caps"], 16) == 0  # no capabilities at all
    assert seen["privileged"] == seen["host mount"] == seen["host pid"] == 403, seen
    assert seen["host socket"] != "reached", seen


def test_compose_v2_with_gvisor_judges_a_submission_in_runsc(images, tmp_path):
    """The same stack under Compose v2 with GRADEBOX_DOCKER_RUNTIME=runsc: one judgehost,
    one submission judged, in sandbox containers that ran under gVisor. The sandbox
    image gets a tag of its own here, so this stack's sandboxes are told apart from
    other users' of the same image (`Config.Image` keeps the name they were made with)."""
    own = f"gradebox-sandbox:gvisor-{secrets.token_hex(4)}"
    _run(["docker", "tag", images, own])
    stack = Stack(tmp_path, own, compose="compose-v2")
    stack.values["GRADEBOX_DOCKER_RUNTIME"] = "runsc"
    stack.write_env()
    try:
        with _torn_down(stack, own):
            http, auth = _bring_up(stack, judges=1)
            body = {"problem": "largest-connected-region", "language": "python", "source": SLOW}
            response = http.post("/api/v1/submissions", json=body, headers=auth)
            assert response.status_code == 201, response.text
            sid = response.json()["id"]
            runtimes: set[str] = set()

            def judged():
                label = "label=org.gradebox.sandbox=1"
                for cid in _run(["docker", "ps", "-q", "--filter", label]).stdout.split():
                    fmt = "{{.Config.Image}} {{.HostConfig.Runtime}}"
                    seen = _run(["docker", "inspect", "-f", fmt, cid], check=False).stdout.split()
                    if seen[:1] == [own]:
                        runtimes.add(seen[1])
                sub = http.get(f"/api/v1/submissions/{sid}", headers=auth).json()
                return sub["status"] == "judged" and sub

            done = _wait(judged, 600, "the verdict under gVisor")
            assert done["verdict"] in ("AC", "TLE"), done  # TLE only where a loaded host
            assert runtimes == {"runsc"}, runtimes
    finally:
        _run(["docker", "rmi", own], check=False)  # the tag only: the image stays
