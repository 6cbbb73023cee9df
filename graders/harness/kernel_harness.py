"""Runs a learner's Triton kernels on one test, inside the sandbox.

Copied into the sandbox workdir with its helpers (the guard, the kernel ban, the
launch counter, the timer and both protocol modules, under the names
`graders.harness.protocol` gives them), its config (written by
`graders.kinds.kernel`) and the learner's module. Exit codes and markers are the
protocol module's; the refusal sentences are `kernel_protocol.REFUSALS`.

    stdin   an .npz: x, weight, bias, dy (float32 holding values exact in the
            test's dtype), eps, dtype (a code of DTYPE_CODES), optional `leading`
    stdout  an .npz: y, dx, dweight, dbias, plus the protocol's bookkeeping

Order matters, and is the point of this file: the harness imports torch and
triton, captures what it needs, sets `TRITON_INTERPRET=1` where no GPU answers,
refuses the banned aten operators at the dispatcher, turns on NaN-filled
allocations (`torch.use_deterministic_algorithms` fills `torch.empty` with NaN,
so an element the kernel never writes is NaN, not stale memory), starts counting
the submission's kernel launches, and only then imports the learner's module.

Each input lives inside a larger buffer whose margins hold a canary pattern
(guard bands: the interpreter does not fault on an out-of-bounds access, so a
changed margin is how a wrong mask shows on CPU); inputs are fresh tensors on
every call and are compared with a snapshot after it. Before the real test the
harness calls the function once on a decoy input of the same shape (it also
triggers JIT and autotuning): an output replayed for a shape seen before then
differs from the oracle, and is named as stale when it equals the decoy's.

Nothing here is trusted: every verdict is the judge's, outside this process.
"""

from __future__ import annotations

import io
import json
import os
import sys
from typing import Any

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import gradebox_guard as guard  # noqa: E402  (copied next to this file in the sandbox)
import gradebox_kernel_protocol as protocol  # noqa: E402
import gradebox_protocol as wire  # noqa: E402

GUARD_ELEMENTS = 4096  # canary elements on each side of every input
CANARY = -31337.0  # exact in fp32, fp16 and bf16


def gpu_present() -> bool:
    import torch

    return bool(torch.cuda.is_available())


def prepare_runtime() -> Any:
    """Import torch and triton in the right mode; returns the device."""
    import torch

    device = "cuda" if gpu_present() else "cpu"
    if device == "cpu":
        os.environ["TRITON_INTERPRET"] = "1"
    import triton  # noqa: F401
    import triton.language  # noqa: F401

    torch.set_num_threads(1)
    # The C switch behind torch.use_deterministic_algorithms (whose Python wrapper
    # imports torch._inductor, seconds of start-up): with it, torch.empty fills
    # floating tensors with NaN (torch.utils.deterministic.fill_uninitialized_memory).
    torch._C._set_deterministic_algorithms(True, warn_only=True)
    torch.utils.deterministic.fill_uninitialized_memory = True  # type: ignore[attr-defined]
    return torch.device(device)


def torch_dtype(code: int) -> Any:
    import torch

    return getattr(torch, protocol.DTYPE_NAMES[code])


class Guarded:
    """One input tensor inside a canary-filled buffer, with a snapshot of its values."""

    def __init__(self, values: Any, dtype: Any, device: Any, shape: tuple[int, ...]) -> None:
        import torch

        numel = int(values.size)
        self.buffer = torch.full((numel + 2 * GUARD_ELEMENTS,), CANARY, dtype=dtype, device=device)
        self.tensor = self.buffer[GUARD_ELEMENTS : GUARD_ELEMENTS + numel].view(shape)
        self.tensor.copy_(torch.from_numpy(values.reshape(shape)).to(dtype))
        self.snapshot = self.buffer.clone()

    def bands_intact(self) -> bool:
        import torch

        head = self.buffer[:GUARD_ELEMENTS]
        tail = self.buffer[-GUARD_ELEMENTS:]
        return bool(torch.all(head == CANARY) and torch.all(tail == CANARY))

    def unmodified(self) -> bool:
        import torch

        return bool(
            torch.equal(
                self.buffer.view(torch.int16 if self.buffer.element_size() == 2 else torch.int32),
                self.snapshot.view(torch.int16 if self.buffer.element_size() == 2 else torch.int32),
            )
        )


class Refusal(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def read_inputs(data: bytes) -> dict[str, Any]:
    import numpy as np

    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def decoy(arrays: dict[str, Any]) -> dict[str, Any]:
    """Same shapes, other values: reversed rows, negated and shifted x, other affine."""
    import numpy as np

    out = dict(arrays)
    out["weight"] = -arrays["weight"]
    out["bias"] = arrays["bias"] + 0.25
    x = arrays["x"].reshape(-1, arrays["x"].shape[-1])
    out["x"] = np.ascontiguousarray((-x[::-1] + 0.5).astype(arrays["x"].dtype))
    out["dy"] = np.ascontiguousarray(arrays["dy"].reshape(x.shape)[::-1] * 0.5)
    return out


def run_once(
    entry: Any,
    arrays: dict[str, Any],
    device: Any,
    launches: Any,
    previous: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], int, int]:
    """One forward and backward on fresh guarded inputs: the outputs as tensors, and the
    submission's kernel launches in the forward and in the backward. A forward output
    equal to `previous` (the decoy call's) is refused as stale before any backward."""
    import torch

    dtype = torch_dtype(int(arrays["dtype"]))
    m, n = arrays["x"].reshape(-1, arrays["x"].shape[-1]).shape
    leading = tuple(int(v) for v in arrays.get("leading", [m])) + (n,)
    guarded = {
        "x": Guarded(arrays["x"], dtype, device, leading),
        "weight": Guarded(arrays["weight"], dtype, device, (n,)),
        "bias": Guarded(arrays["bias"], dtype, device, (n,)),
        "dy": Guarded(arrays["dy"], dtype, device, leading),
    }
    x, weight, bias = (guarded[k].tensor for k in ("x", "weight", "bias"))
    for tensor in (x, weight, bias):
        tensor.requires_grad_(True)
    eps = float(arrays["eps"])
    launches.reset()
    y = entry(x, weight, bias, eps)
    if type(y) is not torch.Tensor:
        raise Refusal(wire.EXIT_NOT_A_TENSOR)
    forward_launches = launches.reset()
    if previous is not None and same_output(previous, {"y": y.detach()}):
        raise Refusal(wire.EXIT_STALE_OUTPUT)
    if y.requires_grad:
        torch.autograd.backward([y], [guarded["dy"].tensor])
    backward_launches = launches.reset()
    if device.type == "cuda":
        torch.cuda.synchronize()
    for item in guarded.values():
        if not item.bands_intact():
            raise Refusal(wire.EXIT_GUARD_BAND)
        if not item.unmodified():
            raise Refusal(wire.EXIT_MODIFIED_INPUT)
    grads = {"dx": x.grad, "dweight": weight.grad, "dbias": bias.grad}
    for _name, grad in grads.items():
        if grad is not None and type(grad) is not torch.Tensor:
            raise Refusal(wire.EXIT_NOT_A_TENSOR)
    outputs = {
        "y": y.detach(),
        **{k: (v.detach() if v is not None else None) for k, v in grads.items()},
    }
    return outputs, forward_launches, backward_launches


def serialise(outputs: dict[str, Any], device: Any, names: list[str]) -> dict[str, Any]:
    import numpy as np
    import torch

    values: dict[str, Any] = {}
    codes: list[int] = []
    for name in names:
        tensor = outputs.get(name)
        if tensor is None:
            codes.append(-1)
            continue
        codes.append(protocol.DTYPE_CODES.get(str(tensor.dtype).removeprefix("torch."), -1))
        if tensor.dtype == torch.bfloat16 or not tensor.is_floating_point():
            tensor = tensor.to(torch.float32)
        values[name] = np.ascontiguousarray(tensor.cpu().numpy())
    values[protocol.DTYPES_KEY] = np.asarray(codes, dtype=np.int64)
    values[protocol.DEVICE_KEY] = np.asarray(1 if device.type == "cuda" else 0, dtype=np.int64)
    return values


def same_output(a: dict[str, Any], b: dict[str, Any]) -> bool:
    import torch

    ya, yb = a.get("y"), b.get("y")
    return ya is not None and yb is not None and ya.shape == yb.shape and torch.equal(ya, yb)


def write_npz(stream: Any, values: dict[str, Any]) -> None:
    import numpy as np

    buffer = io.BytesIO()
    np.savez(buffer, **values)
    stream.write(buffer.getvalue())
    stream.flush()


def main() -> int:
    real_stdout = wire.claim_stdout()
    try:
        with open(wire.KERNEL_CONFIG_FILE, encoding="utf-8") as fh:
            config: dict[str, Any] = json.load(fh)
        device = prepare_runtime()
        arrays = read_inputs(sys.stdin.buffer.read())
        import gradebox_kernel_ban as kernel_ban
        import gradebox_kernel_launches as kernel_launches

        if config.get("mode") == "time":
            import gradebox_kernel_timing as timing

            timing.capture()  # the timer and the reference, before any learner code
        guard.install(config["banned_modules"], preload=["numpy", "torch", "triton"])
        ban = kernel_ban.DispatcherBan(config["banned_ops"], "aten")
        ban.install()
        learner_file = os.path.join(os.getcwd(), f"{config['module']}.py")
        launches = kernel_launches.LaunchCounter(learner_file)
        launches.install()
    except Exception as exc:  # noqa: BLE001 - the judge's side failed
        sys.stderr.write(f"harness error: {type(exc).__name__}: {exc}\n")
        return 1
    sys.path.insert(0, os.getcwd())
    try:
        module = __import__(config["module"])
        entry = getattr(module, config["entry"], None)
        if entry is None:
            message = f"{config['module']}.py defines no {config['entry']}"
            sys.stderr.write(f"\n{wire.ERROR_MARKER} {message}\n")
            return int(wire.MISSING_ENTRY_EXIT_CODE)  # the copied module is untyped here
        if config.get("mode") == "time":
            code: int = timing.main(entry, arrays, device, launches, ban, config, real_stdout)
            return code
        first, _, _ = run_once(entry, decoy(arrays), device, launches)
        outputs, forward_launches, backward_launches = run_once(
            entry, arrays, device, launches, previous=first
        )
        if forward_launches == 0:
            raise Refusal(wire.EXIT_NO_FORWARD_LAUNCH)
        if backward_launches == 0:
            raise Refusal(wire.EXIT_NO_BACKWARD_LAUNCH)
    except guard.BannedModuleError as exc:
        guard.report_and_exit(exc)
    except Refusal as refusal:
        if ban.hits:
            guard.report_and_exit(guard.BannedModuleError(f"uses banned function {ban.hits[0]}"))
        sys.stderr.write(f"refused: {protocol.REFUSALS[refusal.code][1]}\n")
        return refusal.code
    except BaseException:
        if ban.hits:  # a refused call whose error the learner swallowed still counts
            guard.report_and_exit(guard.BannedModuleError(f"uses banned function {ban.hits[0]}"))
        raise
    if ban.hits:
        guard.report_and_exit(guard.BannedModuleError(f"uses banned function {ban.hits[0]}"))
    write_npz(real_stdout, serialise(outputs, device, config["outputs"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
