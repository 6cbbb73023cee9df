"""`kernel`: the learner writes Triton kernels behind a torch function
(`layer_norm(x, weight, bias, eps) -> y`, differentiable through their own
`torch.autograd.Function`); DESIGN section 6.

Correctness runs everywhere: the harness (`graders/harness/kernel_harness.py`)
runs the kernels on the GPU, or under `TRITON_INTERPRET=1` on CPU tensors where
none answers, and the `kernel` checker compares each output with the judge's own
float64 oracle. The interpreter runs programs one after another, so races and
missing barriers do not show there: CPU correctness is a pre-check, and only a
GPU run is timed and ranked (`graders.kernel.timing_run`).

Hooks of the kind protocol used here: `answer` (the oracle, computed in the
judge, is each generated test's answer: no reference solution runs), and
`exit_verdict` (the harness's refusal codes become fixed sentences).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from graders.errors import ProblemFormatError
from graders.harness import harness_files, kernel_protocol
from graders.harness import protocol as wire
from graders.kernel import oracles
from graders.kinds.base import HARNESS_LANGUAGES, harness_module_file, python_launcher
from graders.kinds.registry import register_kind
from graders.package.model import CallSpec, KernelSpec, ProblemType
from graders.package.types import Package, TestCase
from graders.verdict import Verdict
from sandbox.languages import Language

# The harness and the helpers it imports, by their sandbox names.
HARNESS_FILES = (
    wire.KERNEL_HARNESS_FILE,
    wire.GUARD_FILE,
    wire.KERNEL_BAN_FILE,
    wire.KERNEL_LAUNCHES_FILE,
    wire.KERNEL_PROTOCOL_FILE,
    wire.KERNEL_TIMING_FILE,
)
INPUTS = ("x", "weight", "bias", "dy", "eps", "dtype")


def kernel_specs(package: Package) -> tuple[CallSpec, KernelSpec]:
    if package.spec.function is None or package.spec.kernel is None:
        raise ProblemFormatError(
            "a kernel problem needs function: and kernel: sections", file="problem.yaml"
        )
    return package.spec.function, package.spec.kernel


def harness_config(package: Package, mode: str = "check") -> dict[str, Any]:
    function, kernel = kernel_specs(package)
    return {
        "mode": mode,
        "module": function.module,
        "entry": function.entry,
        "outputs": function.outputs,
        "banned_modules": [name for name in package.spec.banned_modules if "." not in name],
        "banned_ops": kernel.banned_ops,
    }


class KernelKind:
    type = ProblemType.KERNEL
    default_checker = "kernel"
    harnessed = True
    languages: frozenset[str] | None = HARNESS_LANGUAGES
    needs_gpu = True  # timing; correctness runs anywhere

    def learner_filename(self, package: Package, language: Language) -> str:
        return harness_module_file(package)

    def workdir_files(self, package: Package, source: str, language: Language) -> dict[str, bytes]:
        python_launcher(self, language)  # refuses a language this kind does not take
        function, _ = kernel_specs(package)
        files = harness_files(*HARNESS_FILES)
        stats = resources.files("graders.kernel").joinpath("stats.py")  # standard library only
        files[wire.KERNEL_STATS_FILE] = stats.read_bytes()
        files[wire.KERNEL_CONFIG_FILE] = json.dumps(harness_config(package)).encode()
        files[f"{function.module}.py"] = source.encode("utf-8")
        return files

    def run_argv(self, package: Package, language: Language) -> tuple[str, ...]:
        return (*python_launcher(self, language), wire.KERNEL_HARNESS_FILE)

    def checker_options(self, package: Package) -> dict[str, Any]:
        function, kernel = kernel_specs(package)
        return {
            "tolerances": {dtype: tol.model_dump() for dtype, tol in function.tolerances.items()},
            "outputs": function.outputs,
            "reference_check_min_elements": kernel.reference_check_min_elements,
        }

    def answer(self, package: Package, input_data: bytes) -> bytes:
        """The float64 oracle's outputs for one test input, computed here."""
        _, kernel = kernel_specs(package)
        return oracles.answer_bytes(kernel.oracle, input_data)

    def exit_verdict(self, exit_code: int | None) -> tuple[Verdict, str] | None:
        refusal = kernel_protocol.REFUSALS.get(exit_code) if exit_code is not None else None
        if refusal is None:
            return None
        return Verdict(refusal[0]), refusal[1]

    def check_test(self, package: Package, test: TestCase) -> None:
        where = test.source or f"{test.name}.in"
        try:
            arrays = oracles.load(test.input)
        except Exception:  # noqa: BLE001 - any parse failure is a bad package file
            raise ProblemFormatError("not an .npz archive", file=where) from None
        missing = [name for name in INPUTS if name not in arrays]
        if missing:
            raise ProblemFormatError(f"lacks inputs {missing}", file=where)
        if int(arrays["dtype"]) not in kernel_protocol.DTYPE_NAMES:
            raise ProblemFormatError("unknown dtype code", file=where, field="dtype")


register_kind(KernelKind())
