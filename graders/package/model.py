"""The `problem.yaml` schema.

Layout of a package (DESIGN.md section 2)::

    problem.yaml            this model
    statement.md            Markdown with $KaTeX$ math, in `statement_language` (default en)
    statement.<lang>.md     optional, the statement in another language (de, pt-BR)
    editorial.md            optional, shown once a learner has solved the problem
    data/sample/NN.in|.ans  shown to learners
    data/secret/<group>/NN.in|.ans
    generators/             `python3 gen.py SEED ARGS...` -> test input on stdout
    checker.py              custom checker (Kattis output-validator convention)
    harness/                optional override of the built-in harness (function/tensor)
    templates/<lang>.<ext>  starter code
    submissions/<expected>/ accepted | wrong_answer | time_limit_exceeded | run_time_error |
                            memory_limit_exceeded | output_limit_exceeded | compile_error

Generated tests: each generator's stdout is a test input; its answer is the output of
the reference solution (`reference:`, default the first file of submissions/accepted),
run in a sandbox session of its own.

Test file contents by type:
    stdio:    .in stdin bytes, .ans expected stdout
    function: .in JSON {"args": [...], "kwargs": {...}}, .ans JSON of the return value
    tensor:   .in an .npz of the named inputs, .ans an .npz of the named outputs
    kernel:   .in an .npz of the inputs and the dtype, .ans the judge's float64 oracle
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# Names that become file or folder names: no separators, no dots at the start.
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
IDENTIFIER_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
MODULE_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"
SCRIPT_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\.py$"
# Statement languages: a BCP 47 subset, a 2-3 letter primary code and an optional
# region or script (de, pt-BR, zh-Hant). Strict because it becomes part of a file name
# and an API query value.
STATEMENT_LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Z]{2}|-[A-Z][a-z]{3}|-[0-9]{3})?$"


class ProblemType(StrEnum):
    STDIO = "stdio"
    FUNCTION = "function"
    TENSOR = "tensor"
    KERNEL = "kernel"
    # stdin/stdout talk with the package's interactor (interactor/ or interactor.py),
    # which runs in a sandbox of its own; see graders/interactive.py.
    INTERACTIVE = "interactive"


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Visibility(StrEnum):
    """Whether learners see the problem in the catalogue (`hidden`: instructors only)."""

    PUBLIC = "public"
    HIDDEN = "hidden"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LanguageLimits(_Strict):
    """Per-language overrides of `limits` (C++ answers in a fraction of Python's time).

    The time is given either outright (`time_s`) or as a multiple of the base limit
    (`time_factor: 0.2`), so that recalibrating the base moves every language with it.
    """

    time_s: float | None = Field(default=None, gt=0, le=60)
    time_factor: float | None = Field(default=None, gt=0, le=20)
    memory_mb: int | None = Field(default=None, ge=16, le=8192)

    @model_validator(mode="after")
    def _one_way_to_say_the_time(self) -> LanguageLimits:
        if self.time_s is not None and self.time_factor is not None:
            raise ValueError("give time_s or time_factor, not both")
        return self


class Limits(_Strict):
    # Per-test limits. `time_s` bounds CPU time; the wall clock allows `wall_s`
    # (2 x time_s + 1 s) so that a briefly descheduled program is not cut short,
    # while a program that sleeps or blocks still ends.

    time_s: float = Field(default=2.0, gt=0, le=60, description="per-test CPU time; wall 2x + 1 s")
    memory_mb: int = Field(default=256, ge=16, le=8192)
    output_kb: int = Field(default=8192, ge=1, le=262144)
    compile_time_s: float = Field(default=20.0, gt=0, le=120)
    # CPUs a test's processes may keep busy at once (its cgroup's CPU quota, or the
    # container's): a second thread of a program on a problem that does not allow
    # threads shares the one CPU rather than halving its CPU-time per answer.
    threads: int = Field(default=1, ge=1, le=16, description="CPUs a test may use at once")
    # Overrides by language id, e.g. {cpp: {time_s: 1.0}}; unset fields keep the above.
    languages: dict[str, LanguageLimits] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _factors_stay_in_range(self) -> Limits:
        for language, override in self.languages.items():
            if override.time_factor is not None and self.time_s * override.time_factor > 60:
                raise ValueError(
                    f"languages.{language}.time_factor gives "
                    f"{self.time_s * override.time_factor:g} s, over the 60 s maximum"
                )
        return self

    @property
    def wall_s(self) -> float:
        return 2 * self.time_s + 1

    def for_language(self, language: str) -> Limits:
        """These limits as they apply to `language` (its overrides filled in)."""
        override = self.languages.get(language)
        if override is None:
            return self
        update: dict[str, Any] = {}
        if override.time_s is not None:
            update["time_s"] = override.time_s
        elif override.time_factor is not None:
            update["time_s"] = round(self.time_s * override.time_factor, 3)
        if override.memory_mb is not None:
            update["memory_mb"] = override.memory_mb
        return self.model_copy(update={**update, "languages": {}})

    def time_field(self, language: str) -> str:
        """The `problem.yaml` field that sets `language`'s time limit (for messages)."""
        override = self.languages.get(language)
        if override is not None and override.time_s is not None:
            return f"limits.languages.{language}.time_s"
        if override is not None and override.time_factor is not None:
            return f"limits.languages.{language}.time_factor"
        return "limits.time_s"


class CheckerSpec(_Strict):
    # exact | tokens | float | json | tensor | custom (checker.py); None: the type's default
    # (stdio: tokens, function: json, tensor: tensor)
    name: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)


class GroupSpec(_Strict):
    """A subtask: the tests in `data/<path>` (sample or secret/<name>) plus generated ones."""

    name: str = Field(pattern=NAME_PATTERN)
    points: float = Field(default=0, ge=0)
    # sum: points split evenly over passed tests; min: all or nothing (stops at first failure)
    mode: Literal["sum", "min"] = "min"
    path: str | None = None  # defaults to data/sample for "sample", else data/secret/<name>
    # Passed to every input validator (input_validators/) for this group's tests.
    input_validator_flags: list[str] = Field(default_factory=list)


class GeneratorSpec(_Strict):
    """Runs `generators/<script> SEED *args` once per seed; stdout is the test input."""

    script: str = Field(pattern=SCRIPT_PATTERN)  # a file in generators/
    group: str = Field(pattern=NAME_PATTERN)
    seeds: list[int] = Field(min_length=1)
    args: list[str] = Field(default_factory=list)


class Tolerance(_Strict):
    rtol: float = Field(ge=0)
    atol: float = Field(ge=0)


class CallSpec(_Strict):
    """The call a harness makes (`function`, `tensor` and `kernel` problems, the
    `function:` key of problem.yaml): the entry, its inputs and outputs, and how
    the outputs are compared."""

    entry: str = Field(pattern=IDENTIFIER_PATTERN)  # function or class name the learner defines
    # The learner's file is <module>.py.
    module: str = Field(default="solution", pattern=IDENTIFIER_PATTERN)
    framework: Literal["numpy", "torch", "none"] = "numpy"
    inputs: list[str] = Field(default_factory=list)  # positional argument order
    outputs: list[str] = Field(default_factory=list)  # names of returned values, in order
    tolerances: dict[str, Tolerance] = Field(default_factory=dict)  # by dtype name
    nan_policy: Literal["equal", "reject"] = "reject"
    gradcheck: bool = False  # torch autograd.Function problems


KernelDtype = Literal["float32", "float16", "bfloat16"]


class KernelShape(_Strict):
    """One timed case of a `kernel` problem: x of shape (m, n) in `dtype`."""

    m: int = Field(ge=1, le=1 << 20)
    n: int = Field(ge=1, le=1 << 20)
    dtype: KernelDtype = "float16"


class KernelSpec(_Strict):
    """For `kernel` problems: the oracle, the dispatcher ban and the timed shapes.

    The oracle is computed in float64 by the judge itself (`graders.kernel.oracles`);
    `banned_ops` are aten operators refused at torch's dispatcher before the
    learner's module loads; outputs of float32 tests with at least
    `reference_check_min_elements` elements that are bit-identical to torch's own
    operator (`reference`) are refused as calling it.
    """

    oracle: Literal["layer_norm"] = "layer_norm"
    reference: Literal["torch.nn.functional.layer_norm"] = "torch.nn.functional.layer_norm"
    banned_ops: list[Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]*(\.[a-z_]+)?$")]] = Field(
        default_factory=list
    )
    reference_check_min_elements: int = Field(default=65536, ge=1)
    timing: list[KernelShape] = Field(default_factory=list)
    # A combined time more than this many times the reference's is flagged for review.
    review_slowdown: float = Field(default=5.0, gt=1)


class TrackRef(_Strict):
    """Where a problem stands in a learning track (tracks are ordered easy to hard)."""

    id: str = Field(pattern=NAME_PATTERN)  # e.g. "normalization"
    position: int = Field(ge=0, le=10_000)  # order within the track, smallest first


class HintsSpec(_Strict):
    """Targeted hints. A hint of a known-wrong solution is shown when a submission fails
    a test the same way that solution does (the judge compares outputs it already has,
    on the judge side); a group's hint is shown when a submission fails that group."""

    # key: a path under submissions/ (e.g. "wrong_answer/unbiased_variance.py")
    solutions: dict[str, str] = Field(default_factory=dict)
    # key: a group name from `groups`
    groups: dict[str, str] = Field(default_factory=dict)


class ProblemSpec(_Strict):
    name: str
    type: ProblemType = ProblemType.STDIO
    difficulty: Difficulty = Difficulty.MEDIUM
    tags: list[str] = Field(default_factory=list)
    track: TrackRef | None = None
    hints: HintsSpec = Field(default_factory=HintsSpec)
    visibility: Visibility = Visibility.PUBLIC
    languages: list[str] = Field(default_factory=lambda: ["python"])
    limits: Limits = Field(default_factory=Limits)
    checker: CheckerSpec = Field(default_factory=CheckerSpec)
    groups: list[GroupSpec] = Field(
        default_factory=lambda: [
            GroupSpec(name="sample", points=0),
            GroupSpec(name="secret", points=100),
        ]
    )
    generators: list[GeneratorSpec] = Field(default_factory=list)
    function: CallSpec | None = None  # required for function/tensor/kernel types
    kernel: KernelSpec | None = None  # required for kernel problems
    # Modules the learner's Python code may not import; dotted names (torch.nn.functional.
    # layer_norm) ban single functions where a harness supports it (tensor).
    banned_modules: list[Annotated[str, Field(pattern=MODULE_PATTERN)]] = Field(
        default_factory=lambda: ["ctypes"]
    )
    # Solution whose outputs become the answers of generated tests (path in the package).
    reference: str | None = None
    source: str = ""  # attribution / licence
    # Verdict semantics. "kattis" (imported packages): exceeding the memory limit is a
    # run-time error, as Kattis judges it, so its run_time_error/ solutions keep meaning.
    judgements: Literal["gradebox", "kattis"] = "gradebox"
    # The language statement.md is written in; statement.<lang>.md files add others.
    statement_language: str = Field(default="en", pattern=STATEMENT_LANGUAGE_PATTERN)
