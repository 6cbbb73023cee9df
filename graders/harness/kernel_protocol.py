"""What only the kernel harness and its judge share: arrays, inputs, refusals.

Copied into the sandbox as `gradebox_kernel_protocol.py` next to the harness, and
imported by `graders.kinds.kernel` / `graders.checkers.kernel` on the judge side, so
an array name or a refusal's sentence is defined once; its exit codes are those of
`graders.harness.protocol`, the wire facts every harness shares.

The learner shares the harness's process, so it can pick any of these codes; each
maps to a fixed sentence chosen by the judge, which leaks nothing and proves
nothing on its own (DESIGN section 3): a code is a refusal the learner could also
have caused deliberately, never a pass.
"""

from __future__ import annotations

from typing import Any

try:  # in the sandbox, next to the harness
    import gradebox_protocol as wire
except ImportError:  # on the judge side
    from graders.harness import protocol as wire

# The harness found the submission breaking a rule it can see from inside; the
# codes are the protocol module's (3 is the guard's banned-function code).
REFUSALS: dict[int, tuple[str, str]] = {
    # code: (verdict, sentence)
    wire.EXIT_NO_FORWARD_LAUNCH: (
        "RE",
        "the forward pass launched no Triton kernel defined in the submission "
        "(a composite of torch ops is not accepted)",
    ),
    wire.EXIT_NO_BACKWARD_LAUNCH: (
        "RE",
        "the backward pass launched no Triton kernel defined in the submission "
        "(a composite of torch ops is not accepted)",
    ),
    wire.EXIT_NOT_A_TENSOR: (
        "WA",
        "layer_norm returned something other than a plain torch.Tensor "
        "(tensor subclasses and lazy wrappers are refused)",
    ),
    wire.EXIT_MODIFIED_INPUT: ("WA", "the kernel modified one of its inputs"),
    wire.EXIT_GUARD_BAND: (
        "WA",
        "the kernel wrote outside its tensors (a guard band around an input or "
        "output changed; check the masks of loads and stores)",
    ),
    wire.EXIT_STALE_OUTPUT: (
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

CHECK_ROWS = 64  # rows of y and dx per timed input set that go to the judge


def make_inputs(m: int, n: int, dtype: str, seed: int) -> dict[str, Any]:
    """One timed input set; the harness and the judge (for the oracle) both call this."""
    import numpy as np

    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, size=(m, 1)) + rng.uniform(0.5, 2.0, size=(m, 1)) * (
        rng.standard_normal((m, n), dtype=np.float32)
    )
    return {
        "x": x.astype(np.float32),
        "weight": rng.normal(1.0, 0.3, size=n).astype(np.float32),
        "bias": rng.normal(0.0, 0.3, size=n).astype(np.float32),
        "dy": rng.standard_normal((m, n), dtype=np.float32),
        "dtype": DTYPE_CODES[dtype],
        "eps": 1e-5,
    }


def check_rows(m: int, seed: int) -> list[int]:
    import numpy as np

    rng = np.random.default_rng(seed ^ 0x5EED)
    return sorted(int(r) for r in rng.choice(m, size=min(m, CHECK_ROWS), replace=False))


def round_to(values: Any, dtype: str) -> Any:
    """float32 values rounded to `dtype` (nearest even, as torch's casts), as float32."""
    import numpy as np

    v = np.asarray(values, dtype=np.float32)
    if dtype == "float16":
        return v.astype(np.float16).astype(np.float32)
    if dtype == "bfloat16":
        bits = v.view(np.uint32).astype(np.uint64)
        rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
        return rounded.astype(np.uint32).view(np.float32)
    return v
