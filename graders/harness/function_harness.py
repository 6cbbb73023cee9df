"""Calls the learner's function on one test input and prints the result as JSON.

Copied into the sandbox with the guard, the protocol module and a JSON config (module,
entry, banned, preload), under the names `graders.harness.protocol` gives. The test
input arrives on stdin as `{"args": [...], "kwargs": {...}}`. The learner's prints go
to stderr so that stdout carries only the result. Nothing here is trusted: it shares a
process with learner code, so it only serialises; the judge compares outside the
sandbox.

Exit codes (the protocol's): banned module, result not serialisable, entry point
missing, each with its marker; 1 is a learner exception.
"""

import importlib
import json
import sys
from typing import Any, NoReturn

import gradebox_guard as guard
import gradebox_protocol as wire


def _fail(marker: str, message: str, code: int) -> NoReturn:
    sys.stderr.write(f"\n{marker} {message}\n")
    sys.stderr.flush()
    raise SystemExit(code)


def _plain(value: Any) -> Any:
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return tolist()
    raise TypeError(type(value).__name__)


def main() -> None:
    with open(wire.FUNCTION_CONFIG_FILE, encoding="utf-8") as fh:
        config = json.load(fh)
    payload = json.loads(sys.stdin.buffer.read() or b"{}")
    real_stdout = wire.claim_stdout()
    guard.install(config["banned"], config.get("preload", ()))
    try:
        module = importlib.import_module(config["module"])
        entry: Any = getattr(module, config["entry"], None)
        if not callable(entry):
            missing = f"{config['module']}.py defines no function {config['entry']}"
            _fail(wire.ERROR_MARKER, missing, wire.MISSING_ENTRY_EXIT_CODE)
        result = entry(*payload.get("args", []), **payload.get("kwargs", {}))
    except guard.BannedModuleError as exc:
        guard.report_and_exit(exc)
    sys.stdout.flush()
    try:
        text = json.dumps(result, default=_plain, allow_nan=True)
    except (TypeError, ValueError) as exc:
        unserialisable = f"returned a value that cannot be turned into JSON ({exc})"
        _fail(wire.RESULT_MARKER, unserialisable, wire.RESULT_EXIT_CODE)
    except RecursionError:
        too_deep = "returned a value nested too deeply to turn into JSON"
        _fail(wire.RESULT_MARKER, too_deep, wire.RESULT_EXIT_CODE)
    real_stdout.write(text.encode("utf-8"))
    real_stdout.flush()


main()
