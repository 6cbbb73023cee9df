"""Backend-specific guarantees: cleanup, selection, cgroups, host-side file writes."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox import Limits, RunSpec, RunStatus, SandboxError, SandboxUnavailable, get_sandbox
from sandbox.backends.bwrap import BwrapSandbox
from sandbox.cgroups import CGROUP_ROOT, create_session_cgroup, detect_version
from sandbox.settings import get_settings
from sandbox.workdir import make_workdir, remove_workdir, write_files


def _container(name: str) -> Any:
    import docker
    import docker.errors

    try:
        return docker.from_env().containers.get(name)
    except docker.errors.NotFound:
        return None


@pytest.mark.docker
@pytest.mark.parametrize("runtime", ["runc", "runsc"])
def test_container_is_removed_even_after_errors(docker_ready: None, runtime: str) -> None:
    from sandbox.backends.docker import DockerSandbox

    box = DockerSandbox(runtime=runtime)
    with pytest.raises(RuntimeError):
        with box.session() as session:
            name = session.id
            res = session.run(RunSpec(argv=("sleep", "60"), limits=Limits(wall_s=0.5)))
            assert res.status is RunStatus.TLE
            assert _container(name).attrs["State"]["Running"] is True
            raise RuntimeError("grader crashed")
    from sandbox.backends.docker import wait_for_removals

    assert wait_for_removals()  # (removed off the grading's path)
    assert _container(name) is None


@pytest.mark.docker
def test_container_is_hardened(docker_ready: None) -> None:
    from sandbox.backends.docker import DockerSandbox

    with DockerSandbox(runtime="runc").session() as session:
        container = _container(session.id)
        host = container.attrs["HostConfig"]
        mounts = container.attrs["Mounts"]
    assert host["NetworkMode"] == "none"
    assert host["ReadonlyRootfs"] is True
    assert host["CapDrop"] == ["ALL"]
    assert sorted(host["CapAdd"]) == ["KILL", "SETGID", "SETUID", "SYS_ADMIN"]
    assert host["SecurityOpt"] == ["no-new-privileges"]
    assert host["Privileged"] is False
    assert not host["Binds"] and not mounts
    assert host["Memory"] == host["MemorySwap"] > 0
    assert host["PidsLimit"] > 0 and host["NanoCpus"] > 0
    assert set(host["Tmpfs"]) == {"/work", "/tmp"}


@pytest.mark.docker
def test_auto_prefers_docker_when_a_daemon_answers(
    docker_ready: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="sandbox.registry"):
        box = get_sandbox("auto")
    assert box.name == "docker"
    assert "using docker backend" in caplog.text


def test_auto_falls_back_to_bwrap_without_docker(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    with caplog.at_level(logging.INFO, logger="sandbox.registry"):
        box = get_sandbox(None)
    assert box.name == "bwrap"
    assert "using bwrap backend" in caplog.text
    with pytest.raises(SandboxUnavailable):
        get_sandbox("docker")


def test_none_is_never_chosen_automatically(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    monkeypatch.setenv("PATH", "/nonexistent")  # no bwrap either
    with pytest.raises(SandboxUnavailable):
        get_sandbox()
    assert get_sandbox("none").name == "none"


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(SandboxUnavailable):
        get_sandbox("chroot")


def test_bwrap_uses_per_test_cgroups_here() -> None:
    """This project's hosts run the judge as root with cgroup v1 or v2."""
    assert os.geteuid() == 0
    assert detect_version() in ("v1", "v2")
    with BwrapSandbox().session() as session:
        assert getattr(session, "cgroup", None) == detect_version()
        # A memory bomb is stopped by the cgroup's OOM killer, not by RLIMIT_AS:
        # under the cgroup there is no address-space limit, so mmap of 4 GiB works.
        src = "import mmap; m = mmap.mmap(-1, 4 << 30); print('mapped')"
        res = session.run(RunSpec(argv=("python3", "-c", src), limits=Limits(memory_mb=64)))
        assert res.stdout == b"mapped\n", res


def test_session_cgroups_are_removed() -> None:
    cg = create_session_cgroup(get_settings().cgroup_parent)
    assert cg is not None
    (cg.memory / "t1").mkdir()
    cg.destroy()
    assert not cg.memory.exists() and not cg.pids.exists()


def test_cgroup_detection_on_a_fake_tree(tmp_path: Path) -> None:
    assert detect_version(tmp_path) is None
    (tmp_path / "cgroup.controllers").write_text("cpu memory io pids\n")
    assert detect_version(tmp_path) == "v2"
    assert detect_version(CGROUP_ROOT) is not None


def test_host_workdir_writes_do_not_follow_symlinks(tmp_path: Path) -> None:
    """The host-side writer (used by `none` and the unprivileged bwrap fallback)."""
    workdir = make_workdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("safe")
    try:
        os.symlink(outside / "victim.txt", workdir / "input.txt")
        os.symlink(outside, workdir / "data")
        write_files(workdir, {"input.txt": b"new"})
        assert (workdir / "input.txt").read_bytes() == b"new"
        assert not (workdir / "input.txt").is_symlink()
        with pytest.raises(SandboxError):
            write_files(workdir, {"data/x.txt": b"PWNED"})
        with pytest.raises(SandboxError):
            write_files(workdir, {"../x.txt": b"PWNED"})
    finally:
        remove_workdir(workdir)
    assert (outside / "victim.txt").read_text() == "safe"
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"]


def test_gpu_runs_are_refused_not_silently_downgraded() -> None:
    with BwrapSandbox().session() as session:
        with pytest.raises(SandboxError):
            session.run(RunSpec(argv=("true",), gpu=True))


def test_unprivileged_fallback_runs_one_bwrap_per_run() -> None:
    """Without root, bwrap runs each process in its own user namespace."""
    box = BwrapSandbox()
    box._privileged = False  # what a non-root judge gets
    with box.session({"main.py": b"import sys; print(sys.stdin.read()[::-1])"}) as session:
        res = session.run(RunSpec(argv=("python3", "main.py"), stdin=b"abc"))
        slow = session.run(RunSpec(argv=("sleep", "30"), limits=Limits(wall_s=0.5)))
        net = session.run(
            RunSpec(
                argv=(
                    "python3",
                    "-c",
                    "import socket; socket.create_connection(('1.1.1.1', 80), 2)",
                )
            )
        )
    assert res.status is RunStatus.OK and res.stdout == b"cba\n"
    assert slow.status is RunStatus.TLE
    assert net.status is RunStatus.RE and b"Network is unreachable" in net.stderr


def test_seccomp_filter_shape() -> None:
    from sandbox.seccomp import DENIED, build_filter

    assert build_filter("aarch64") is None
    program = build_filter("x86_64")
    assert program is not None and len(program) % 8 == 0
    # checks (arch, nr, x32, one per denied call, clone3, prctl, clone + its flags,
    # prctl's arguments) + 3 returns
    assert len(program) // 8 == 4 + len(DENIED) + 5 + 4 + 3


def test_agent_cgroup_v2_files(tmp_path: Path) -> None:
    """The v2 branch of the agent's per-test cgroups, on a plain directory tree (this
    host's cgroup v2 mount has no controllers, so the kernel path cannot run here)."""
    from sandbox.agent import Cgroups

    cg = Cgroups("v2", str(tmp_path), str(tmp_path))
    (made,) = cg.create()
    cg.set_limits([made], 64 << 20, 16)
    test_dir = Path(made)
    assert (test_dir / "memory.max").read_text() == str(64 << 20)
    assert (test_dir / "memory.swap.max").read_text() == "0"
    assert (test_dir / "pids.max").read_text() == "16"
    (test_dir / "memory.peak").write_text(str(10 << 20))
    (test_dir / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
    assert cg.peak_kb([made]) == 10 << 10
    assert cg.oom_killed([made]) is True
    (test_dir / "memory.events").write_text("oom 0\noom_kill 0\n")
    assert cg.oom_killed([made]) is False


def test_cgroups_of_dead_judges_are_swept() -> None:
    import subprocess

    dead = subprocess.Popen(["true"])
    dead.wait()
    parent = get_settings().cgroup_parent
    stale = [CGROUP_ROOT / ctl / parent / f"s{dead.pid}-deadbeef" for ctl in ("memory", "pids")]
    for path in stale:
        (path / "t1").mkdir(parents=True)
    cg = create_session_cgroup(parent)
    assert cg is not None
    try:
        assert not any(path.exists() for path in stale)
    finally:
        cg.destroy()


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_setting_picks_the_backend(monkeypatch: pytest.MonkeyPatch, fresh_settings: None) -> None:
    monkeypatch.setenv("GRADEBOX_SANDBOX", "none")
    assert get_sandbox().name == "none"  # explicit choice: `none` only when asked for


def test_setting_with_unknown_backend_is_refused(
    monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    monkeypatch.setenv("GRADEBOX_SANDBOX", "chroot")
    with pytest.raises(SandboxUnavailable, match="chroot"):
        get_sandbox()
