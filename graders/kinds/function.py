"""`function`: the learner writes a Python function; the harness calls it on each
test input (`.in` JSON `{"args": [...], "kwargs": {...}}`) and prints the return
value as JSON, which the `json` checker compares with `.ans` outside the sandbox."""

from __future__ import annotations

import json

from graders.errors import ProblemFormatError
from graders.harness import harness_files
from graders.harness import protocol as wire
from graders.kinds.base import HARNESS_LANGUAGES, harness_module_file, python_launcher
from graders.kinds.registry import register_kind
from graders.package.model import ProblemType
from graders.package.types import Package, TestCase
from sandbox.languages import Language


class FunctionKind:
    type = ProblemType.FUNCTION
    default_checker = "json"
    harnessed = True
    languages: frozenset[str] | None = HARNESS_LANGUAGES
    needs_gpu = False

    def learner_filename(self, package: Package, language: Language) -> str:
        return harness_module_file(package)

    def workdir_files(self, package: Package, source: str, language: Language) -> dict[str, bytes]:
        python_launcher(self, language)  # refuses a language this kind does not take
        spec = package.spec.function
        assert spec is not None  # the loader requires it for this type
        preload = (
            ["numpy"]
            if spec.framework == "numpy"
            else ["torch"]
            if spec.framework == "torch"
            else []
        )
        config = {
            "module": spec.module,
            "entry": spec.entry,
            "banned": package.spec.banned_modules,
            "preload": preload,
        }
        return {
            f"{spec.module}.py": source.encode("utf-8"),
            **harness_files(wire.FUNCTION_HARNESS_FILE, wire.GUARD_FILE),
            wire.FUNCTION_CONFIG_FILE: json.dumps(config).encode(),
        }

    def run_argv(self, package: Package, language: Language) -> tuple[str, ...]:
        return (*python_launcher(self, language), wire.FUNCTION_HARNESS_FILE)

    def check_test(self, package: Package, test: TestCase) -> None:
        where = test.source or f"{test.name}.in"
        try:
            payload = json.loads(test.input)
        except ValueError as exc:
            raise ProblemFormatError(f"not valid JSON ({exc})", file=where) from None
        if not isinstance(payload, dict) or set(payload) - {"args", "kwargs"}:
            raise ProblemFormatError(
                'expected an object {"args": [...], "kwargs": {...}}', file=where
            )
        if not isinstance(payload.get("args", []), list):
            raise ProblemFormatError("must be a list", file=where, field="args")
        if not isinstance(payload.get("kwargs", {}), dict):
            raise ProblemFormatError("must be an object", file=where, field="kwargs")
        if test.answer:
            try:
                json.loads(test.answer)
            except ValueError as exc:
                raise ProblemFormatError(
                    f"not valid JSON ({exc})", file=where.removesuffix(".in") + ".ans"
                ) from None


register_kind(FunctionKind())
