"""Plain behaviour every backend must share: I/O, exit codes, limits, sessions."""

from __future__ import annotations

import os

import pytest

from sandbox import Limits, RunSpec, RunStatus, Sandbox, SandboxError, Warm
from sandbox.languages import get_language, languages

FAST = Limits(wall_s=5, cpu_s=3, memory_mb=256, pids=32)


def py(src: str, *, stdin: bytes = b"", limits: Limits = FAST) -> RunSpec:
    return RunSpec(argv=("python3", "-c", src), stdin=stdin, limits=limits)


def test_stdin_to_stdout(sandbox: Sandbox) -> None:
    data = b"".join(b"line %d\n" % i for i in range(20000))  # larger than a pipe buffer
    res = sandbox.run(py("import sys; sys.stdout.write(sys.stdin.read().upper())", stdin=data))
    assert res.status is RunStatus.OK, res
    assert res.stdout == data.upper()
    assert res.exit_code == 0 and res.signal is None


@pytest.mark.parametrize("warm", [None, Warm(), Warm(exec_only=True)], ids=["cold", "warm", "exec"])
def test_a_program_that_never_reads_its_stdin_is_ok(sandbox: Sandbox, warm: Warm | None) -> None:
    """More input than a pipe holds, to programs that exit at once: the agent's writes
    meet a pipe nobody reads, which must not end the session (a learner could turn
    that into an internal error)."""
    data = b"x" * (4 << 20)
    programs = [("python3", "-c", "import os; os.close(0)"), ("true",)]
    with sandbox.session(**({"warm": warm} if warm else {})) as session:
        if warm is not None:
            session.wait_warm()  # type: ignore[attr-defined]
        for argv in programs * 2:
            res = session.run(RunSpec(argv=argv, stdin=data, limits=FAST))
            assert res.status is RunStatus.OK, res
        assert session.run(RunSpec(argv=("echo", "alive"))).stdout == b"alive\n"


def test_exit_code_and_stderr(sandbox: Sandbox) -> None:
    res = sandbox.run(py("import sys; print('oops', file=sys.stderr); sys.exit(3)"))
    assert res.status is RunStatus.RE
    assert res.exit_code == 3
    assert b"oops" in res.stderr


def test_signal_is_runtime_error(sandbox: Sandbox) -> None:
    res = sandbox.run(py("import os; os.abort()"))
    assert res.status is RunStatus.RE
    assert res.signal == 6


def test_cpu_time_limit(sandbox: Sandbox) -> None:
    res = sandbox.run(py("while True: pass", limits=Limits(wall_s=60, cpu_s=1)))
    # stopped by the CPU limit, long before the wall limit (no wall-clock figure: a
    # loaded machine stretches those)
    assert res.status is RunStatus.TLE and res.detail.startswith("CPU time"), res


def test_wall_time_limit(sandbox: Sandbox) -> None:
    res = sandbox.run(py("import time; time.sleep(60)", limits=Limits(wall_s=1, cpu_s=1)))
    assert res.status is RunStatus.TLE
    assert 0.9 < res.wall_s < 4


def test_memory_limit(sandbox: Sandbox) -> None:
    src = "x = []\nwhile True: x.append(bytearray(8 << 20))"
    res = sandbox.run(py(src, limits=Limits(wall_s=10, cpu_s=5, memory_mb=128)))
    assert res.status is RunStatus.MLE, res


def test_output_limit(sandbox: Sandbox) -> None:
    limits = Limits(wall_s=10, cpu_s=5, output_bytes=100_000)
    res = sandbox.run(py("while True: print('x' * 1000)", limits=limits))
    assert res.status is RunStatus.OLE
    assert len(res.stdout) <= 100_000


def test_peak_memory_is_reported(sandbox: Sandbox) -> None:
    src = "b = bytearray(64 << 20)\nb[::4096] = b'x' * len(b[::4096])\nprint(len(b))"
    res = sandbox.run(py(src, limits=Limits(memory_mb=256)))
    assert res.status is RunStatus.OK, res
    assert 64 * 1024 < res.peak_memory_kb < 256 * 1024


def test_session_keeps_workdir_between_runs(sandbox: Sandbox) -> None:
    with sandbox.session({"a.txt": b"first"}) as session:
        one = session.run(py("open('b.txt', 'w').write(open('a.txt').read() + '+b')"))
        two = session.run(
            RunSpec(argv=("python3", "-c", "print(open('b.txt').read())"), files={"c.txt": b"c"})
        )
        three = session.run(py("import os; print(sorted(os.listdir('.')))"))
    assert one.status is RunStatus.OK, one
    assert two.stdout.strip() == b"first+b"
    assert three.stdout.strip() == b"['a.txt', 'b.txt', 'c.txt']"


def test_nested_files_are_written(sandbox: Sandbox) -> None:
    spec = RunSpec(argv=("cat", "data/in/1.txt"), files={"data/in/1.txt": b"nested"})
    assert sandbox.run(spec).stdout == b"nested"


@pytest.mark.parametrize("name", ["../x", "/etc/x", "a/../../x", "", "./x", "a//b", "x/", "a\0b"])
def test_unsafe_file_names_are_rejected(sandbox: Sandbox, name: str) -> None:
    with sandbox.session() as session:
        with pytest.raises(SandboxError):
            session.run(RunSpec(argv=("true",), files={name: b"x"}))
        # the session survives a refused write
        assert session.run(RunSpec(argv=("echo", "still"))).stdout == b"still\n"


def test_environment_is_only_what_the_spec_gives(sandbox: Sandbox, judge_secret: str) -> None:
    spec = RunSpec(
        argv=("python3", "-c", "import os; print(sorted(os.environ.items()))"),
        env={"MY_VAR": "42"},
    )
    out = sandbox.run(spec).stdout.decode()
    assert "('MY_VAR', '42')" in out
    assert judge_secret not in out and "GRADEBOX" not in out


def test_learner_is_unprivileged(sandbox: Sandbox) -> None:
    """A fresh uid per session (sandbox.uids), never 0 and never 65534 (nobody owns
    real files on some hosts), the same for every run of one session."""
    src = (
        "import os, getpass\n"
        "print(os.getuid(), os.geteuid(), os.getegid(), os.getgid(), getpass.getuser())\n"
    )
    with sandbox.session() as one:
        first = one.run(py(src)).stdout.split()
        again = one.run(py(src)).stdout.split()
    other = sandbox.run(py(src)).stdout.split()
    uid, euid, egid, rgid, user = first
    assert uid == euid and user == b"learner"
    if getattr(sandbox, "runtime", None) == "runsc":
        # gVisor turns setresgid(gid + 1, gid, gid) into gid + 1 for all three
        assert int(rgid) == int(egid) == int(uid) + 1
    else:
        # a real gid other than the effective one: the kernel execs it non-dumpable
        assert egid == uid and int(rgid) == int(egid) + 1
    assert 1_000_000 <= int(uid) < 2_000_000
    assert again == first and other[0] != uid


def test_numpy_is_available(sandbox: Sandbox) -> None:
    res = sandbox.run(py("import numpy; print(numpy.arange(4).sum())"))
    assert res.status is RunStatus.OK, res
    assert res.stdout == b"6\n"


def test_cpp_compile_and_run(sandbox: Sandbox) -> None:
    cpp = get_language("cpp")
    src = b"#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a+b<<'\\n';}\n"
    with sandbox.session({cpp.source_name: src}) as session:
        assert cpp.compile_argv is not None
        built = session.run(RunSpec(argv=cpp.compile_argv, limits=Limits(wall_s=60, cpu_s=30)))
        assert built.status is RunStatus.OK, built.stderr
        for a, b in [(1, 2), (40, 2), (-5, 5)]:
            res = session.run(RunSpec(argv=cpp.run_argv, stdin=f"{a} {b}\n".encode()))
            assert res.status is RunStatus.OK
            assert res.stdout == f"{a + b}\n".encode()


def test_cpp_compile_error_has_the_message(sandbox: Sandbox) -> None:
    cpp = get_language("cpp")
    assert cpp.compile_argv is not None
    spec = RunSpec(
        argv=cpp.compile_argv,
        files={"main.cpp": b"int main() { return undefined_name; }\n"},
        limits=Limits(wall_s=60, cpu_s=30),
    )
    res = sandbox.run(spec)
    assert res.status is RunStatus.RE and res.exit_code == 1
    assert b"undefined_name" in res.stderr


@pytest.mark.parametrize("lang", [lang.id for lang in languages()])
def test_language_self_test(sandbox: Sandbox, lang: str) -> None:
    language = get_language(lang)
    with sandbox.session({language.source_name: language.self_test.encode()}) as session:
        if language.compile_argv:
            built = session.run(RunSpec(argv=language.compile_argv, limits=Limits(wall_s=60)))
            assert built.status is RunStatus.OK, built.stderr
        res = session.run(RunSpec(argv=language.run_argv))
    assert res.stdout == b"ok\n"


def test_missing_program_is_runtime_error(sandbox: Sandbox) -> None:
    res = sandbox.run(RunSpec(argv=("./does-not-exist",)))
    assert res.status is RunStatus.RE
    assert res.exit_code == 127


def test_closed_session_refuses_runs(sandbox: Sandbox) -> None:
    session = sandbox.session()
    session.close()
    session.close()  # idempotent
    with pytest.raises(SandboxError):
        session.run(RunSpec(argv=("true",)))


def test_large_input_and_output_round_trip(sandbox: Sandbox) -> None:
    data = os.urandom(6 << 20)
    src = "import sys; d = sys.stdin.buffer.read(); sys.stdout.buffer.write(d[::-1])"
    limits = Limits(wall_s=30, cpu_s=20, memory_mb=512, output_bytes=8 << 20)
    res = sandbox.run(RunSpec(argv=("python3", "-c", src), stdin=data, limits=limits))
    assert res.status is RunStatus.OK, res
    assert res.stdout == data[::-1]
