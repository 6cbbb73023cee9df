"""Counts launches of Triton kernels that the submission's own file defines.

Copied into the sandbox as `gradebox_kernel_launches.py` and installed before the
learner's module is imported. Every launch (`kernel[grid](...)`, autotuned or
not, compiled or under `TRITON_INTERPRET=1`) ends in `JITFunction.run` or
`InterpretedFunction.run`; the wrapper counts the call when the kernel's Python
function was compiled from the learner's file. It lets the harness refuse a
torch composite that launches nothing of its own. A determined learner can
launch a trivial kernel beside a composite: the advisory static scan and the
instructor's review cover that, not this counter.
"""

from __future__ import annotations

import functools
import os
from typing import Any


class LaunchCounter:
    def __init__(self, learner_file: str) -> None:
        self.learner_file = os.path.realpath(learner_file)
        self.count = 0
        self.names: list[str] = []

    def install(self) -> None:
        from triton.runtime import jit

        classes: list[Any] = [jit.JITFunction]
        try:
            from triton.runtime import interpreter

            classes.append(interpreter.InterpretedFunction)
        except ImportError:
            pass
        for cls in classes:
            cls.run = self._wrap(cls.run)

    def reset(self) -> int:
        count, self.count = self.count, 0
        return count

    def _is_learners(self, kernel: Any) -> bool:
        fn = getattr(kernel, "fn", None)
        code = getattr(fn, "__code__", None)
        filename = getattr(code, "co_filename", "")
        return bool(filename) and os.path.realpath(filename) == self.learner_file

    def _wrap(self, run: Any) -> Any:
        counter = self

        @functools.wraps(run)
        def counted(kernel: Any, *args: Any, **kwargs: Any) -> Any:
            if not kwargs.get("warmup") and counter._is_learners(kernel):
                counter.count += 1
                counter.names.append(getattr(kernel.fn, "__name__", "?"))
            return run(kernel, *args, **kwargs)

        return counted
