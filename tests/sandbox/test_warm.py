"""Warm interpreters (`sandbox/zygote.py`): a Python test forked from a session's fork
server gets the same set-up and the same results as a cold start, and the fork
server never holds a module the session hides."""

from __future__ import annotations

import os

import pytest

from sandbox import Limits, RunSpec, RunStatus, Sandbox, SandboxError, Warm
from sandbox.agent import hidden_from_learner
from sandbox.uids import SESSION_UID_BASE
from sandbox.zygote import mapped_hidden, refused_preloads, startup_env, warm_script

ENV = {"PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8", "OMP_NUM_THREADS": "1"}
WARM = Warm(preload=("numpy",), env=tuple(ENV.items()))
LIMITS = Limits(wall_s=60, cpu_s=20, memory_mb=512)

# What a test sees of its own process: the same in a warm and a cold start, apart
# from the first line (whether numpy was already imported).
PROBE = b"""\
import os, sys
print("numpy" in sys.modules)
print(sys.argv, __name__, sys.path[0], os.getcwd(), sorted(os.environ))
status = dict(l.split(":", 1) for l in open("/proc/self/status"))
print(os.getuid() != 0, os.getgroups(), status.get("NoNewPrivs"), status.get("Seccomp"))
print("non-dumpable", os.stat("/proc/self/status").st_uid == 0)
print("fds", sorted(int(f) for f in os.listdir("/proc/self/fd")))
import resource
print(resource.getrlimit(resource.RLIMIT_CPU), resource.getrlimit(resource.RLIMIT_FSIZE))
print(input())
import __main__
print(__main__.__file__ if hasattr(__main__, "__file__") else None, hash("gradebox"))
sys.stderr.write("to stderr\\n")
raise SystemExit(int(sys.argv[1]))
"""


def probe(session: object, code: str) -> tuple[list[str], int | None, bytes]:
    res = session.run(  # type: ignore[attr-defined]
        RunSpec(argv=("python3", "main.py", code), stdin=b"from stdin\n", env=ENV, limits=LIMITS)
    )
    assert res.status in (RunStatus.OK, RunStatus.RE), res
    return res.stdout.decode().splitlines(), res.exit_code, res.stderr


def test_a_warm_run_sees_what_a_cold_one_does(sandbox: Sandbox) -> None:
    with sandbox.session({"main.py": PROBE}, warm=WARM) as warm:
        assert getattr(warm, "warm", False), "the session started no fork server"
        assert warm.wait_warm()  # type: ignore[attr-defined]
        first = probe(warm, "3")
        second = probe(warm, "0")
    with sandbox.session({"main.py": PROBE}) as cold:
        reference = probe(cold, "3")
    assert first[0][0] == second[0][0] == "True"  # forked from the warm interpreter
    assert reference[0][0] == "False"
    if getattr(sandbox, "runtime", None) == "runsc":
        # gVisor execs a cold test without the secure-exec rule (rgid != egid): it
        # keeps TMPDIR and stays dumpable; a warm test drops it and is not dumpable.
        reference[0][:] = [
            line.replace("'TMPDIR', ", "").replace("non-dumpable False", "non-dumpable True")
            for line in reference[0]
        ]
    assert first[0][1:] == reference[0][1:], (first, reference)
    assert first[1] == reference[1] == 3 and second[1] == 0
    assert first[2] == reference[2] == b"to stderr\n"


MODULE_PROBE = b"""\
import os, sys
print("numpy" in sys.modules)
print(sys.argv, sys.orig_argv[1:], sys.path[0], __name__, __file__, __spec__.name)
print(sorted(globals()), os.getuid() != 0, sorted(os.environ))
raise SystemExit(int(sys.argv[1]))
"""


def test_a_module_run_sees_what_a_cold_one_does(sandbox: Sandbox) -> None:
    """`python3 -m`, as the Python syntax check runs (`-m py_compile`): forked warm,
    with what a cold interpreter's -m gives (path, argv, a fresh __main__, errors)."""
    files = {"probe.py": MODULE_PROBE, "bad.py": b"def f(:\n    pass\n", "ok.py": b"x = 1\n"}
    runs = [
        ("python3", "-m", "probe", "3"),
        ("python3", "-m", "py_compile", "bad.py"),
        ("python3", "-m", "py_compile", "ok.py"),
        ("python3", "-m", "gradebox_no_such_module"),
    ]
    seen = []
    for warm in (WARM, None):
        options = {"warm": warm} if warm else {}
        with sandbox.session(files, **options) as session:
            assert not warm or session.wait_warm()  # type: ignore[attr-defined]
            seen.append([session.run(RunSpec(argv=argv, env=ENV, limits=LIMITS)) for argv in runs])
    warm_runs, cold_runs = seen
    assert warm_runs[0].stdout.startswith(b"True\n"), warm_runs[0]  # forked warm
    assert cold_runs[0].stdout.startswith(b"False\n"), cold_runs[0]
    cold_lines = cold_runs[0].stdout.split(b"\n")[1:]
    if getattr(sandbox, "runtime", None) == "runsc":  # no secure-exec rule there (above)
        cold_lines = [line.replace(b"'TMPDIR', ", b"") for line in cold_lines]
    assert warm_runs[0].stdout.split(b"\n")[1:] == cold_lines
    assert b"['/work/probe.py', '3'] ['-m', 'probe', '3'] /work __main__" in cold_runs[0].stdout
    for warm_run, cold_run in zip(warm_runs, cold_runs, strict=True):
        assert (warm_run.exit_code, warm_run.stderr) == (cold_run.exit_code, cold_run.stderr)
    assert [r.exit_code for r in cold_runs] == [3, 1, 0, 1]
    assert b"SyntaxError" in warm_runs[1].stderr
    assert b"No module named gradebox_no_such_module" in warm_runs[3].stderr


def test_an_uncaught_exception_reads_as_in_a_cold_start(sandbox: Sandbox) -> None:
    source = b"def f():\n    raise ValueError('boom')\nf()\n"
    results = []
    for warm in (WARM, None):
        options = {"warm": warm} if warm else {}
        with sandbox.session({"main.py": source}, **options) as session:
            assert not warm or session.wait_warm()  # type: ignore[attr-defined]
            res = session.run(RunSpec(argv=("python3", "main.py"), env=ENV, limits=LIMITS))
        results.append((res.status, res.exit_code, res.stderr))
    assert results[0] == results[1]
    assert results[0][2].startswith(b'Traceback (most recent call last):\n  File "/work/main.py"')


def test_children_are_seeded_apart_and_leave_nothing_behind(sandbox: Sandbox) -> None:
    source = b"import random, numpy\nprint(random.random(), numpy.random.rand())\n"
    with sandbox.session({"main.py": source}, warm=WARM) as session:
        assert session.wait_warm()  # type: ignore[attr-defined]
        outs = {
            session.run(RunSpec(argv=("python3", "main.py"), env=ENV, limits=LIMITS)).stdout
            for _ in range(3)
        }
        # Not python3 SCRIPT: the same set-up, then exec (a cold start).
        cold = session.run(
            RunSpec(argv=("python3", "-c", "import sys; print('numpy' in sys.modules)"), env=ENV)
        )
    assert len(outs) == 3, outs
    assert cold.stdout == b"False\n", cold


def test_a_run_with_another_startup_environment_starts_cold(sandbox: Sandbox) -> None:
    source = b"import sys; print('numpy' in sys.modules, sys.flags.hash_randomization)\n"
    with sandbox.session({"main.py": source}, warm=WARM) as session:
        other = {**ENV, "PYTHONHASHSEED": "random"}
        res = session.run(RunSpec(argv=("python3", "main.py"), env=other, limits=LIMITS))
    assert res.stdout == b"False 1\n", res


def test_a_hidden_module_is_never_preloaded(sandbox: Sandbox) -> None:
    with pytest.raises(SandboxError, match="refusing to preload numpy"):
        with sandbox.session({}, hidden_modules=("numpy",), warm=WARM):
            pass
    # What the preload would import but the session hides stays out of sys.modules.
    source = (
        b"import sys\nprint('numpy' in sys.modules, 'ctypes' in sys.modules)\n"
        b"try:\n    import ctypes\nexcept ImportError:\n    print('BLOCKED')\n"
    )
    with sandbox.session({"main.py": source}, hidden_modules=("ctypes",), warm=WARM) as session:
        # A session that hides ctypes gets a sealed fork server, which never holds
        # ctypes (not on gVisor, which refuses hidepid: cold starts there).
        served = session.wait_warm()  # type: ignore[attr-defined]
        assert served is sealed_served(sandbox)
        res = session.run(RunSpec(argv=("python3", "main.py"), env=ENV, limits=LIMITS))
    assert res.stdout == f"{served} False\nBLOCKED\n".encode(), res


def sealed_served(sandbox: Sandbox) -> bool:
    return getattr(sandbox, "runtime", None) != "runsc"


# What a test sees of the processes around it and of its own isolation.
SEALED_PROBE = b"""import os, sys
status = dict(l.split(":", 1) for l in open("/proc/self/status"))
print("numpy" in sys.modules, "ctypes" in sys.modules, "_ctypes" in sys.modules)
print(os.getuid() != 0, os.getgroups(), status["NoNewPrivs"].strip(), status["Seccomp"].strip())
others = [p for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()]
print("others", len(others))
try:
    import ctypes
    print("ESCAPED")
except ImportError:
    print("no ctypes")
"""


def test_a_session_that_hides_ctypes_forks_from_a_sealed_server(sandbox: Sandbox) -> None:
    """Warm (numpy already imported, ctypes nowhere), under the learner's filter and
    uid, with a /proc that shows the test nothing but itself."""
    files = {"main.py": SEALED_PROBE}
    with sandbox.session(files, hidden_modules=("ctypes",), warm=WARM) as session:
        assert session.wait_warm() is sealed_served(sandbox)  # type: ignore[attr-defined]
        runs = [
            session.run(RunSpec(argv=("python3", "main.py"), env=ENV, limits=LIMITS))
            for _ in range(2)
        ]
    with sandbox.session(files, hidden_modules=("ctypes",)) as cold:
        reference = cold.run(RunSpec(argv=("python3", "main.py"), env=ENV, limits=LIMITS))
    if not sealed_served(sandbox):
        assert runs[0].stdout == reference.stdout, (runs[0], reference)
        return
    for res in runs:
        assert res.status is RunStatus.OK, res
        lines = res.stdout.decode().splitlines()
        assert lines[0] == "True False False", res
        assert lines[1:] == ["True [] 1 2", "others 0", "no ctypes"], res
    # Cold: its own PID namespace, whose init (pid 1) it sees.
    assert reference.stdout.decode().splitlines()[1:] == ["True [] 1 2", "others 1", "no ctypes"]


def test_a_sealed_warm_numpy_test_costs_less_cpu_than_a_cold_one(sandbox: Sandbox) -> None:
    """The warm path is the one used: a NumPy test forked from the sealed server does
    not pay NumPy's import, a cold one in the same run does (CPU time, best of 3)."""
    source = b"import numpy\nprint(int(numpy.arange(10).sum()))\n"
    spec = RunSpec(argv=("python3", "main.py"), env=ENV, limits=LIMITS)
    files = {"main.py": source}
    with sandbox.session(files, hidden_modules=("ctypes",), warm=WARM) as warm:
        served = warm.wait_warm()  # type: ignore[attr-defined]
        assert served is sealed_served(sandbox)
        if not served:
            return  # gVisor: cold starts, as test_a_hidden_module_is_never_preloaded says
        warm_runs = [warm.run(spec) for _ in range(3)]
    with sandbox.session(files, hidden_modules=("ctypes",)) as cold:
        cold_runs = [cold.run(spec) for _ in range(3)]
    assert all(r.stdout == b"45\n" for r in warm_runs + cold_runs), (warm_runs, cold_runs)
    best_warm = min(r.cpu_s for r in warm_runs)
    best_cold = min(r.cpu_s for r in cold_runs)
    assert best_warm < best_cold / 2, (best_warm, best_cold)


def test_a_warm_test_is_measured_and_limited_alone(sandbox: Sandbox) -> None:
    """The test's cgroup and rusage start at the fork: the import is not its CPU,
    and its limits are its own."""
    spin = b"import time\nt = time.process_time()\nwhile time.process_time() - t < 5: pass\n"
    with sandbox.session({"main.py": b"pass\n", "spin.py": spin}, warm=WARM) as session:
        assert session.wait_warm()  # type: ignore[attr-defined]
        quick = session.run(RunSpec(argv=("python3", "main.py"), env=ENV, limits=LIMITS))
        busy = session.run(
            RunSpec(argv=("python3", "spin.py"), env=ENV, limits=Limits(wall_s=60, cpu_s=1))
        )
    assert quick.status is RunStatus.OK and busy.status is RunStatus.TLE, (quick, busy)
    assert busy.detail.startswith("CPU time"), busy


def test_which_runs_fit_a_warm_interpreter() -> None:
    own = {"PATH": "/usr/bin", "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1"}
    assert warm_script(["python3", "main.py", "x"], {**own, "HOST": "y"}, own)
    assert warm_script(["python3", "-m", "py_compile", "main.py"], own, own)
    assert not warm_script(["python3", "-m"], own, own)
    assert not warm_script(["python3", "-m", "-c", "x"], own, own)
    assert not warm_script(["python3", "-c", "print(1)"], own, own)
    assert not warm_script(["./a.out"], own, own)
    assert not warm_script(["python3", "main.py"], {**own, "OMP_NUM_THREADS": "2"}, own)
    assert startup_env({"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": "x"}) == {"PYTHONPATH": "x"}
    assert refused_preloads(["numpy", "torch.nn", "json"], ["torch", "ctypes"]) == ["torch.nn"]


def test_a_fork_server_that_fails_leaves_cold_starts(sandbox: Sandbox) -> None:
    broken = Warm(preload=("no_such_module_gradebox",), env=tuple(ENV.items()))
    source = b"import sys\nprint('gradebox_agent' in sys.modules, sys.argv)\n"
    with sandbox.session({"main.py": source}, warm=broken) as session:
        assert not session.wait_warm()  # type: ignore[attr-defined]
        res = session.run(RunSpec(argv=("python3", "main.py"), env=ENV, limits=LIMITS))
    assert res.status is RunStatus.OK and res.stdout == b"False ['main.py']\n", res


def test_the_seal_check_refuses_a_proc_that_shows_other_uids() -> None:
    """The check a sealed server's start relies on (`hidden_from_learner`) fails where
    /proc does not hide processes (the host's own, mounted without hidepid): the
    agent then starts every test cold rather than unsealed."""
    assert os.geteuid() == 0, "the sandbox tests run as root (bwrap's agent mode)"
    learner = SESSION_UID_BASE + 1
    assert not hidden_from_learner(os.getpid(), learner, learner)


def test_a_sealed_server_would_see_an_ffi_left_in_its_memory() -> None:
    """What a sealed server checks after its preloads: an FFI's extension module that
    was loaded (here, into this test's own process) stays mapped, whatever
    sys.modules says afterwards, and makes the server refuse to serve."""
    import ctypes  # noqa: F401  (loads _ctypes and libffi here)

    found = mapped_hidden(["ctypes", "_ctypes", "cffi", "_cffi_backend"])
    assert "_ctypes" in found and any(name.startswith("libffi.") for name in found), found
    assert mapped_hidden(["no_such_module_gradebox"]) == []
