"""`tensor`: the learner writes a NumPy or torch function (or a torch
`autograd.Function`); inputs and outputs travel as `.npz`.

The harness (`graders/harness/tensor_harness.py`) calls the entry named in the
`function:` spec with the inputs in its `inputs` order and writes the returned
arrays under the `outputs` names; the `tensor` checker compares them outside the
sandbox with the spec's tolerances and NaN policy, which this kind hands to the
checker as options.

Conventions a package author relies on:
    - 0-d arrays in the input .npz arrive as Python scalars (eps, momentum, training);
      trailing inputs may be left out of a test so that the entry's defaults apply.
    - An `autograd.Function` entry is applied, not called: an output named
      `d<input>` is the gradient of that input after backward with the upstream
      gradient `d<output>` read from the test (dy for y); an output named
      `gradcheck` (with `gradcheck: true`) is torch.autograd.gradcheck in float64 on
      a slice of the inputs (last axis <= 8, others <= 3).
    - `banned_modules` entries with a dot (`torch.nn.functional.layer_norm`) ban a
      function: calling it ends the run with "uses banned function ..." (RE); a
      torch function is refused at the dispatcher with its whole aten family
      (`native_layer_norm`, `native_layer_norm_backward`), see
      `graders/harness/dispatcher_ban.py`.
"""

from __future__ import annotations

import json
from typing import Any

from graders.checkers import tensor as tensor_checker
from graders.errors import ProblemFormatError
from graders.harness import harness_files
from graders.harness import protocol as wire
from graders.kinds.base import HARNESS_LANGUAGES, harness_module_file, python_launcher
from graders.kinds.registry import register_kind
from graders.package.model import CallSpec, ProblemType
from graders.package.types import Package, TestCase
from sandbox.languages import Language


def call_spec(package: Package) -> CallSpec:
    spec = package.spec.function
    if spec is None:
        raise ProblemFormatError(
            "a tensor problem needs a function: section", file="problem.yaml", field="function"
        )
    return spec


def harness_config(package: Package) -> dict[str, Any]:
    """What the harness needs to call the entry; everything else stays outside."""
    spec = call_spec(package)
    return {
        "module": spec.module,
        "entry": spec.entry,
        "framework": spec.framework,
        "inputs": spec.inputs,
        "outputs": spec.outputs,
        "gradcheck": spec.gradcheck,
        "banned": package.spec.banned_modules,
    }


class TensorKind:
    type = ProblemType.TENSOR
    default_checker = "tensor"
    harnessed = True
    languages: frozenset[str] | None = HARNESS_LANGUAGES
    needs_gpu = False

    def learner_filename(self, package: Package, language: Language) -> str:
        return harness_module_file(package)

    def workdir_files(self, package: Package, source: str, language: Language) -> dict[str, bytes]:
        python_launcher(self, language)  # refuses a language this kind does not take
        spec = call_spec(package)
        return {
            f"{spec.module}.py": source.encode("utf-8"),
            **harness_files(wire.TENSOR_HARNESS_FILE, wire.GUARD_FILE, wire.DISPATCHER_BAN_FILE),
            wire.TENSOR_CONFIG_FILE: json.dumps(harness_config(package)).encode(),
        }

    def run_argv(self, package: Package, language: Language) -> tuple[str, ...]:
        return (*python_launcher(self, language), wire.TENSOR_HARNESS_FILE)

    def checker_options(self, package: Package) -> dict[str, Any]:
        spec = call_spec(package)
        return {
            "tolerances": {dtype: tol.model_dump() for dtype, tol in spec.tolerances.items()},
            "nan_policy": spec.nan_policy,
            "outputs": spec.outputs,
            "inputs": spec.inputs,
        }

    def check_test(self, package: Package, test: TestCase) -> None:
        """Both files must be .npz archives holding the entry's arguments and outputs."""
        spec = call_spec(package)
        inputs = _members(test.input, f"{test.name}.in")
        present = [name for name in spec.inputs if name in inputs]
        if present != spec.inputs[: len(present)]:
            missing = [name for name in spec.inputs[: len(present)] if name not in inputs]
            raise ProblemFormatError(
                f"lacks inputs {missing} (only trailing ones may be left out)",
                file=f"{test.name}.in",
            )
        if test.answer:
            answers = _members(test.answer, f"{test.name}.ans")
            absent = [name for name in spec.outputs if name not in answers]
            if absent:
                raise ProblemFormatError(f"lacks outputs {absent}", file=f"{test.name}.ans")


def _members(data: bytes, where: str) -> set[str]:
    try:
        arrays = tensor_checker.load_npz(
            data, limit=tensor_checker.MIN_OUTPUT_LIMIT + 64 * len(data)
        )
    except tensor_checker.MalformedOutput as exc:
        raise ProblemFormatError(str(exc).replace("output", "file"), file=where) from None
    return set(arrays)


register_kind(TensorKind())
