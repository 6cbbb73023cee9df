"""The harness protocol module: one place for the wire facts, and every file copied
into a sandbox finds the neighbours it imports there."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from graders import load_package
from graders.checkers.custom import runner_files
from graders.harness import harness_files
from graders.harness import protocol as wire
from graders.kinds import get_kind
from sandbox.languages import get_language

PROBLEMS = Path(__file__).resolve().parents[2] / "problems"
HARNESS_DIR = Path(str(resources.files("graders.harness")))
# One package of each kind whose workdir holds harness files.
KIND_PACKAGES = {
    "stdio": "largest-connected-region",
    "function": "largest-connected-region-fn",
    "tensor": "layernorm-forward",
    "kernel": "fused-layernorm-triton",
}


def _sandbox_imports(source: bytes) -> set[str]:
    """The `gradebox_*` modules a copied file imports (at any depth)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found |= {name for name in names if name.startswith("gradebox_")}
    return found


def _assert_imports_resolve(files: dict[str, bytes]) -> None:
    for name, data in files.items():
        if not name.endswith(".py"):
            continue
        for module in _sandbox_imports(data):
            assert f"{module}.py" in files, f"{name} imports {module}, not copied with it"


def test_the_protocol_module_imports_only_the_standard_library() -> None:
    """It runs in the sandbox next to learner code, and on the judge."""
    tree = ast.parse((HARNESS_DIR / "protocol.py").read_bytes())
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
    }
    assert imported and imported <= sys.stdlib_module_names


def test_every_sandbox_name_maps_to_a_harness_file() -> None:
    for name, source in wire.SOURCES.items():
        assert name.startswith("gradebox_") and (HARNESS_DIR / source).is_file(), name


def test_exit_codes_and_markers_are_distinct() -> None:
    facts = vars(wire)
    codes = [v for k, v in facts.items() if k.endswith("_EXIT_CODE") or k.startswith("EXIT_")]
    markers = [v for k, v in facts.items() if k.endswith("_MARKER")]
    assert len(codes) == len(set(codes)) >= 9
    assert 0 not in codes and 1 not in codes  # success and a plain learner exception
    assert len(markers) == len(set(markers)) == 4
    assert all(marker.startswith("GRADEBOX-") for marker in markers)


@pytest.mark.parametrize("kind", sorted(KIND_PACKAGES))
def test_each_kind_copies_every_neighbour_its_harness_imports(kind: str) -> None:
    package = load_package(PROBLEMS / KIND_PACKAGES[kind], generate=False)
    files = get_kind(kind).workdir_files(package, "pass\n", get_language("python"))
    assert wire.PROTOCOL_FILE in files
    _assert_imports_resolve(files)


def test_the_checker_runner_travels_with_the_protocol_module() -> None:
    files = runner_files()
    sources = {f for f in files if not f.startswith("__pycache__/")}
    assert sources == {wire.CHECKER_RUNNER_FILE, wire.PROTOCOL_FILE}
    _assert_imports_resolve(files)


def test_harness_files_refuses_a_name_outside_the_protocol() -> None:
    with pytest.raises(KeyError):
        harness_files("gradebox_unknown.py")


_WIRE_LITERAL = re.compile(r"""["'](GRADEBOX-[A-Z-]+[: ]|gradebox_\w+\.(?:py|json))""")


def test_no_other_harness_or_grader_module_spells_a_wire_fact() -> None:
    """Markers and sandbox file names are written in the protocol module only."""
    graders = HARNESS_DIR.parent
    offenders = [
        str(path.relative_to(graders))
        for path in sorted(graders.rglob("*.py"))
        if path.name != "protocol.py" or path.parent != HARNESS_DIR
        if _WIRE_LITERAL.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_claim_stdout_keeps_the_learners_prints_off_the_result() -> None:
    script = (
        "import os, sys\n"
        "from graders.harness import protocol\n"
        "real = protocol.claim_stdout()\n"
        "print('learner noise')\n"
        "os.write(1, b'more noise\\n')\n"
        "real.write(b'RESULT')\n"
        "real.flush()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, check=True, cwd=HARNESS_DIR.parents[1]
    )
    assert proc.stdout == b"RESULT"
    assert b"learner noise" in proc.stderr and b"more noise" in proc.stderr
