"""The advisory static scan: banned names and the introspection a bypass needs."""

from __future__ import annotations

from pathlib import Path

from graders.static_scan import MAX_FINDINGS, scan

ATTACKS = Path(__file__).parent / "attacks"
PROBLEMS = Path(__file__).resolve().parents[2] / "problems"
BANNED = ["ctypes", "torch.nn.functional.layer_norm", "torch._VF.layer_norm"]


def names(source: str, banned: list[str] = BANNED) -> set[tuple[str, str]]:
    return {(f.rule, f.name) for f in scan(source, banned)}


def test_banned_names_and_modules_are_found() -> None:
    found = names(
        "import ctypes\nimport torch.nn.functional as F\n"
        "y = F.layer_norm(x, s)\nm = torch.nn.LayerNorm(4)\nz = getattr(F, 'layer_norm')\n"
    )
    assert ("banned", "ctypes") in found
    assert ("banned", "layer_norm") in found
    assert ("banned", "LayerNorm") in found


def test_introspection_a_bypass_needs_is_found() -> None:
    source = (
        "import gc, sys, subprocess, importlib\n"
        "for o in gc.get_objects(): pass\n"
        "g = sys.modules['gradebox_guard']\n"
        "f = sys._getframe(1).f_back.f_globals\n"
        "h = torch.library.Library('aten', 'IMPL')\n"
        "k = torch._C._VariableFunctions\n"
        "__builtins__['open']\n"
        "fn.__closure__[0].cell_contents = None\n"
        "getattr(torch, name)\n"
        "exec('x')\n"
    )
    found = names(source)
    for expected in [
        ("import", "gc"),
        ("import", "subprocess"),
        ("import", "importlib"),
        ("attribute", "modules"),
        ("attribute", "_getframe"),
        ("attribute", "f_back"),
        ("attribute", "f_globals"),
        ("attribute", "library"),
        ("attribute", "_C"),
        ("attribute", "__builtins__"),
        ("attribute", "__closure__"),
        ("attribute", "cell_contents"),
        ("dynamic", "getattr"),
        ("call", "exec"),
    ]:
        assert expected in found, expected


def test_every_judge_attack_has_a_finding_and_the_reference_has_none() -> None:
    for attack in sorted(ATTACKS.glob("judge_*.py")):
        assert scan(attack.read_text(), BANNED), attack.name
    reference = PROBLEMS / "layernorm-autograd/submissions/accepted/reference.py"
    assert scan(reference.read_text(), BANNED) == []


def test_unparsable_or_huge_sources_do_not_raise() -> None:
    assert scan("def (", BANNED) == []
    assert scan("x = " + "(" * 200 + "1" + ")" * 200, BANNED) == []
    assert scan("\x00", BANNED) == []
    many = "\n".join("import gc" for _ in range(500))
    assert len(scan(many, BANNED)) <= MAX_FINDINGS
    deep = "x = " + "[" * 5000 + "]" * 5000
    scan(deep, BANNED)  # a RecursionError in the parser or the visitor is caught
