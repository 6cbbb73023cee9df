"""Every wire fact between the judge and the code it copies into the sandbox.

Standard library only, and no imports of the project's: copied into the sandbox as
`gradebox_protocol.py` next to the guard and every harness (which import it under
that name), and imported as `graders.harness.protocol` by the judging code, the
kinds and the checkers. An exit code, a marker or a file name is written here
once, so the two sides cannot drift apart.

The learner shares the harness's process, so it can print any marker and exit with
any code: the judge reads each one as a claim it could also have made
deliberately (a refusal or a fixed sentence, never a pass), and believes a name
after a marker only when it is on the problem's own list.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # not at run time: a stdio test's process would import `typing` for it
    from typing import BinaryIO

# Exit codes of a harnessed run. 1 is a learner exception (a traceback on stderr).
BANNED_EXIT_CODE = 3  # a banned module or function was used (BANNED_MARKER)
RESULT_EXIT_CODE = 4  # the returned value cannot be serialised (RESULT_MARKER)
MISSING_ENTRY_EXIT_CODE = 5  # the learner's module lacks the entry (ERROR_MARKER)
# Refusals of the kernel harness (sentences: `kernel_protocol.REFUSALS`).
EXIT_NO_FORWARD_LAUNCH = 6
EXIT_NO_BACKWARD_LAUNCH = 7
EXIT_NOT_A_TENSOR = 8
EXIT_MODIFIED_INPUT = 9
EXIT_GUARD_BAND = 10
EXIT_STALE_OUTPUT = 11

# Markers: a line of stderr that starts with one, followed by a space and a detail.
BANNED_MARKER = "GRADEBOX-BANNED:"  # "uses banned module M" / "uses banned function F"
RESULT_MARKER = "GRADEBOX-RESULT:"
ERROR_MARKER = "GRADEBOX-ERROR:"
# The checker runner's JSON report, the last line of stderr of an interactive run.
VALIDATOR_REPORT_MARKER = "GRADEBOX-VALIDATOR-REPORT "

# Kattis validator convention: the exit code of an accepting / rejecting validator.
VALIDATOR_ACCEPT = 42
VALIDATOR_REJECT = 43

# Members of the tensor harness's output .npz besides the outputs themselves.
TENSOR_ERROR_KEY = "__error__"  # [code, a, b]: the return value had the wrong form
TENSOR_ERR_COUNT = 1  # returned `a` values, expected `b`
TENSOR_ERR_NOT_ARRAY = 2  # output number `a` is not a numeric array/tensor
TENSOR_ERR_NO_GRAD = 3  # no gradient for input number `a`
GRADCHECK_OUTPUT = "gradcheck"  # the output that holds torch.autograd.gradcheck's answer

# File names in the sandbox workdir.
PROTOCOL_FILE = "gradebox_protocol.py"
GUARD_FILE = "gradebox_guard.py"
STDIO_RUNNER_FILE = "gradebox_run.py"
FUNCTION_HARNESS_FILE = "gradebox_function.py"
FUNCTION_CONFIG_FILE = "gradebox_harness.json"
TENSOR_HARNESS_FILE = "gradebox_tensor.py"
TENSOR_CONFIG_FILE = "gradebox_tensor.json"
DISPATCHER_BAN_FILE = "gradebox_dispatcher_ban.py"
KERNEL_HARNESS_FILE = "gradebox_kernel.py"
KERNEL_CONFIG_FILE = "gradebox_kernel.json"
KERNEL_BAN_FILE = "gradebox_kernel_ban.py"
KERNEL_LAUNCHES_FILE = "gradebox_kernel_launches.py"
KERNEL_PROTOCOL_FILE = "gradebox_kernel_protocol.py"
KERNEL_TIMING_FILE = "gradebox_kernel_timing.py"
KERNEL_STATS_FILE = "gradebox_kernel_stats.py"  # graders/kernel/stats.py
CHECKER_RUNNER_FILE = "gradebox_checker_runner.py"

# Sandbox name -> the file of graders/harness/ copied under it.
SOURCES = {
    PROTOCOL_FILE: "protocol.py",
    GUARD_FILE: "guard.py",
    STDIO_RUNNER_FILE: "stdio_runner.py",
    FUNCTION_HARNESS_FILE: "function_harness.py",
    TENSOR_HARNESS_FILE: "tensor_harness.py",
    DISPATCHER_BAN_FILE: "dispatcher_ban.py",
    KERNEL_HARNESS_FILE: "kernel_harness.py",
    KERNEL_BAN_FILE: "kernel_ban.py",
    KERNEL_LAUNCHES_FILE: "kernel_launches.py",
    KERNEL_PROTOCOL_FILE: "kernel_protocol.py",
    KERNEL_TIMING_FILE: "kernel_timing.py",
    CHECKER_RUNNER_FILE: "checker_runner.py",
}


def claim_stdout() -> BinaryIO:
    """The real stdout, kept for the harness's result alone; fd 1 and `sys.stdout`
    become stderr, so nothing the learner prints can mix with the result (which
    is all the judge reads from stdout)."""
    real = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return real
