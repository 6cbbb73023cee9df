"""Hostile submissions against the judge's own layers (tests/graders/attacks/judge_*),
graded end to end in the real bwrap sandbox, each with the exact verdict and message
it must get.

The torch ones target `layernorm-autograd` (bans F.layer_norm and its aliases): the
dispatcher ban, the Python stubs and the judge's bit-identical reference check each
stop one class of bypass. The output ones forge the harness's stdout with data that
once made a checker raise (IE, retried); now they are WA.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from graders import grade_submission, load_package
from graders.reference_check import PROBE_TEST
from graders.results import GradeResult
from graders.verdict import Verdict
from sandbox import Sandbox

ATTACKS = Path(__file__).parent / "attacks"
PROBLEMS = Path(__file__).resolve().parents[2] / "problems"


@pytest.fixture(scope="module")
def lenient(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copies of the bundled packages with a 60 s CPU limit: the verdicts asserted here
    must not turn into TLE on a loaded machine (wall limit = 2 x CPU limit + 1)."""
    root = tmp_path_factory.mktemp("lenient")
    for slug in ("layernorm-autograd", "largest-connected-region-fn"):
        shutil.copytree(PROBLEMS / slug, root / slug)
        yaml = root / slug / "problem.yaml"
        yaml.write_text(re.sub(r"(?m)^  time_s: .*$", "  time_s: 60.0", yaml.read_text()))
    return root


def grade(sandbox: Sandbox, cache_dir: Path, lenient: Path, slug: str, source: str) -> GradeResult:
    package = load_package(lenient / slug, sandbox=sandbox, cache_dir=cache_dir)
    return grade_submission(package, source=source, language="python", sandbox=sandbox)


def attack_source(name: str) -> str:
    return (ATTACKS / name).read_text()


def summary(result: GradeResult) -> list[tuple[str, str, str]]:
    return [(t.name, t.verdict.value, t.message) for t in result.tests]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("attack", "message"),
    [
        ("judge_aliases_swallowed.py", "uses banned function torch.native_layer_norm"),
        ("judge_gc_restore_stub.py", "uses banned function torch.layer_norm"),
        ("judge_rewrite_dispatcher.py", "uses banned function torch.nn.functional.layer_norm"),
    ],
)
def test_in_process_bypass_of_a_function_ban_is_refused(
    sandbox: Sandbox, cache_dir: Path, lenient: Path, attack: str, message: str
) -> None:
    result = grade(sandbox, cache_dir, lenient, "layernorm-autograd", attack_source(attack))
    assert result.verdict is Verdict.RE, summary(result)
    assert result.score == 0
    assert result.tests[0].message == message, summary(result)
    assert all(t.verdict is Verdict.RE for t in result.tests), summary(result)


@pytest.mark.slow
def test_reference_called_in_a_child_process_is_caught_by_the_bit_identical_check(
    sandbox: Sandbox, cache_dir: Path, lenient: Path
) -> None:
    source = attack_source("judge_subprocess_reference.py")
    result = grade(sandbox, cache_dir, lenient, "layernorm-autograd", source)
    assert result.verdict is Verdict.RE, summary(result)
    assert result.score == 0
    *regular, probe = result.tests
    # every layer inside the process missed it
    assert all(t.verdict is Verdict.AC for t in regular), summary(result)
    assert probe.name == PROBE_TEST and not probe.visible
    assert probe.message == "uses banned function torch.nn.functional.layer_norm"
    assert set(probe.feedback["bit_identical"]) == {"y", "dx"}


@pytest.mark.slow
def test_honest_reference_passes_the_bit_identical_check(
    sandbox: Sandbox, cache_dir: Path, lenient: Path
) -> None:
    source = (PROBLEMS / "layernorm-autograd/submissions/accepted/reference.py").read_text()
    result = grade(sandbox, cache_dir, lenient, "layernorm-autograd", source)
    assert result.verdict is Verdict.AC, summary(result)
    assert PROBE_TEST not in [t.name for t in result.tests]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("slug", "attack", "message"),
    [
        ("layernorm-autograd", "judge_forged_error_npz.py", "the return value has the wrong form"),
        (
            "largest-connected-region-fn",
            "judge_deep_json.py",
            "the returned value could not be read back as JSON",
        ),
    ],
)
def test_forged_output_is_a_wrong_answer_not_an_internal_error(
    sandbox: Sandbox, cache_dir: Path, lenient: Path, slug: str, attack: str, message: str
) -> None:
    result = grade(sandbox, cache_dir, lenient, slug, attack_source(attack))
    assert result.verdict is Verdict.WA, summary(result)
    assert result.tests[0].message == message, summary(result)
    hidden = [t for t in result.tests if not t.visible]
    assert hidden and all(t.message == message for t in hidden), summary(result)
    assert all("SMUGGLED" not in t.message for t in result.tests)
