"""Per-test accounting and module hiding, piece by piece: the agent's cgroup and
container counters on fake trees (the v2 kernel path cannot run on this v1 host),
which paths a ban hides, and the unprivileged bwrap fallback's hardening."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox import (
    Limits,
    RunSpec,
    RunStatus,
    SandboxError,
    SandboxUnavailable,
    degraded,
    refuse_degraded,
)
from sandbox import agent as agent_module
from sandbox.agent import Cgroups, ContainerMeter
from sandbox.backends.bwrap import BwrapSandbox, hidden_paths
from sandbox.backends.docker import HIDEABLE_DIR, container_hidden
from sandbox.hiding import module_names
from sandbox.settings import get_settings


def test_v2_cgroup_cpu_quota_and_counters(tmp_path: Path) -> None:
    cg = Cgroups("v2", str(tmp_path), str(tmp_path), str(tmp_path))
    (made,) = cg.create()
    cg.set_limits([made], 64 << 20, 16, cpus=1)
    test_dir = Path(made)
    assert (test_dir / "cpu.max").read_text() == "100000 100000"
    (test_dir / "cpu.stat").write_text("usage_usec 1500000\nuser_usec 1000000\n")
    (test_dir / "memory.current").write_text(str(300 << 20))
    assert cg.cpu_ns([made]) == 1_500_000_000
    assert cg.memory_bytes([made]) == 300 << 20


def test_v1_cgroup_cpu_quota_and_counters(tmp_path: Path) -> None:
    roots = {name: tmp_path / name for name in ("memory", "pids", "cpu", "cpuacct")}
    for root in roots.values():
        root.mkdir()
    cg = Cgroups("v1", *(str(roots[n]) for n in ("memory", "pids", "cpu", "cpuacct")))
    made = cg.create()
    assert len(made) == 4
    cg.set_limits(made, 64 << 20, 16, cpus=2)
    assert (roots["cpu"] / "t1" / "cpu.cfs_quota_us").read_text() == "200000"
    assert (roots["memory"] / "t1" / "memory.limit_in_bytes").read_text() == str(64 << 20)
    (roots["cpuacct"] / "t1" / "cpuacct.usage").write_text("2500000000\n")
    assert cg.cpu_ns(made) == 2_500_000_000


def test_a_cpu_counter_past_what_the_cores_could_do_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """gVisor once counted 2.26 s of CPU for sleeping threads in 0.21 s on 2 cores: a
    TLE no program could have earned. A figure within the bound stays as counted."""
    cg = Cgroups("v2", str(tmp_path), str(tmp_path), str(tmp_path))
    (made,) = cg.create()
    stat = Path(made) / "cpu.stat"
    host = type("Host", (), {"cgroups": cg, "meter": None})()
    clock = [100.0]
    monkeypatch.setattr(agent_module.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(agent_module, "CORES", 2)
    usage = agent_module._Usage(host, [made])  # type: ignore[arg-type]
    clock[0] += 0.21
    stat.write_text("usage_usec 2260000\n")
    bound = int((0.21 + agent_module.CPU_BOUND_SLACK_S) * 2 * 1e9)
    assert usage.live_cpu_ns() == pytest.approx(bound, abs=10)
    assert not usage.over_limits({"cpu_s": 2, "memory_mb": 256})
    assert usage.final_cpu_ns() == pytest.approx(bound, abs=10)
    stat.write_text("usage_usec 300000\n")  # 0.3 s in 0.21 s: two cores, possible
    assert usage.live_cpu_ns() == 300_000_000
    clock[0] += 2.0
    stat.write_text("usage_usec 2260000\n")  # the same figure later is a real one
    assert usage.over_limits({"cpu_s": 2, "memory_mb": 256})


def test_container_meter_reads_v1_and_v2_counters(tmp_path: Path) -> None:
    v1 = tmp_path / "v1"
    (v1 / "memory").mkdir(parents=True)
    (v1 / "cpuacct").mkdir()
    (v1 / "memory" / "memory.stat").write_text(
        "cache 900000000\nrss 1\nshmem 2\ntotal_cache 900000000\ntotal_rss 300\ntotal_shmem 20\n"
    )
    (v1 / "cpuacct" / "cpuacct.usage").write_text("123456789\n")
    meter = ContainerMeter(str(v1))
    assert meter.memory_bytes() == 320  # page cache left by imports is not the test's
    assert meter.cpu_ns() == 123456789
    v2 = tmp_path / "v2"
    v2.mkdir()
    (v2 / "memory.stat").write_text("anon 1000\nfile 99999\nshmem 24\n")
    (v2 / "cpu.stat").write_text("usage_usec 7\nuser_usec 5\n")
    meter = ContainerMeter(str(v2))
    assert meter.memory_bytes() == 1024 and meter.cpu_ns() == 7000
    # No cgroupfs (gVisor): nothing from cgroups, meminfo only where it is the sandbox's.
    assert ContainerMeter(str(tmp_path / "none")).memory_bytes() is None
    assert (ContainerMeter(str(tmp_path / "none"), sandbox_meminfo=True).memory_bytes() or 0) > 0


def test_a_ban_covers_the_c_half_and_other_ffis() -> None:
    assert module_names(["torch", "torch.nn.functional.layer_norm"]) == ["torch", "_torch"]
    names = module_names(["ctypes"])
    assert {"ctypes", "_ctypes", "cffi", "_cffi_backend"} <= set(names)
    with pytest.raises(SandboxError):
        module_names(["not a/name"])


def test_bwrap_hides_every_copy_in_its_view() -> None:
    runtime = get_settings().runtime_dir
    torch = hidden_paths(["torch"], runtime)
    assert any(h.path.endswith("site-packages/torch") and h.is_dir for h in torch)
    assert all(h.path.startswith(("/usr/", "/opt/runtime/")) for h in torch)
    ctypes = {h.path: h for h in hidden_paths(["ctypes"], runtime)}
    package = [h for p, h in ctypes.items() if p.endswith("/ctypes")]
    ext = [h for p, h in ctypes.items() if "/lib-dynload/_ctypes." in p]
    assert package and package[0].is_dir and ext and not ext[0].is_dir


def test_containers_hide_file_modules_only_in_their_own_folder() -> None:
    found = [
        {"path": "/usr/lib/python3.11/ctypes", "dir": True, "real": "/usr/lib/python3.11/ctypes"},
        {
            "path": "/usr/lib/python3.11/lib-dynload/_ctypes.so",
            "dir": False,
            "real": f"{HIDEABLE_DIR}/_ctypes/_ctypes.so",
        },
    ]
    hidden = container_hidden(found, ["ctypes", "_ctypes"])
    assert [h.path for h in hidden] == ["/usr/lib/python3.11/ctypes", f"{HIDEABLE_DIR}/_ctypes"]
    plain = [{"path": "/usr/lib/x/foo.py", "dir": False, "real": "/usr/lib/x/foo.py"}]
    with pytest.raises(SandboxError, match="cannot hide"):
        container_hidden(plain, ["foo"])


@pytest.fixture
def unprivileged(monkeypatch: pytest.MonkeyPatch) -> BwrapSandbox:
    box = BwrapSandbox()
    box._privileged = False  # what a non-root judge gets
    return box


def test_degraded_bwrap_is_said_and_refused_unless_allowed(
    unprivileged: BwrapSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert degraded(BwrapSandbox()) is None  # root here
    assert "without root" in (degraded(unprivileged) or "")
    with pytest.raises(SandboxUnavailable, match="ALLOW_UNPRIVILEGED_BWRAP"):
        refuse_degraded(unprivileged)
    monkeypatch.setenv("GRADEBOX_ALLOW_UNPRIVILEGED_BWRAP", "true")
    get_settings.cache_clear()
    refuse_degraded(unprivileged)


def test_unprivileged_fallback_is_hardened(unprivileged: BwrapSandbox) -> None:
    probe = (
        "import ctypes, errno, os\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "print('unshare', libc.unshare(0x20000) == 0)\n"  # CLONE_NEWNS: seccomp says no
        "n = 0\n"
        "try:\n"
        "    with open('/dev/shm/x', 'wb') as fh:\n"
        "        while n < 200:\n"
        "            fh.write(bytes(1 << 20)); fh.flush(); n += 1\n"
        "except OSError as exc:\n"
        "    print('shm', exc.errno == errno.ENOSPC, n <= 64)\n"
    )
    limits = Limits(wall_s=20, file_bytes=1 << 30)
    with unprivileged.session(hidden_modules=["torch"]) as session:
        res = session.run(RunSpec(argv=("python3", "-c", probe), limits=limits))
        torch = session.run(RunSpec(argv=("python3", "-c", "import torch"), limits=limits))
    assert res.status is RunStatus.OK, res
    assert res.stdout == b"unshare False\nshm True True\n", res
    assert torch.status is RunStatus.RE
    assert b"ModuleNotFoundError: No module named 'torch'" in torch.stderr, torch


def test_bwrap_learners_cannot_make_themselves_dumpable_again() -> None:
    probe = (
        "import ctypes\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "print(libc.prctl(3, 0, 0, 0, 0), libc.prctl(4, 1, 0, 0, 0), ctypes.get_errno())\n"
        "print(libc.prctl(4, 0, 0, 0, 0), libc.prctl(3, 0, 0, 0, 0))\n"
    )
    with BwrapSandbox().session() as session:
        res = session.run(RunSpec(argv=("python3", "-c", probe)))
    # not dumpable; PR_SET_DUMPABLE 1 refused (EPERM); 0 allowed; still not dumpable
    assert res.stdout == b"0 -1 1\n0 0\n", res


def test_unprivileged_fallback_runs_each_run_in_its_own_pid_namespace(
    unprivileged: BwrapSandbox,
) -> None:
    """No agent there: the judge's processes are outside the run's PID namespace, and
    bwrap's own init (pid 1) shows no host path (its options came through a pipe)."""
    probe = (
        "import os\n"
        "me = os.getpid()\n"
        "others = sorted(p for p in os.listdir('/proc') if p.isdigit() and int(p) != me)\n"
        "reach = []\n"
        "for pid in range(1, 1 << 16):\n"
        "    try:\n"
        "        os.kill(pid, 0)\n"
        "        reach.append(pid)\n"
        "    except PermissionError:\n"
        "        reach.append(pid)\n"
        "    except ProcessLookupError:\n"
        "        pass\n"
        "print(others, sorted(set(reach) - {me}))\n"
        "print(open('/proc/1/cmdline', 'rb').read().replace(b'\\0', b' ').decode())\n"
    )
    with unprivileged.session() as session:
        res = session.run(RunSpec(argv=("python3", "-c", probe), limits=Limits(wall_s=30)))
    assert res.status is RunStatus.OK, res
    first, cmdline = res.stdout.decode().split("\n", 1)
    assert first == "['1'] [1]", res
    assert "/tmp" not in cmdline and "--bind" not in cmdline, cmdline


def test_the_session_filter_lets_only_the_agent_make_a_tests_namespace() -> None:
    from sandbox.seccomp import DENIED, agent_isolation_args, build_filter

    learner, session = build_filter(), build_filter(agent=True)
    assert learner is not None and session is not None
    # one refusal less for each call the agent needs, and the learner's filter is the
    # one the agent stacks on every test
    assert len(learner) - len(session) == 8 * 2
    assert DENIED["unshare"] and DENIED["mount"]
    assert agent_isolation_args() == ["--pid-namespace", "--seccomp", learner.hex()]
