"""The `tensor` problem type end to end: the bundled LayerNorm-family packages graded
in the real bwrap sandbox, through the harness, with the checker outside.

Every solution under a package's `submissions/<verdict>/` must get that verdict;
ad-hoc solutions probe the harness (banned modules and functions, malformed return
values, prints, a missing entry point).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest

from graders import ProblemFormatError, grade_submission, load_package
from graders.kinds import get_kind
from graders.package.types import Package, TestCase
from graders.results import GradeResult
from graders.submissions import list_solutions
from graders.verdict import Verdict
from sandbox import Sandbox, get_sandbox
from sandbox.languages import get_language

PROBLEMS = Path(__file__).resolve().parents[2] / "problems"
NUMPY_PACKAGES = [
    "layernorm-forward",
    "layernorm-backward",
    "rmsnorm-backward",
    "batchnorm-train-eval",
    "layernorm-fp16-stable",
]
AUTOGRAD = "layernorm-autograd"


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    return get_sandbox("bwrap")


class _Packages:
    """Loads each package once per module (generating its tests in the sandbox)."""

    def __init__(self, sandbox: Sandbox, cache: Path) -> None:
        self._sandbox, self._cache = sandbox, cache
        self._loaded: dict[str, Package] = {}

    def __getitem__(self, slug: str) -> Package:
        if slug not in self._loaded:
            self._loaded[slug] = load_package(
                PROBLEMS / slug, sandbox=self._sandbox, cache_dir=self._cache
            )
        return self._loaded[slug]


@pytest.fixture(scope="module")
def bundled(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> _Packages:
    return _Packages(sandbox, tmp_path_factory.mktemp("generated"))


def grade(bundled: _Packages, sandbox: Sandbox, slug: str, source: str) -> GradeResult:
    return grade_submission(bundled[slug], source=source, language="python", sandbox=sandbox)


def _solutions(slugs: list[str]) -> list[tuple[str, str, Verdict]]:
    cases = []
    for slug in slugs:
        files = [str(p.relative_to(PROBLEMS / slug)) for p in (PROBLEMS / slug).rglob("*.py")]
        for solution in list_solutions(sorted(files)):
            cases.append((slug, solution.path, solution.expected))
    return cases


@pytest.mark.parametrize(("slug", "path", "expected"), _solutions(NUMPY_PACKAGES))
def test_numpy_package_solution_gets_its_verdict(
    bundled: _Packages, sandbox: Sandbox, slug: str, path: str, expected: Verdict
) -> None:
    result = grade(bundled, sandbox, slug, (PROBLEMS / slug / path).read_text())
    failing = [
        f"{t.name}: {t.verdict} {t.message}" for t in result.tests if t.verdict is not Verdict.AC
    ]
    assert result.verdict is expected, failing or result.message
    if expected is Verdict.AC:
        assert result.score == result.max_score
    else:
        assert result.score < result.max_score


def test_every_package_has_three_wrong_answers() -> None:
    for slug in [*NUMPY_PACKAGES, AUTOGRAD]:
        wrong = list((PROBLEMS / slug / "submissions" / "wrong_answer").glob("*.py"))
        assert len(wrong) >= 3, slug


def test_hidden_feedback_has_error_summaries_but_no_values(
    bundled: _Packages, sandbox: Sandbox
) -> None:
    source = (
        PROBLEMS / "layernorm-backward/submissions/wrong_answer/missing_mean_term.py"
    ).read_text()
    result = grade(bundled, sandbox, "layernorm-backward", source)
    sample, hidden = result.tests[0], result.tests[-1]
    assert sample.visible and not hidden.visible
    assert "first at index" in sample.message
    assert hidden.verdict is Verdict.WA and hidden.message.startswith("dx: ")
    assert "index" not in hidden.message
    assert hidden.feedback["dx"]["max_abs_err"] > 0
    assert "first_mismatch" not in hidden.feedback["dx"]
    assert hidden.input is None and hidden.actual is None and hidden.stderr is None
    # dgamma and dbeta are right: their errors are reported as such.
    assert hidden.feedback["dbeta"]["mismatched"] == 0


def test_importing_torch_in_a_numpy_problem_is_a_banned_module(
    bundled: _Packages, sandbox: Sandbox
) -> None:
    source = "import torch\n\ndef layernorm_forward(x, gamma, beta, eps=1e-5):\n    return x\n"
    result = grade(bundled, sandbox, "layernorm-forward", source)
    assert result.verdict is Verdict.RE
    assert {t.message for t in result.tests} == {"uses banned module torch"}
    assert all(t.feedback["banned_module"] == "torch" for t in result.tests)


def test_learner_prints_do_not_corrupt_the_output(bundled: _Packages, sandbox: Sandbox) -> None:
    reference = (PROBLEMS / "layernorm-forward/submissions/accepted/reference.py").read_text()
    noisy = reference.replace(
        "    x64 = x.astype(np.float64)",
        "    print('debug', x.shape)\n    import sys; sys.stdout.buffer.write(b'PK')\n"
        "    x64 = x.astype(np.float64)",
    )
    assert noisy != reference
    result = grade(bundled, sandbox, "layernorm-forward", noisy)
    assert result.verdict is Verdict.AC
    assert "debug (2, 5)" in (result.tests[0].stderr or "")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("    return dy, x", "returned 2 value(s), expected 3 (dx, dgamma, dbeta)"),
        ("    return dy", "returned 1 value(s), expected 3 (dx, dgamma, dbeta)"),
        ("    return dy, None, gamma", "output dgamma is not a numeric array or tensor"),
        ("    return dy, 'abc', gamma", "output dgamma is not a numeric array or tensor"),
    ],
)
def test_malformed_return_values_get_fixed_messages_on_every_test(
    bundled: _Packages, sandbox: Sandbox, body: str, message: str
) -> None:
    source = f"def layernorm_backward(dy, x, gamma, eps=1e-5):\n{body}\n"
    result = grade(bundled, sandbox, "layernorm-backward", source)
    assert result.verdict is Verdict.WA
    assert [t.message for t in result.tests] == [message] * len(result.tests)


def test_missing_entry_point_is_named(bundled: _Packages, sandbox: Sandbox) -> None:
    result = grade(
        bundled, sandbox, "rmsnorm-backward", "def rms_backward(dy, x, gamma):\n    pass\n"
    )
    assert result.verdict is Verdict.RE
    assert result.tests[0].message == "solution.py does not define rmsnorm_backward"


def test_scalars_arrive_as_python_values(bundled: _Packages, sandbox: Sandbox) -> None:
    reference = (PROBLEMS / "batchnorm-train-eval/submissions/accepted/reference.py").read_text()
    strict = reference.replace(
        "    dtype = x.dtype\n",
        "    dtype = x.dtype\n"
        "    assert type(training) is bool and type(momentum) is float and type(eps) is float\n",
    )
    assert strict != reference
    assert grade(bundled, sandbox, "batchnorm-train-eval", strict).verdict is Verdict.AC


# --- the kind's own hooks (no sandbox) ------------------------------------------------


def _npz(**arrays: object) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


def test_workdir_holds_the_learner_module_the_harness_and_its_config() -> None:
    package = load_package(PROBLEMS / AUTOGRAD, generate=False)
    kind = get_kind("tensor")
    files = kind.workdir_files(package, "SOURCE", get_language("python"))
    assert files["solution.py"] == b"SOURCE"
    assert b"def main" in files["gradebox_tensor.py"]
    assert b"def install" in files["gradebox_guard.py"]
    config = json.loads(files["gradebox_tensor.json"])
    assert config["entry"] == "LayerNormFunction" and config["framework"] == "torch"
    assert config["gradcheck"] is True
    assert "torch.nn.functional.layer_norm" in config["banned"]
    assert kind.run_argv(package, get_language("python")) == ("python3", "gradebox_tensor.py")
    # Expected answers, tolerances and the reference never enter the sandbox.
    harness = {
        "gradebox_tensor.py",
        "gradebox_guard.py",
        "gradebox_dispatcher_ban.py",
        "gradebox_protocol.py",
    }
    bytecode = {f for f in files if f.startswith("__pycache__/")}
    assert set(files) - bytecode == {"solution.py", "gradebox_tensor.json", *harness}
    # Each harness file with its bytecode (graders/harness/bytecode.py); not the learner's.
    assert {f.split("/")[1].split(".")[0] + ".py" for f in bytecode} == harness
    assert b"def install" in files["gradebox_dispatcher_ban.py"]
    assert b"tolerances" not in files["gradebox_tensor.json"]


def test_checker_options_carry_the_spec_tolerances() -> None:
    package = load_package(PROBLEMS / "layernorm-fp16-stable", generate=False)
    options = get_kind("tensor").checker_options(package)  # type: ignore[attr-defined]
    assert options["tolerances"] == {"float16": {"rtol": 8e-3, "atol": 8e-3}}
    assert options["nan_policy"] == "reject"
    assert options["outputs"] == ["y"]


@pytest.mark.parametrize(
    ("data", "answer", "error"),
    [
        (b"not a zip", _npz(dx=1), "secret/01.in: file is not an .npz archive"),
        (_npz(dy=1, x=1, eps=1.0), _npz(dx=1, dgamma=1, dbeta=1), "lacks inputs ['gamma']"),
        (_npz(dy=1, x=1, gamma=1), _npz(dx=1, dgamma=1), "01.ans: lacks outputs ['dbeta']"),
    ],
)
def test_malformed_test_files_are_format_errors(data: bytes, answer: bytes, error: str) -> None:
    package = load_package(PROBLEMS / "layernorm-backward", generate=False)
    test = TestCase(name="secret/01", group="secret", input=data, answer=answer, visible=False)
    with pytest.raises(ProblemFormatError, match=re.escape(error)):
        get_kind("tensor").check_test(package, test)  # type: ignore[attr-defined]
    # Leaving out only trailing inputs (eps) is allowed: the default applies.
    ok = TestCase(
        "secret/02", "secret", _npz(dy=1, x=1, gamma=1), _npz(dx=1, dgamma=1, dbeta=1), False
    )
    get_kind("tensor").check_test(package, ok)  # type: ignore[attr-defined]


# --- torch: layernorm-autograd --------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("slug", "path", "expected"),
    [
        case
        for case in _solutions([AUTOGRAD])
        if case[1].endswith(("accepted/reference.py", "calls_f_layer_norm.py"))
    ],
)
def test_autograd_package_solution_gets_its_verdict(
    bundled: _Packages, sandbox: Sandbox, slug: str, path: str, expected: Verdict
) -> None:
    result = grade(bundled, sandbox, slug, (PROBLEMS / slug / path).read_text())
    assert result.verdict is expected, [(t.name, t.verdict, t.message) for t in result.tests]


@pytest.mark.slow
def test_generated_autograd_answers_match_f_layer_norm_in_float64(bundled: _Packages) -> None:
    torch = pytest.importorskip("torch")  # a dependency of the project: never missing in CI
    functional = torch.nn.functional
    package = bundled[AUTOGRAD]
    assert len(package.tests) >= 5
    for test in package.tests:
        inputs = np.load(io.BytesIO(test.input))
        answer = np.load(io.BytesIO(test.answer))
        x, weight, bias = (
            torch.from_numpy(inputs[k]).requires_grad_() for k in ("x", "weight", "bias")
        )
        y = functional.layer_norm(x, x.shape[-1:], weight, bias, float(inputs["eps"]))
        y.backward(torch.from_numpy(inputs["dy"]))
        for name, value in (
            ("y", y),
            ("dx", x.grad),
            ("dweight", weight.grad),
            ("dbias", bias.grad),
        ):
            assert value is not None
            np.testing.assert_allclose(answer[name], value.detach().numpy(), rtol=1e-10, atol=1e-12)
        assert bool(answer["gradcheck"]) is True


@pytest.mark.slow
@pytest.mark.parametrize(
    ("call", "name"),
    [
        (
            "torch.nn.functional.layer_norm(x, x.shape[-1:], weight, bias, eps)",
            "torch.nn.functional.layer_norm",
        ),
        (
            "torch.nn.LayerNorm(x.shape[-1], eps=eps, dtype=x.dtype)(x)",
            "torch.nn.functional.layer_norm",
        ),
        (
            "torch._C._VariableFunctions.layer_norm(x, x.shape[-1:], weight, bias, eps, False)",
            "torch._C._VariableFunctions.layer_norm",
        ),
        (
            "torch.ops.aten.native_layer_norm(x, x.shape[-1:], weight, bias, eps)[0]",
            "torch.ops.aten.native_layer_norm",
        ),
    ],
)
def test_fused_layer_norm_is_a_banned_function(
    bundled: _Packages, sandbox: Sandbox, call: str, name: str
) -> None:
    source = (
        "import torch\n\n"
        "class LayerNormFunction(torch.autograd.Function):\n"
        "    @staticmethod\n"
        "    def forward(ctx, x, weight, bias, eps):\n"
        "        try:\n"
        f"            return {call}\n"
        "        except Exception:\n"  # swallowing the error does not help
        "            return x * weight + bias\n"
        "    @staticmethod\n"
        "    def backward(ctx, dy):\n"
        "        return dy, None, None, None\n"
    )
    result = grade(bundled, sandbox, AUTOGRAD, source)
    assert result.verdict is Verdict.RE
    first = result.tests[0]
    assert first.visible
    assert f"uses banned function {name}" in first.message
    assert all(t.verdict is Verdict.RE for t in result.tests)
    hidden = [t for t in result.tests if not t.visible]
    assert hidden and all(t.message == f"uses banned function {name}" for t in hidden)
    assert all(t.feedback["banned_function"] == name for t in hidden)


@pytest.mark.slow
def test_a_backward_that_disagrees_with_its_forward_fails_gradcheck(
    bundled: _Packages, sandbox: Sandbox
) -> None:
    source = (PROBLEMS / AUTOGRAD / "submissions/wrong_answer/missing_mean_term.py").read_text()
    result = grade(bundled, sandbox, AUTOGRAD, source)
    first = result.tests[0]
    assert first.verdict is Verdict.WA
    assert first.feedback["y"]["mismatched"] == 0
    assert first.feedback["dx"]["mismatched"] > 0
    assert first.feedback["gradcheck"]["mismatched"] == 1
    assert first.feedback["dweight"]["mismatched"] == 0
