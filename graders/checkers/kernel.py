"""`kernel`: a kernel run's outputs against the judge's float64 oracle.

The answer is the oracle's .npz (float64 y, dx, dweight, dbias); the output is
what `graders/harness/kernel_harness.py` wrote. Each output is checked on its
own: present, in the test's dtype (the harness reports dtypes as codes, since
NumPy has no bfloat16), the same shape, then values with the tolerance of the
test's dtype (`|got - want| <= atol + rtol * |want|`, as the tensor checker).
A float32 output bit-identical to torch's own layer norm is refused as calling
the reference (`graders.kernel.reference_check`). Feedback matches the tensor
problems': max abs/rel error per output, the first mismatch only on visible tests.

Options (the kernel kind fills them): tolerances {dtype: {rtol, atol}}, outputs,
reference_check_min_elements.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graders.checkers import tensor as tensor_checker
from graders.checkers.base import CheckContext, CheckResult
from graders.checkers.registry import register_checker
from graders.harness import kernel_protocol as protocol
from graders.kernel import reference_check
from graders.verdict import Verdict

CALLS_REFERENCE = (
    "y is bit-identical to torch's layer_norm on a large random float32 input: "
    "the submission calls the reference instead of its own kernel"
)


class KernelChecker:
    name = "kernel"

    def check(self, ctx: CheckContext) -> CheckResult:
        limit = tensor_checker.MIN_OUTPUT_LIMIT + 64 * len(ctx.input)
        try:
            inputs = tensor_checker.load_npz(ctx.input, limit=limit)
            want = tensor_checker.load_npz(ctx.answer, limit=limit + 64 * len(ctx.answer))
        except tensor_checker.MalformedOutput as exc:
            return CheckResult(Verdict.IE, f"test files: {exc}")
        try:
            got = tensor_checker.load_npz(ctx.output, limit=max(limit, 4 * len(ctx.answer)))
        except tensor_checker.MalformedOutput as exc:
            return CheckResult(Verdict.WA, str(exc))
        dtype = protocol.DTYPE_NAMES.get(int(inputs["dtype"]), "float32")
        names = list(ctx.options.get("outputs") or want)
        codes = [int(c) for c in got.get(protocol.DTYPES_KEY, np.zeros(0)).ravel()]
        tolerances = ctx.options.get("tolerances") or {}
        tol = tolerances.get(dtype) or {
            "rtol": tensor_checker.DEFAULT_TOLERANCES.get(dtype, (1e-2, 1e-2))[0],
            "atol": tensor_checker.DEFAULT_TOLERANCES.get(dtype, (1e-2, 1e-2))[1],
        }
        compare_options = {"tolerances": {"float64": tol}, "nan_policy": "reject"}
        feedback: dict[str, Any] = {"dtype": dtype}
        failures: list[str] = []
        for index, name in enumerate(names):
            if name not in got:
                feedback[name] = {"missing": True}
                failures.append(f"missing output {name} (no gradient, or not returned)")
                continue
            code = codes[index] if index < len(codes) else -1
            got_dtype = protocol.DTYPE_NAMES.get(code, "unknown")
            if got_dtype != dtype:
                feedback[name] = {"dtype": got_dtype, "expected_dtype": dtype}
                failures.append(f"{name}: expected dtype {dtype}, got {got_dtype}")
                continue
            result = tensor_checker.compare(
                name,
                want[name].astype(np.float64),
                got[name].astype(np.float64),
                visible=ctx.visible,
                options=compare_options,
            )
            result.feedback.update(dtype=dtype, expected_dtype=dtype)
            feedback[name] = result.feedback
            if not result.ok:
                failures.append(result.message)
        wrong = tensor_checker.wrong_if_any(failures, feedback)
        if wrong is not None:
            return wrong
        minimum = int(ctx.options.get("reference_check_min_elements", 65536))
        if dtype == "float32" and inputs["x"].size >= minimum:
            on_gpu = int(got.get(protocol.DEVICE_KEY, np.zeros(())).ravel()[0]) == 1
            same = reference_check.bit_identical(inputs, got["y"], on_gpu=on_gpu)
            feedback["reference_check"] = same if isinstance(same, str) else "passed"
            if same is True:
                feedback["reference_check"] = "failed"
                return CheckResult(Verdict.WA, CALLS_REFERENCE, feedback)
        return CheckResult(Verdict.AC, feedback=feedback)


register_checker(KernelChecker())
