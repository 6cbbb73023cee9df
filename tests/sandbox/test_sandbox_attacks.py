"""Hostile programs (tests/sandbox/attacks/) against every backend, each with the
exact result it must get.

A program that finds its attack blocked says so (`BLOCKED`, `LIMITED n`, ...) and
one that succeeds prints `ESCAPED`; the tests also check from the judge's side
(host files untouched, no secret in any output, the session still answers, no
learner process left behind).
"""

from __future__ import annotations

import dataclasses
import os
import re
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sandbox import (
    Limits,
    RunResult,
    RunSpec,
    RunStatus,
    Sandbox,
    SandboxError,
    SandboxSession,
    Warm,
)
from sandbox.languages import get_language
from sandbox.uids import SESSION_UID_BASE

ATTACKS = Path(__file__).parent / "attacks"
COMPILE = Limits(wall_s=60, cpu_s=30, memory_mb=512, pids=32)
SHORT = Limits(wall_s=2, cpu_s=2, memory_mb=256, pids=32, output_bytes=1 << 20)


@dataclass(frozen=True)
class Attack:
    program: str
    expect: RunStatus
    limits: Limits = SHORT
    stdout: str | None = None  # regex the output must match (re.search)
    compile_attack: bool = False  # the attack is the C++ compilation itself
    max_wall_s: float | None = None
    detail: str | None = None  # regex the sandbox's detail must match (which limit)
    exit_code: int | None = None
    # gVisor answers some calls from its own user-space kernel: where that gives a
    # different (still contained) result, this regex replaces `stdout` under runsc.
    runsc_stdout: str | None = None
    # Modules the session hides (a problem's banned modules).
    hidden: tuple[str, ...] = ()
    signal: int | None = None  # the signal that must have ended it
    # Replaces `stdout` where the test forks from a sealed fork server (its session
    # hides ctypes): no PID namespace of its own, a /proc that shows it only itself.
    sealed_stdout: str | None = None


CASES = [
    # Memory is generous so the pids limit, not an OOM kill, is what meets the bomb.
    Attack("fork_bomb.py", RunStatus.TLE, Limits(wall_s=2, cpu_s=2, memory_mb=1024, pids=32)),
    Attack("fork_bomb.cpp", RunStatus.TLE, Limits(wall_s=2, cpu_s=2, memory_mb=1024, pids=32)),
    Attack("memory_bomb.py", RunStatus.MLE, Limits(wall_s=10, cpu_s=10, memory_mb=128)),
    Attack("memory_bomb.cpp", RunStatus.MLE, Limits(wall_s=10, cpu_s=10, memory_mb=128)),
    Attack("huge_output.py", RunStatus.OLE, Limits(wall_s=10, cpu_s=10, output_bytes=1 << 20)),
    Attack("huge_stderr.cpp", RunStatus.OLE, Limits(wall_s=10, cpu_s=10, output_bytes=1 << 20)),
    Attack(
        "disk_fill.py",
        RunStatus.OK,
        Limits(wall_s=30, cpu_s=20, memory_mb=768),
        stdout=r"^STOPPED ENOSPC \d+$",
    ),
    Attack("big_file.py", RunStatus.OLE, Limits(wall_s=10, file_bytes=8 << 20)),
    # The CPU limit, not the (far) wall limit, stops them: no wall-clock figure, which a
    # loaded machine stretches.
    Attack("busy_loop.py", RunStatus.TLE, Limits(wall_s=60, cpu_s=1), detail=r"^CPU time"),
    Attack("busy_loop.cpp", RunStatus.TLE, Limits(wall_s=60, cpu_s=1), detail=r"^CPU time"),
    Attack("sleep_forever.py", RunStatus.TLE, Limits(wall_s=1, cpu_s=1), max_wall_s=3),
    Attack("orphan_holds_pipe.py", RunStatus.OK, stdout=r"^DONE$", max_wall_s=1.5),
    Attack("many_threads.py", RunStatus.OK, stdout=r"^LIMITED ([12]?\d|3[01])$"),
    Attack("many_threads.cpp", RunStatus.OK, stdout=r"^LIMITED ([12]?\d|3[01])$"),
    Attack("tcp_connect.py", RunStatus.OK, Limits(wall_s=20), stdout=r"^BLOCKED$"),
    Attack("dns.py", RunStatus.OK, Limits(wall_s=20), stdout=r"^BLOCKED$"),
    Attack("read_shadow.py", RunStatus.OK, stdout=r"^BLOCKED$"),
    Attack("read_shadow.cpp", RunStatus.OK, stdout=r"^BLOCKED$"),
    Attack("judge_settings.py", RunStatus.OK, Limits(wall_s=20), stdout=r"^DONE"),
    Attack("write_outside.py", RunStatus.OK, stdout=r"^BLOCKED$"),
    Attack("symlink_result.py", RunStatus.OK, stdout=r"^RESULT 42$"),
    Attack("kill_parent.py", RunStatus.OK, stdout=r"^BLOCKED$"),
    Attack("ptrace.py", RunStatus.OK, stdout=r"^BLOCKED$"),
    Attack("setuid.py", RunStatus.OK, Limits(wall_s=20), stdout=r"^BLOCKED$"),
    Attack("proc_snoop.py", RunStatus.OK, stdout=r"^PROCS [1-4]$"),
    Attack("env_secret.py", RunStatus.OK, stdout=r"^DONE"),
    Attack("rlimit_raise.py", RunStatus.OK, stdout=r"^BLOCKED$"),
    Attack("device_chmod.py", RunStatus.OK, stdout=r"^BLOCKED$"),
    # (gVisor too: the agent stacks the learner's seccomp filter on every backend)
    Attack("namespaces.py", RunStatus.OK, stdout=r"^BLOCKED$"),
    # Accounting of all of a test's processes together (issue 12).
    Attack("busy_children.py", RunStatus.TLE, Limits(wall_s=60, cpu_s=1), detail=r"^CPU time"),
    Attack("daemon_cpu.py", RunStatus.TLE, Limits(wall_s=60, cpu_s=1), detail=r"^CPU time"),
    Attack("busy_orphan.py", RunStatus.OK, Limits(wall_s=10, cpu_s=5), stdout=r"^ANSWER$"),
    Attack("survivor.py", RunStatus.OK, stdout=r"^LEFT$"),
    Attack("three_children.py", RunStatus.MLE, Limits(wall_s=30, cpu_s=10, memory_mb=512, pids=32)),
    # /dev/shm and /tmp are memory: capped at 64 MB each, and charged to the test.
    Attack("shm_fill.py", RunStatus.MLE, Limits(wall_s=20, cpu_s=10, memory_mb=40)),
    Attack("tmp_fill.py", RunStatus.MLE, Limits(wall_s=20, cpu_s=10, memory_mb=40)),
    # Banned modules are absent from the session's view, however they are reached.
    Attack(
        "import_banned.py",
        RunStatus.OK,
        Limits(wall_s=60, cpu_s=30, memory_mb=1024),
        stdout=r"^BLOCKED$",
        hidden=("torch",),
    ),
    Attack(
        "ctypes_by_path.py",
        RunStatus.OK,
        Limits(wall_s=60, cpu_s=30, memory_mb=512),
        stdout=r"^BLOCKED$",
        hidden=("ctypes",),
    ),
    # What a warm interpreter could leave behind: ctypes in sys.modules, in gc, in
    # its memory maps or in the extension cache (`_imp.create_dynamic`).
    Attack(
        "ffi_cache.py",
        RunStatus.OK,
        Limits(wall_s=60, cpu_s=30, memory_mb=512),
        stdout=r"^BLOCKED$",
        hidden=("ctypes",),
    ),
    Attack(
        "nondumpable.py",
        RunStatus.OK,
        stdout=r"^BLOCKED$",
        # gVisor execs without the kernel's rgid != egid rule (and writes no core
        # dumps at all); its ptrace and /proc/<pid>/mem stay refused. A test forked
        # from the fork server is not dumpable there either (its uid changed).
        runsc_stdout=r"^OPEN (dumpable )?environ$",
    ),
    Attack(
        "agent_proc.py",
        RunStatus.OK,
        stdout=r"^BLOCKED 1$",  # the test's init, not the agent
        sealed_stdout=r"^BLOCKED 0$",
        # gVisor shows another uid a non-dumpable process's environ (PATH, HOSTNAME,
        # LANG, HOME), maps and fd names, though not its memory or its pipes.
        runsc_stdout=r"^OPEN 1/environ 1/maps 1/fd$",
    ),
    Attack("crash_core.py", RunStatus.RE),
    # Each test in a PID namespace of its own (issue 12): the agent is out of sight and
    # out of reach, by /proc, by guessed pids, by signals and ptrace; the test's own
    # signals still end it as they would anywhere.
    Attack("proc_others.py", RunStatus.OK, stdout=r"^ONLY 1$", sealed_stdout=r"^ONLY$"),
    # (Sealed: the pids of other uids answer EPERM, as the init does, and that is all.)
    Attack(
        "pid_scan.py",
        RunStatus.OK,
        Limits(wall_s=30, cpu_s=20),
        stdout=r"^REACH 1:eperm$",
        sealed_stdout=r"^REACH( \d+:eperm)+$",
    ),
    Attack(
        "agent_reach.py",
        RunStatus.OK,
        Limits(wall_s=30, cpu_s=20),
        stdout=r"^BLOCKED \d+$",
        # gVisor lets a process renice its PID namespace's init (its own test's; the
        # agent is outside that namespace), which Linux refuses to another uid.
        runsc_stdout=r"^BLOCKED 1 renice 1$",
    ),
    Attack("signal_init.py", RunStatus.OK, stdout=r"^BLOCKED$"),
    Attack("exit_signal.py", RunStatus.RE, stdout=r"^BYE$", signal=6),
    Attack("orphan_in_namespace.py", RunStatus.OK, stdout=r"^ORPHANED$"),
    Attack("cpp_include_shadow.cpp", RunStatus.RE, COMPILE, compile_attack=True, exit_code=1),
    Attack("cpp_include_judge_env.cpp", RunStatus.RE, COMPILE, compile_attack=True, exit_code=1),
    Attack(
        "cpp_template_bomb.cpp",
        RunStatus.MLE,
        Limits(wall_s=60, cpu_s=60, memory_mb=192, pids=32),
        compile_attack=True,
    ),
    Attack(
        "cpp_constexpr_bomb.cpp",
        RunStatus.TLE,
        Limits(wall_s=3, cpu_s=3, memory_mb=512, pids=32),
        compile_attack=True,
    ),
]


@dataclass
class Judge:
    """What the judge has on the host that the sandbox must not reach."""

    dir: Path
    secret: str
    port: int
    listener: socket.socket

    @property
    def env(self) -> dict[str, str]:
        return {"HOST_DIR": str(self.dir), "HOST_PORT": str(self.port)}

    def forbidden(self) -> list[str]:
        return [self.secret, "root:", "GRADEBOX"]


@pytest.fixture
def judge(tmp_path: Path, judge_secret: str) -> Iterator[Judge]:
    host = tmp_path / "judge"
    host.mkdir()
    (host / ".env").write_text(f"GRADEBOX_SECRET_KEY={judge_secret}\n")
    (host / "target.txt").write_text("judge data\n")
    os.chmod(tmp_path, 0o755)
    os.chmod(host, 0o777)  # even a world-writable judge dir must stay out of reach
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("0.0.0.0", 0))
    listener.listen(8)
    listener.setblocking(False)
    try:
        yield Judge(host, judge_secret, listener.getsockname()[1], listener)
    finally:
        listener.close()


def source_of(attack: Attack, judge: Judge) -> bytes:
    text = (ATTACKS / attack.program).read_text()
    return text.replace("@HOST_DIR@", str(judge.dir)).encode()


def run_attack(session: SandboxSession, attack: Attack, judge: Judge) -> RunResult:
    lang = get_language("cpp" if attack.program.endswith(".cpp") else "python")
    if lang.compile_argv:
        limits = attack.limits if attack.compile_attack else COMPILE
        built = session.run(RunSpec(argv=lang.compile_argv, limits=limits))
        if attack.compile_attack:
            return built
        assert built.status is RunStatus.OK, built.stderr.decode(errors="replace")
    return session.run(RunSpec(argv=lang.run_argv, env=judge.env, limits=attack.limits))


def assert_no_leak(res: RunResult, judge: Judge) -> None:
    text = (res.stdout + res.stderr).decode(errors="replace")
    for secret in judge.forbidden():
        assert secret not in text, f"{secret!r} leaked into the sandbox's output"
    assert "ESCAPED" not in text, text[:2000]


def host_leftovers(sandbox: Sandbox, session: SandboxSession) -> list[int] | None:
    """Host pids of the session's processes that run as a learner uid, seen from the
    host's /proc (None where the host cannot see them: gVisor). A sealed session's
    learner sees only itself in its /proc, so only the host can look for them."""
    if getattr(sandbox, "runtime", None) == "runsc":
        return None
    ident = session.id  # (bwrap-<host pid of bwrap>, or the container's name)
    top = int(ident[6:]) if ident.startswith("bwrap-") else docker_pid(ident)
    parents: dict[int, int] = {}
    uids: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry)] = int(fields["PPid"].split()[0])
        uids[int(entry)] = int(fields["Uid"].split()[0])
    found, frontier = [], [top]
    while frontier:
        pid = frontier.pop()
        children = [p for p, parent in parents.items() if parent == pid]
        found += children
        frontier += children
    return [p for p in found if uids[p] >= SESSION_UID_BASE]


def docker_pid(container: str) -> int:
    out = subprocess.run(
        ["docker", "inspect", "-f", "{{.State.Pid}}", container],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return int(out.stdout.strip())


def assert_clean_after(session: SandboxSession) -> None:
    """The session still answers, and no learner process survived the last run."""
    # By the real uid in /proc/<pid>/status: learner processes are not dumpable, so
    # their /proc folders belong to root.
    count = (
        "import os\n"
        "me, uid = os.getpid(), str(os.getuid())\n"
        "def owner(p):\n"
        "    try:\n"
        "        return [l.split()[1] for l in open(f'/proc/{p}/status') if l[:4] == 'Uid:'][0]\n"
        "    except OSError:\n"
        "        return None\n"
        "procs = [p for p in os.listdir('/proc') if p.isdigit() and int(p) != me]\n"
        "mine = [p for p in procs if owner(p) == uid]\n"
        "print(len(mine))\n"
    )
    res = session.run(RunSpec(argv=("python3", "-c", count), limits=Limits(wall_s=20)))
    assert res.status is RunStatus.OK, res
    assert res.stdout == b"0\n"


# Python attacks also run forked from a warm interpreter (`sandbox/zygote.py`), which
# must change nothing they can reach; and from a sealed one, in a session that hides
# ctypes as every stdio and NumPy problem does by default (those that need ctypes to
# attack cannot run there).
WARM_CASES = [a for a in CASES if a.program.endswith(".py")]
SEALED_CASES = [
    dataclasses.replace(a, hidden=tuple(dict.fromkeys([*a.hidden, "ctypes"])))
    for a in WARM_CASES
    if "ctypes" in a.hidden or "import ctypes" not in (ATTACKS / a.program).read_text()
]


# Compiled (and other exec'd) languages' sessions fork every test from an exec-only
# sealed server (`Warm.exec_only`): the attacks run exec'd from it, in the PID view
# and under the filter they inherit instead of their own.
EXEC_CASES = CASES


def sealed_served(sandbox: Sandbox) -> bool:
    """Whether a session that hides ctypes gets a (sealed) fork server: not on gVisor,
    which refuses hidepid (its tests start cold)."""
    return getattr(sandbox, "runtime", None) != "runsc"


@pytest.mark.parametrize(
    ("attack", "warm"),
    [pytest.param(a, False, id=a.program) for a in CASES]
    + [pytest.param(a, True, id=f"warm-{a.program}") for a in WARM_CASES]
    + [pytest.param(a, True, id=f"sealed-{a.program}") for a in SEALED_CASES]
    + [pytest.param(a, "exec", id=f"exec-{a.program}") for a in EXEC_CASES],
)
def test_attack(sandbox: Sandbox, attack: Attack, warm: bool | str, judge: Judge) -> None:
    lang_source = "main.cpp" if attack.program.endswith(".cpp") else "main.py"
    files = {lang_source: source_of(attack, judge)}
    options = {"warm": Warm(exec_only=warm == "exec")} if warm else {}
    with sandbox.session(files, hidden_modules=attack.hidden, **options) as session:
        # A session that hides ctypes gets a sealed fork server, but not on gVisor:
        # there the attack runs cold, and must get the same verdict. An exec-only
        # server is sealed or not started.
        if warm == "exec":
            sealed = served = sealed_served(sandbox)
        else:
            sealed = bool(warm) and "ctypes" in attack.hidden and sealed_served(sandbox)
            served = bool(warm) and ("ctypes" not in attack.hidden or sealed)
        assert getattr(session, "warm", False) is served
        if served:
            assert session.wait_warm()  # type: ignore[attr-defined]
        res = run_attack(session, attack, judge)
        assert res.status is attack.expect, res
        expected = attack.stdout
        if attack.runsc_stdout and getattr(sandbox, "runtime", None) == "runsc":
            expected = attack.runsc_stdout
        if sealed and attack.sealed_stdout:
            expected = attack.sealed_stdout
        if expected is not None:
            assert re.search(expected, res.stdout.decode().strip(), re.M), res
        if attack.max_wall_s is not None:
            assert res.wall_s < attack.max_wall_s, res
        if attack.detail is not None:
            assert re.search(attack.detail, res.detail), res
        if attack.exit_code is not None:
            assert res.exit_code == attack.exit_code, res
        if attack.signal is not None:
            assert res.signal == attack.signal, res
        assert_no_leak(res, judge)
        assert host_leftovers(sandbox, session) in ([], None)
        assert_clean_after(session)
    # Nothing from the sandbox reached the judge's directory or its listener.
    assert sorted(p.name for p in judge.dir.iterdir()) == [".env", "target.txt"]
    assert (judge.dir / "target.txt").read_text() == "judge data\n"
    with pytest.raises(BlockingIOError):
        judge.listener.accept()


def test_symlinks_planted_for_the_host_are_not_followed(sandbox: Sandbox, judge: Judge) -> None:
    """CVE-2024-28185/28189: the next host-side write must not follow learner symlinks."""
    source = (ATTACKS / "symlink_plant.py").read_bytes()
    with sandbox.session({"main.py": source}) as session:
        planted = session.run(RunSpec(argv=("python3", "main.py"), env=judge.env))
        assert planted.stdout == b"PLANTED\n", planted
        # A file name the learner turned into a symlink is replaced, not followed.
        res = session.run(
            RunSpec(argv=("cat", "input.txt"), files={"input.txt": b"new input"}, env=judge.env)
        )
        assert res.stdout == b"new input"
        # A directory the learner turned into a symlink is refused.
        for name in ("data/x.txt", "etc/passwd"):
            with pytest.raises(SandboxError):
                session.run(RunSpec(argv=("true",), files={name: b"PWNED"}))
        assert session.run(RunSpec(argv=("echo", "alive"))).stdout == b"alive\n"
    assert (judge.dir / "target.txt").read_text() == "judge data\n"
    assert not (judge.dir / "x.txt").exists()


def test_other_submissions_are_invisible(sandbox: Sandbox, judge: Judge) -> None:
    other_secret = "other-submission-" + os.urandom(6).hex()
    source = (ATTACKS / "other_submissions.py").read_bytes()
    with sandbox.session({"secret.txt": other_secret.encode()}) as other:
        keep = other.run(RunSpec(argv=("cat", "secret.txt")))
        assert keep.stdout.decode() == other_secret
        with sandbox.session({"main.py": source}) as attacker:
            res = attacker.run(RunSpec(argv=("python3", "main.py"), env=judge.env))
    assert res.status is RunStatus.OK, res
    assert res.stdout.startswith(b"DONE")
    assert other_secret.encode() not in res.stdout + res.stderr
    assert_no_leak(res, judge)


@pytest.mark.parametrize("program", ["survivor.py", "hopper.py"])
@pytest.mark.parametrize("mode", ["cold", "sealed"])
def test_no_process_survives_into_the_next_test(
    sandbox: Sandbox, judge: Judge, mode: str, program: str
) -> None:
    """The survivor's heartbeat file stops changing once its test is over (forked from
    a sealed fork server too, where no PID namespace ends with the test: the kill of
    every process of the learner's uid does, and without a cgroup, the agent's look
    at /proc for one left to kill, which a process that hops must not slip past)."""
    source = (ATTACKS / program).read_bytes()
    options = {"warm": Warm(), "hidden_modules": ("ctypes",)} if mode == "sealed" else {}
    with sandbox.session({"main.py": source}, **options) as session:  # type: ignore[arg-type]
        if mode == "sealed":
            assert session.wait_warm() is sealed_served(sandbox)  # type: ignore[attr-defined]
        watch = (
            "import time\n"
            "a = open('heartbeat').read(); time.sleep(0.5); b = open('heartbeat').read()\n"
            "print('STILL' if a != b else 'GONE')\n"
        )
        for _ in range(3 if program == "hopper.py" else 1):  # a race: give it chances
            first = session.run(RunSpec(argv=("python3", "main.py"), env=judge.env))
            assert first.stdout == b"LEFT\n", first
            assert host_leftovers(sandbox, session) in ([], None)
            res = session.run(RunSpec(argv=("python3", "-c", watch), limits=Limits(wall_s=20)))
            assert res.stdout == b"GONE\n", res


def test_a_core_dump_leaves_no_file(sandbox: Sandbox, judge: Judge) -> None:
    source = (ATTACKS / "crash_core.py").read_bytes()
    with sandbox.session({"main.py": source}) as session:
        crash = session.run(RunSpec(argv=("python3", "main.py")))
        assert crash.status is RunStatus.RE and crash.signal == 11, crash
        res = session.run(RunSpec(argv=("ls", "-a")))
    assert not [n for n in res.stdout.decode().split() if n.startswith("core")], res


def test_every_attack_program_is_used() -> None:
    used = {a.program for a in CASES} | {"symlink_plant.py", "other_submissions.py", "hopper.py"}
    assert used == {p.name for p in ATTACKS.iterdir() if p.suffix in (".py", ".cpp")}
    assert len(used) >= 25
