"""Runs a learner's NumPy or torch function on one test, inside the sandbox.

Copied into the sandbox workdir next to the guard, the protocol module, its config
(written by `graders.kinds.tensor`; every name is `graders.harness.protocol`'s) and
the learner's module; started once per test:

    stdin   an .npz of the named inputs
    stdout  an .npz of the named outputs (the learner's prints go to stderr)

Nothing computed here is trusted (the learner shares this process): the harness
only turns inputs into outputs, and the checker compares them outside. Mistakes
in what the learner *returned* (wrong count, not an array, a missing gradient)
travel as a small integer code under `__error__` so the checker can turn them
into a fixed, leak-free sentence; the details go to stderr, which only sample
tests show.

Banned APIs come from `banned_modules`: a plain name ("torch") is blocked at
import by the audit hook in `guard.py` (and, outside this process, by the
sandbox's filesystem view); a dotted name ("torch.layer_norm") is a function of an
allowed module. A torch function is refused at torch's dispatcher
(`gradebox_dispatcher_ban.py`, installed before the learner's module is imported,
so every alias ends at the refusal); every dotted name is also replaced by a Python
stub where it is reachable, so calling it reports "uses banned function
torch.layer_norm". Both are best-effort (the learner shares this process); the
judge's bit-identical reference check and static scan back them from outside.

For an `autograd.Function` entry the harness applies it, runs backward with the
upstream gradients `d<output>` from the test input, reports the gradient of each
input `<name>` as output `d<name>`, and, when asked, `torch.autograd.gradcheck`
on a small float64 slice of the inputs as the boolean output `gradcheck`.
"""

from __future__ import annotations

import io
import json
import os
import sys
from typing import Any

# Before NumPy/torch start their thread pools: one thread per test keeps CPU time
# (what the limit counts) equal to wall time.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import gradebox_dispatcher_ban as dispatcher_ban  # noqa: E402  (copied next to this file)
import gradebox_guard as guard  # noqa: E402  (copied next to this file in the sandbox)
import gradebox_protocol as wire  # noqa: E402

# Largest slice of each tensor input that gradcheck differentiates numerically:
# the last axis is capped at 8 and every other axis at 3, which keeps shapes that
# match along the last axis (x of (N, D) and weight of (D,)) consistent.
_GRADCHECK_LAST = 8
_GRADCHECK_OTHER = 3


class ReturnError(Exception):
    """The learner's return value has the wrong form; carries an `__error__` code."""

    def __init__(self, code: int, a: int, b: int, detail: str) -> None:
        super().__init__(detail)
        self.code = (code, a, b)


class _BannedFunction:
    """Stands in for a banned function; calling it (or any attribute) reports the ban."""

    def __init__(self, name: str, hits: list[str]) -> None:
        self._name = name
        self._hits = hits

    def _refuse(self) -> guard.BannedModuleError:
        self._hits.append(self._name)
        return guard.BannedModuleError(f"uses banned function {self._name}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise self._refuse()

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        raise self._refuse()


class _Shield:
    """Forwards to a read-only namespace (a C extension's function table) except banned names."""

    def __init__(self, inner: Any, banned: dict[str, _BannedFunction]) -> None:
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "_banned", banned)

    def __getattr__(self, attr: str) -> Any:
        banned: dict[str, _BannedFunction] = object.__getattribute__(self, "_banned")
        if attr in banned:
            return banned[attr]
        return getattr(object.__getattribute__(self, "_inner"), attr)

    def __dir__(self) -> list[str]:
        return dir(object.__getattribute__(self, "_inner"))


def ban_functions(names: list[str], hits: list[str]) -> None:
    """Replace each dotted `module.attr...name` reachable from a loaded module.

    Where the owner refuses new attributes (torch._C._VariableFunctions), the owner
    itself is replaced, in its own parent, by a `_Shield` that hides the name.
    """
    for dotted in names:
        parts = dotted.split(".")
        parent: Any = None
        owner: Any = sys.modules.get(parts[0])
        if owner is None:
            continue
        try:
            for part in parts[1:-1]:
                parent, owner = owner, getattr(owner, part)
            stub = _BannedFunction(dotted, hits)
            try:
                setattr(owner, parts[-1], stub)
            except (AttributeError, TypeError):
                if isinstance(owner, _Shield):
                    object.__getattribute__(owner, "_banned")[parts[-1]] = stub
                elif parent is not None:
                    setattr(parent, parts[-2], _Shield(owner, {parts[-1]: stub}))
                else:
                    raise
        except (AttributeError, TypeError):
            sys.stderr.write(f"harness: cannot ban {dotted}\n")


def warm_up_torch() -> None:
    """Run autograd once so its lazy imports (sympy imports ctypes) happen before the ban."""
    import torch

    x = torch.ones(2, 3, dtype=torch.float64, requires_grad=True)
    torch.autograd.backward([x * x], [torch.ones(2, 3, dtype=torch.float64)])
    torch.autograd.gradcheck(lambda t: (t * t).sum(-1), (x.detach().requires_grad_(),))
    torch.set_num_threads(1)


def read_inputs(data: bytes) -> dict[str, Any]:
    import numpy as np

    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def positional(arrays: dict[str, Any], names: list[str]) -> list[str]:
    """The input names to pass: all of them, or a prefix when trailing ones are absent."""
    present = [name for name in names if name in arrays]
    if present != names[: len(present)]:
        missing = [name for name in names[: len(present)] if name not in arrays]
        raise KeyError(f"test input lacks {missing} but has later inputs")
    return present


def to_argument(value: Any, framework: str) -> Any:
    """0-d arrays become Python scalars (eps, momentum, training); others arrays/tensors."""
    if value.ndim == 0:
        return value.item()
    if framework == "torch":
        import torch

        return torch.from_numpy(value.copy())
    return value.copy()


def to_array(value: Any, index: int) -> Any:
    import numpy as np

    if type(value).__module__.startswith("torch"):
        import torch

        if isinstance(value, torch.Tensor):
            value = value.detach().cpu().resolve_conj().resolve_neg().numpy()
    if value is None or isinstance(value, str | bytes | dict):
        raise ReturnError(
            wire.TENSOR_ERR_NOT_ARRAY, index, 0, f"output {index} is {type(value).__name__}"
        )
    try:
        array = np.asarray(value)
    except Exception as exc:  # noqa: BLE001 - any failure is the learner's value
        raise ReturnError(wire.TENSOR_ERR_NOT_ARRAY, index, 0, f"output {index}: {exc}") from None
    if array.dtype.kind not in "biuf":
        raise ReturnError(
            wire.TENSOR_ERR_NOT_ARRAY, index, 0, f"output {index} has dtype {array.dtype}"
        )
    return np.ascontiguousarray(array)


def split_result(result: Any, count: int) -> list[Any]:
    if count == 1:
        if isinstance(result, tuple | list) and len(result) == 1:
            return [result[0]]
        return [result]
    if not isinstance(result, tuple | list):
        raise ReturnError(
            wire.TENSOR_ERR_COUNT, 1, count, f"returned {type(result).__name__}, not a tuple"
        )
    if len(result) != count:
        raise ReturnError(
            wire.TENSOR_ERR_COUNT, len(result), count, f"returned {len(result)} values"
        )
    return list(result)


def gradcheck_slice(args: list[Any]) -> list[Any]:
    import torch

    small: list[Any] = []
    for arg in args:
        if isinstance(arg, torch.Tensor):
            index = tuple(
                slice(0, _GRADCHECK_LAST if axis == arg.ndim - 1 else _GRADCHECK_OTHER)
                for axis in range(arg.ndim)
            )
            piece = arg[index].detach().to(torch.float64).contiguous()
            small.append(piece.requires_grad_(piece.is_floating_point()))
        else:
            small.append(arg)
    return small


def run_autograd(function: Any, arrays: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    import torch

    names = positional(arrays, config["inputs"])
    args = [to_argument(arrays[name], "torch") for name in names]
    for arg in args:
        if isinstance(arg, torch.Tensor) and arg.is_floating_point():
            arg.requires_grad_(True)
    outputs: list[str] = config["outputs"]
    grad_of = {f"d{name}": i for i, name in enumerate(names)}
    forward_names = [o for o in outputs if o not in grad_of and o != wire.GRADCHECK_OUTPUT]
    results = split_result(function.apply(*args), len(forward_names))
    values: dict[str, Any] = {}
    roots, upstream = [], []
    for name, tensor in zip(forward_names, results, strict=True):
        if not isinstance(tensor, torch.Tensor):
            raise ReturnError(
                wire.TENSOR_ERR_NOT_ARRAY, outputs.index(name), 0, f"{name} is not a tensor"
            )
        values[name] = to_array(tensor, outputs.index(name))
        if tensor.requires_grad and f"d{name}" in arrays:
            roots.append(tensor)
            upstream.append(torch.from_numpy(arrays[f"d{name}"].copy()))
    if roots:
        torch.autograd.backward(roots, upstream)
    for output in outputs:
        if output in grad_of:
            arg = args[grad_of[output]]
            grad = arg.grad if isinstance(arg, torch.Tensor) else None
            if grad is None:
                raise ReturnError(
                    wire.TENSOR_ERR_NO_GRAD, grad_of[output], 0, f"no gradient for {output}"
                )
            values[output] = to_array(grad, outputs.index(output))
    if wire.GRADCHECK_OUTPUT in outputs and config.get("gradcheck"):
        values[wire.GRADCHECK_OUTPUT] = run_gradcheck(function, args)
    return values


def run_gradcheck(function: Any, args: list[Any]) -> Any:
    import numpy as np
    import torch

    try:
        passed = torch.autograd.gradcheck(
            function.apply, tuple(gradcheck_slice(args)), raise_exception=True
        )
    except guard.BannedModuleError:
        raise
    except Exception as exc:  # noqa: BLE001 - a failing check is a result, not a crash
        sys.stderr.write(f"gradcheck failed: {exc}\n")
        passed = False
    return np.asarray(bool(passed))


def run_function(function: Any, arrays: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    names = positional(arrays, config["inputs"])
    args = [to_argument(arrays[name], config["framework"]) for name in names]
    outputs: list[str] = config["outputs"]
    results = split_result(function(*args), len(outputs))
    return {
        name: to_array(value, i)
        for i, (name, value) in enumerate(zip(outputs, results, strict=True))
    }


def is_autograd_function(entry: Any) -> bool:
    torch = sys.modules.get("torch")
    return (
        torch is not None and isinstance(entry, type) and issubclass(entry, torch.autograd.Function)
    )


def write_npz(stream: Any, values: dict[str, Any]) -> None:
    import numpy as np

    buffer = io.BytesIO()
    np.savez(buffer, **values)
    stream.write(buffer.getvalue())
    stream.flush()


def call_learner(config: dict[str, Any], arrays: dict[str, Any]) -> dict[str, Any] | None:
    """Import the learner's module and run the entry; None when the entry is missing."""
    module = __import__(config["module"])
    entry = getattr(module, config["entry"], None)
    if entry is None:
        message = f"{config['module']}.py defines no {config['entry']}"
        sys.stderr.write(f"\n{wire.ERROR_MARKER} {message}\n")
        return None
    if is_autograd_function(entry):
        return run_autograd(entry, arrays, config)
    return run_function(entry, arrays, config)


def main() -> int:
    real_stdout = wire.claim_stdout()
    try:
        with open(wire.TENSOR_CONFIG_FILE, encoding="utf-8") as fh:
            config: dict[str, Any] = json.load(fh)
        banned: list[str] = config.get("banned", [])
        torch_problem = config["framework"] == "torch"
        if torch_problem:
            warm_up_torch()
            # Before guard.install: the ban keeps its handle alive through ctypes,
            # which a torch problem may ban for the learner.
            dispatcher_ban.install([name for name in banned if "." in name])
        # Before the ban: reading the archive imports helpers a problem may ban.
        arrays = read_inputs(sys.stdin.buffer.read())
        guard.install(
            [name for name in banned if "." not in name],
            preload=["numpy", "torch"] if torch_problem else ["numpy"],
        )
    except Exception as exc:  # noqa: BLE001 - the judge's side failed
        sys.stderr.write(f"harness error: {type(exc).__name__}: {exc}\n")
        return 1
    hits: list[str] = []
    ban_functions([name for name in banned if "." in name], hits)
    # Bound before the learner's module loads: rebinding the guard module's names
    # (found through sys.modules) does not change what this frame calls.
    report, banned_error = guard.report_and_exit, guard.BannedModuleError
    sys.path.insert(0, os.getcwd())
    try:
        values = call_learner(config, arrays)
    except banned_error as exc:
        report(exc)
    except ReturnError as exc:
        import numpy as np

        sys.stderr.write(f"wrong return value: {exc}\n")
        values = {wire.TENSOR_ERROR_KEY: np.asarray(exc.code, dtype=np.int64)}
    except BaseException:
        # A banned call whose error the learner swallowed still counts, even if
        # the code crashed (or exited) afterwards.
        if hits:
            report(banned_error(f"uses banned function {hits[0]}"))
        raise
    if hits:
        report(banned_error(f"uses banned function {hits[0]}"))
    if values is None:
        return int(wire.MISSING_ENTRY_EXIT_CODE)  # the copied module is untyped here
    write_npz(real_stdout, values)
    return 0


if __name__ == "__main__":
    sys.exit(main())
