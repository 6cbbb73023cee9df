"""A seccomp filter for bwrap sessions (`bwrap --seccomp FD`), written as classic BPF.

Docker applies its default seccomp profile and gVisor has its own kernel; bwrap has
neither, so this adds the layer: system calls a judged program never needs and
that are the usual kernel attack surface (new namespaces, mounts, keyrings, BPF,
io_uring, userfaultfd, perf, modules) fail with EPERM, and so does making a process
dumpable again (`prctl(PR_SET_DUMPABLE, 1)`). `clone` is allowed without
namespace flags; `clone3` (whose flags live in memory a filter cannot read) fails
with ENOSYS, so libc falls back to `clone`. The i386 and x32 ABIs, which would
slip past the syscall numbers below, are refused outright. x86_64 only: elsewhere
`build_filter` returns None and the session runs without it (logged).
"""

from __future__ import annotations

import errno
import platform
import struct

_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_JSET_K = 0x45
_RET_K = 0x06

_AUDIT_ARCH_X86_64 = 0xC000003E
_X32_SYSCALL_BIT = 0x40000000
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000

_NR_CLONE = 56
_NR_CLONE3 = 435
_NR_PRCTL = 157
_PR_SET_DUMPABLE = 4
_NAMESPACE_FLAGS = (
    0x00020000  # CLONE_NEWNS
    | 0x02000000  # CLONE_NEWCGROUP
    | 0x04000000  # CLONE_NEWUTS
    | 0x08000000  # CLONE_NEWIPC
    | 0x10000000  # CLONE_NEWUSER
    | 0x20000000  # CLONE_NEWPID
    | 0x40000000  # CLONE_NEWNET
    | 0x00000080  # CLONE_NEWTIME
)

# x86_64 numbers of the refused calls.
DENIED = {
    "syslog": 103,
    "vhangup": 153,
    "pivot_root": 155,
    "chroot": 161,
    "acct": 163,
    "mount": 165,
    "umount2": 166,
    "swapon": 167,
    "swapoff": 168,
    "reboot": 169,
    "sethostname": 170,
    "setdomainname": 171,
    "iopl": 172,
    "ioperm": 173,
    "init_module": 175,
    "delete_module": 176,
    "quotactl": 179,
    "lookup_dcookie": 212,
    "kexec_load": 246,
    "add_key": 248,
    "request_key": 249,
    "keyctl": 250,
    "unshare": 272,
    "perf_event_open": 298,
    "name_to_handle_at": 303,
    "open_by_handle_at": 304,
    "setns": 308,
    "finit_module": 313,
    "kexec_file_load": 320,
    "bpf": 321,
    "userfaultfd": 323,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "mount_setattr": 442,
}


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("<HBBI", code, jt, jf, k)


# What the session's agent needs beyond a learner: a test's PID and mount namespace
# and its /proc (`agent.enter_test_pid_namespace`). The session's filter (bwrap
# --seccomp) allows these two; the agent stacks the full filter on every learner
# process before it execs, so learner code meets both and these stay refused.
AGENT_ONLY = frozenset({"unshare", "mount"})


def build_filter(machine: str | None = None, *, agent: bool = False) -> bytes | None:
    """The BPF program for learner processes (with `agent`: the session's, which
    lets the agent make a test's namespaces), or None on an architecture we have no
    table for."""
    if (machine or platform.machine()) != "x86_64":
        return None
    eperm = _RET_ERRNO | errno.EPERM
    denied = sorted(nr for name, nr in DENIED.items() if not (agent and name in AGENT_ONLY))
    prog: list[bytes] = []
    # Layout: the checks, then three shared returns: ALLOW, EPERM, ENOSYS.
    # arch (2), nr + x32 (2), denied, clone3, prctl, clone (3), prctl's arguments (4)
    body_len = 4 + len(denied) + 5 + 4
    prctl_args = body_len - 4
    ret_allow = body_len
    ret_eperm = body_len + 1
    ret_enosys = body_len + 2

    def jump_to(target: int) -> int:
        offset = target - len(prog) - 1
        assert 0 <= offset < 256
        return offset

    prog.append(_insn(_LD_W_ABS, 0, 0, 4))  # seccomp_data.arch
    prog.append(_insn(_JEQ_K, 0, jump_to(ret_eperm), _AUDIT_ARCH_X86_64))
    prog.append(_insn(_LD_W_ABS, 0, 0, 0))  # seccomp_data.nr
    prog.append(_insn(_JGE_K, jump_to(ret_eperm), 0, _X32_SYSCALL_BIT))
    for nr in denied:
        prog.append(_insn(_JEQ_K, jump_to(ret_eperm), 0, nr))
    prog.append(_insn(_JEQ_K, jump_to(ret_enosys), 0, _NR_CLONE3))
    prog.append(_insn(_JEQ_K, jump_to(prctl_args), 0, _NR_PRCTL))
    prog.append(_insn(_JEQ_K, 0, jump_to(ret_allow), _NR_CLONE))
    prog.append(_insn(_LD_W_ABS, 0, 0, 16))  # args[0], low 32 bits: clone flags
    prog.append(_insn(_JSET_K, jump_to(ret_eperm), jump_to(ret_allow), _NAMESPACE_FLAGS))
    assert len(prog) == prctl_args
    # prctl(PR_SET_DUMPABLE, x): only x == 0 (the agent making itself non-dumpable);
    # learner processes exec non-dumpable and may not turn that back on.
    prog.append(_insn(_LD_W_ABS, 0, 0, 16))  # args[0]: option
    prog.append(_insn(_JEQ_K, 0, jump_to(ret_allow), _PR_SET_DUMPABLE))
    prog.append(_insn(_LD_W_ABS, 0, 0, 24))  # args[1]
    prog.append(_insn(_JEQ_K, jump_to(ret_allow), jump_to(ret_eperm), 0))
    assert len(prog) == body_len
    prog.append(_insn(_RET_K, 0, 0, _RET_ALLOW))
    prog.append(_insn(_RET_K, 0, 0, eperm))
    prog.append(_insn(_RET_K, 0, 0, _RET_ERRNO | errno.ENOSYS))
    return b"".join(prog)


def agent_isolation_args() -> list[str]:
    """The session agent's options for each test's isolation (`sandbox/agent.py`): a
    PID namespace of its own, and this filter stacked on every learner process (on
    bwrap over the session's `agent=True` one, on Docker over Docker's profile)."""
    program = build_filter()
    return ["--pid-namespace", *(["--seccomp", program.hex()] if program else [])]
