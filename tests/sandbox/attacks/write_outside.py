# Write anywhere but the workdir: system dirs, the runtime, the agent, the judge's
# directory, kernel knobs and cgroup files.
import os

targets = [
    "/usr/gbx",
    "/etc/gbx",
    "/gbx",
    "/opt/gbx",
    "/opt/runtime/gbx",
    "/opt/gradebox/agent.py",
    # the bytecode the agent and the fork server load (sandbox/agent_bytecode.py)
    "/opt/gradebox/__pycache__/agent.cpython-311.pyc",
    "/opt/gradebox/__pycache__/gbx.cpython-311.pyc",
    "/usr/local/lib/python3.11/dist-packages/numpy/__init__.py",
    os.environ["HOST_DIR"] + "/gbx",
    "/proc/sys/kernel/hostname",
    "/proc/sysrq-trigger",
    "/sys/fs/cgroup/memory/cgroup.procs",
    "/sys/fs/cgroup/pids/pids.max",
    "/sys/fs/cgroup/cgroup.procs",
]
written = []
for path in targets:
    try:
        with open(path, "a") as fh:
            fh.write("x")
        written.append(path)
    except OSError:
        pass
print("ESCAPED", written) if written else print("BLOCKED")
