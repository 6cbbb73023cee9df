"""Wire facts of the kernel harness, imported by both sides.

Copied into the sandbox as `gradebox_kernel_protocol.py` next to the harness, and
imported by `graders.kinds.kernel` / `graders.checkers.kernel` on the judge side, so
an exit code or an array name is defined once.

The learner shares the harness's process, so it can pick any of these codes; each
maps to a fixed sentence chosen by the judge, which leaks nothing and proves
nothing on its own (DESIGN section 3): a code is a refusal the learner could also
have caused deliberately, never a pass.
"""

from __future__ import annotations

# Exit codes of a refused run (the harness found the submission breaking a rule
# it can see from inside; 3 is the guard's banned-function code).
EXIT_NO_FORWARD_LAUNCH = 6
EXIT_NO_BACKWARD_LAUNCH = 7
EXIT_NOT_A_TENSOR = 8
EXIT_MODIFIED_INPUT = 9
EXIT_GUARD_BAND = 10
EXIT_STALE_OUTPUT = 11

REFUSALS: dict[int, tuple[str, str]] = {
    # code: (verdict, sentence)
    EXIT_NO_FORWARD_LAUNCH: (
        "RE",
        "the forward pass launched no Triton kernel defined in the submission "
        "(a composite of torch ops is not accepted)",
    ),
    EXIT_NO_BACKWARD_LAUNCH: (
        "RE",
        "the backward pass launched no Triton kernel defined in the submission "
        "(a composite of torch ops is not accepted)",
    ),
    EXIT_NOT_A_TENSOR: (
        "WA",
        "layer_norm returned something other than a plain torch.Tensor "
        "(tensor subclasses and lazy wrappers are refused)",
    ),
    EXIT_MODIFIED_INPUT: ("WA", "the kernel modified one of its inputs"),
    EXIT_GUARD_BAND: (
        "WA",
        "the kernel wrote outside its tensors (a guard band around an input or "
        "output changed; check the masks of loads and stores)",
    ),
    EXIT_STALE_OUTPUT: (
        "WA",
        "a call returned the output of an earlier call (outputs must be computed "
        "from the current inputs)",
    ),
}

# Members of the harness's output .npz besides the outputs themselves.
DTYPES_KEY = "__dtypes__"  # int codes of the outputs' torch dtypes, in output order
DEVICE_KEY = "__device__"  # 0 cpu (interpreter), 1 cuda
LAUNCHES_KEY = "__launches__"  # [forward, backward] kernel launches of the submission
TIMING_KEY = "__timing__"  # timing mode: a JSON document as uint8 bytes

DTYPE_CODES = {"float32": 0, "float16": 1, "bfloat16": 2, "float64": 3}
DTYPE_NAMES = {code: name for name, code in DTYPE_CODES.items()}
