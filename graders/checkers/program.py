"""An instructor's validator program (output validator, interactor, input validator),
ready to run in a sandbox of its own.

A validator is either one Python file (`checker.py`), or a folder of sources
(`output_validator/`, `interactor/`, `input_validators/<name>/`): Python files,
whose entry is `validate.py`, `main.py` or the only `.py` file; or C/C++ files
(with headers such as Kattis' `validate.h`), compiled together with g++ (gcc when
all are C) in a sandbox, never on the judgehost.

Compiling costs a second or more, so the binary is cached in this process by the
hash of its sources: one compile per package version and judgehost, not per test.
The binary travels into each run as a plain file; `checker_runner.py` copies it to
an executable file inside the sandbox (the agent writes files without the exec bit).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from graders.errors import GradingError, ProblemFormatError
from graders.package.files import read_file, scan
from sandbox import Limits, RunSpec, RunStatus, Sandbox

C_SOURCES = (".c",)
CPP_SOURCES = (".cc", ".cpp", ".cxx", ".c++")
HEADERS = (".h", ".hpp", ".hh")
BINARY = "validator.bin"
SOURCE_DIR = "validator_src"
ENTRY_NAMES = ("validate.py", "validator.py", "main.py", "interactor.py")
COMPILE_LIMITS = Limits(wall_s=120, cpu_s=60, memory_mb=2048, output_bytes=64 * 1024 * 1024)
_CACHE_SIZE = 32


@dataclass(frozen=True)
class ValidatorProgram:
    """Files for the workdir and the command, as `checker_runner.py` takes it."""

    files: dict[str, bytes] = field(default_factory=dict)
    argv: tuple[str, ...] = ()


_cache: OrderedDict[str, bytes] = OrderedDict()
_lock = threading.Lock()


def has_validator(files: list[str], where: str) -> bool:
    """Whether `where` (a file or a folder of the package) holds a validator."""
    return where in files or any(rel.startswith(where.rstrip("/") + "/") for rel in files)


def validator_sources(root: Path, where: str) -> dict[str, bytes]:
    """The validator's files by name relative to `where` (a file or a folder)."""
    target = root / where
    if target.is_file():
        return {PurePosixPath(where).name: read_file(root, where)}
    if not target.is_dir():
        raise ProblemFormatError("no such validator", file=where)
    return {rel: read_file(target, rel) for rel in scan(target)}


def prepare_validator(root: Path, where: str, sandbox: Sandbox) -> ValidatorProgram:
    """The program at `where`, compiled if it is C or C++ (raises GradingError when
    it does not compile, ProblemFormatError when it is no validator at all)."""
    sources = validator_sources(root, where)
    compiled = [name for name in sources if name.endswith(C_SOURCES + CPP_SOURCES)]
    if compiled:
        binary = _compiled(sources, sorted(compiled), sandbox, where)
        return ValidatorProgram(files={BINARY: binary}, argv=(f"./{BINARY}",))
    python = sorted(name for name in sources if name.endswith(".py"))
    if not python:
        raise ProblemFormatError("no .py, .c or .cpp source in the validator", file=where)
    entry = python[0] if len(python) == 1 else next((n for n in ENTRY_NAMES if n in python), None)
    if entry is None:
        raise ProblemFormatError(
            f"several Python files and none named {' or '.join(ENTRY_NAMES)}", file=where
        )
    files = {f"{SOURCE_DIR}/{name}": data for name, data in sources.items()}
    return ValidatorProgram(files=files, argv=("python3", f"{SOURCE_DIR}/{entry}"))


def _compiled(sources: dict[str, bytes], units: list[str], sandbox: Sandbox, where: str) -> bytes:
    cpp = any(name.endswith(CPP_SOURCES) for name in units)
    compiler = ("g++", "-std=gnu++17") if cpp else ("gcc", "-std=gnu11")
    paths = [f"{SOURCE_DIR}/{name}" for name in units]
    argv = (*compiler, "-O2", "-pipe", "-o", BINARY, *paths, *(() if cpp else ("-lm",)))
    digest = hashlib.sha256(repr(argv).encode())
    for name in sorted(sources):
        digest.update(f"{name}\0{hashlib.sha256(sources[name]).hexdigest()}\n".encode())
    key = digest.hexdigest()
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    files = {f"{SOURCE_DIR}/{name}": data for name, data in sources.items()}
    with sandbox.session(files) as session:
        built = session.run(RunSpec(argv=argv, limits=COMPILE_LIMITS))
        if built.status is not RunStatus.OK or built.exit_code != 0:
            text = (built.stderr + built.stdout).decode("utf-8", errors="replace").strip()
            last = text.splitlines()[-3:] if text else [built.detail]
            raise GradingError(f"{where} does not compile: {' '.join(last)}")
        copied = session.run(RunSpec(argv=("cat", BINARY), limits=COMPILE_LIMITS))
    if copied.status is not RunStatus.OK or copied.exit_code != 0 or not copied.stdout:
        raise GradingError(f"{where}: the compiled validator could not be read back")
    with _lock:
        _cache[key] = copied.stdout
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return copied.stdout
