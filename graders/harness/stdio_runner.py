"""Runs a learner's Python program (`main.py`) with the problem's banned modules.

Copied into the sandbox as `protocol.STDIO_RUNNER_FILE`, next to the guard; argv[1] is
the comma-separated list of banned modules. The program then runs as `__main__` with
its own argv."""

import runpy
import sys

import gradebox_guard as guard


def main() -> None:
    banned = [name for name in sys.argv[1].split(",") if name] if len(sys.argv) > 1 else []
    sys.argv = ["main.py"]
    guard.install(banned)
    try:
        runpy.run_path("main.py", run_name="__main__")
    except guard.BannedModuleError as exc:
        guard.report_and_exit(exc)


main()
