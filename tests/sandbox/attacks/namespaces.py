# New namespaces and mounts: the usual first step of a kernel exploit chain
# (a user namespace grants "root" inside it), and a keyring / BPF / io_uring poke.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWNET = 0x10000000, 0x00020000, 0x40000000
wins = []
for flags in (CLONE_NEWUSER, CLONE_NEWUSER | CLONE_NEWNS, CLONE_NEWNET):
    if libc.unshare(flags) == 0:
        wins.append(f"unshare {flags:#x}")
if libc.mount(b"none", b"/tmp", b"tmpfs", 0, None) == 0:
    wins.append("mount")
pid = os.fork()  # plain fork must keep working
if pid == 0:
    os._exit(7)
_, status = os.waitpid(pid, 0)
if os.waitstatus_to_exitcode(status) != 7:
    wins.append("fork broken")
print("ALLOWED", wins) if wins else print("BLOCKED")
