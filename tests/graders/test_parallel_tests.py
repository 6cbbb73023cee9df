"""Tests of one submission side by side (`graders.lanes`): the outcome, the order of
results and live events, and the stop-on-first-failure semantics are a serial run's."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from graders import TestResult, Verdict, grade_submission, load_package
from graders import lanes as lanes_module
from graders.lanes import Lanes
from graders.package.types import Package
from graders.runner import Program, resolve_language
from sandbox import Sandbox

# The earliest tests (n <= 1) finish last; wrong on n == 2 (basic/2, a sum group:
# grading goes on) and on n == 4 (big/1, a min group: big's later tests never count).
SOURCE = """import sys, time
data = sys.stdin.read().split()
n = int(data[0])
time.sleep(0.4 if n <= 1 else 0)
total = sum(int(x) for x in data[1 : 1 + n])
print(total + (1 if n in (2, 4) else 0))
"""


@pytest.fixture
def package(copy_fixture: Callable[[str], Path], sandbox: Sandbox, tmp_path: Path) -> Package:
    """The sum fixture with a roomy limit: only the order and the verdicts matter
    here, and a machine loaded many jobs deep must not turn a sleep into TLE."""
    root = copy_fixture("sum")
    spec = yaml.safe_load((root / "problem.yaml").read_text())
    spec["limits"] = {"time_s": 10, "memory_mb": 256}
    (root / "problem.yaml").write_text(yaml.safe_dump(spec))
    return load_package(root, sandbox=sandbox, cache_dir=tmp_path / "cache")


def _grade(
    package: Package,
    sandbox: Sandbox,
    parallelism: int | Callable[[], int],
    events: list[TestResult] | None = None,
    **kwargs: bool,
) -> tuple:
    events = [] if events is None else events
    result = grade_submission(
        package,
        source=SOURCE,
        language="python",
        sandbox=sandbox,
        on_test=events.append,
        parallelism=parallelism,
        **kwargs,
    )
    return result, events


def _names(results: list[TestResult]) -> list[tuple[str, Verdict]]:
    return [(test.name, test.verdict) for test in results]


def test_results_and_events_come_in_test_order(package: Package, sandbox: Sandbox) -> None:
    serial, serial_events = _grade(package, sandbox, 1)
    parallel, parallel_events = _grade(package, sandbox, 4)
    # A judgehost's grading asks how many lanes it may use as it goes: here one until
    # two tests were judged, then two (the cores another grading gave back).
    widening_events: list[TestResult] = []
    widening, _ = _grade(
        package, sandbox, lambda: 1 if len(widening_events) < 2 else 2, widening_events
    )
    expected = [
        ("sample/1", Verdict.AC),
        ("basic/1", Verdict.AC),
        ("basic/2", Verdict.WA),
        ("basic/3", Verdict.AC),
        ("big/1", Verdict.WA),  # big is a min group: gen-1 and gen-2 are not reported
    ]
    assert _names(serial.tests) == expected
    assert _names(parallel.tests) == expected
    assert _names(widening.tests) == expected
    assert _names(parallel_events) == _names(serial_events) == _names(widening_events) == expected
    assert parallel.score == serial.score == widening.score == 20  # 2 of basic's 3; none of big
    assert [g.model_dump() for g in parallel.groups] == [g.model_dump() for g in serial.groups]
    assert [g.model_dump() for g in widening.groups] == [g.model_dump() for g in serial.groups]


@pytest.mark.parametrize("parallelism", [4, lambda: 1], ids=["four-lanes", "one-lane-allowed"])
def test_stop_on_first_failure_reports_nothing_after_it(
    package: Package, sandbox: Sandbox, parallelism: int | Callable[[], int]
) -> None:
    result, events = _grade(package, sandbox, parallelism, stop_on_failure=True)
    expected = [("sample/1", Verdict.AC), ("basic/1", Verdict.AC), ("basic/2", Verdict.WA)]
    assert _names(result.tests) == _names(events) == expected
    assert result.verdict is Verdict.WA


def test_lanes_are_sessions_of_their_own(package: Package, sandbox: Sandbox) -> None:
    # Each lane's runs see its own workdir: a file one lane's test writes is not there
    # for a run in another lane, and every lane ran the program (compiled once each).
    lang = resolve_language(package, "python")
    source = (
        "import os, time\nseen = os.path.exists('mark')\nopen('mark', 'w').close()\n"
        "time.sleep(0.3)\nprint(int(seen))\n"
    )
    with Program(package, source, lang, sandbox) as first:
        assert first.compile().ok
        with Lanes(first, lambda: Program(package, source, lang, sandbox), 3) as lanes:
            # The extra lanes open in the background; wait for them (no timing asserted).
            deadline = time.monotonic() + 300
            while lanes.opened() < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert lanes.opened() == 3
            outputs = [lanes.submit(b"").result().stdout for _ in range(1)]
            outputs += [f.result().stdout for f in [lanes.submit(b"") for _ in range(3)]]
    # The first run of each lane finds no mark: at least two lanes' first runs.
    assert outputs.count(b"0\n") >= 2


def _wait_opened(lanes: Lanes, count: int) -> int:
    deadline = time.monotonic() + 300
    while lanes.opened() < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return lanes.opened()


@contextmanager
def _lanes(
    package: Package,
    sandbox: Sandbox,
    source: str,
    width: int,
    open_cost_s: float | None,
    lane_cost_s: float | None = None,
) -> Iterator[Lanes]:
    """Lanes of `source` (the first compiled); `lane_cost_s`: what an extra lane of
    this kind is remembered to have taken to open."""
    lang = resolve_language(package, "python")
    with Program(package, source, lang, sandbox) as first:
        assert first.compile().ok
        with pytest.MonkeyPatch.context() as patch:
            if lane_cost_s is not None:
                patch.setitem(lanes_module._lane_cost, first.session_kind, lane_cost_s)
            make = lambda: Program(package, source, lang, sandbox)  # noqa: E731
            with Lanes(first, make, width, open_cost_s=open_cost_s) as lanes:
                yield lanes


def _outputs(lanes: Lanes, count: int) -> list[bytes]:
    return [f.result().stdout for f in [lanes.submit(b"") for _ in range(count)]]


def test_quick_tests_do_not_pay_for_more_lanes(package: Package, sandbox: Sandbox) -> None:
    # Tests far shorter than opening a lane: all of them run in the first one.
    with _lanes(package, sandbox, "print(1)\n", 3, open_cost_s=1e6) as lanes:
        assert _outputs(lanes, 5) == [b"1\n"] * 5
        assert lanes.opened() == 1


def test_long_tests_open_more_lanes(package: Package, sandbox: Sandbox) -> None:
    # Tests far longer than opening a lane: the others open while the first runs.
    source = "import time\ntime.sleep(0.5)\nprint(1)\n"
    with _lanes(package, sandbox, source, 3, open_cost_s=1e-6, lane_cost_s=0.0) as lanes:
        futures = [lanes.submit(b"") for _ in range(6)]
        assert _wait_opened(lanes, 3) == 3
        assert [f.result().stdout for f in futures] == [b"1\n"] * 6


def test_a_lane_known_to_be_dear_is_not_opened_for_short_tests(
    package: Package, sandbox: Sandbox
) -> None:
    # The first lane came cheap (a session from the warm pool, say), but an extra
    # lane of this kind took long to open before: the tests left are not worth it.
    source = "import time\ntime.sleep(0.2)\nprint(1)\n"
    with _lanes(package, sandbox, source, 3, open_cost_s=1e-6, lane_cost_s=1e6) as lanes:
        assert _outputs(lanes, 4) == [b"1\n"] * 4
        assert lanes.opened() == 1


def test_each_test_starts_after_those_submitted_before_it(
    package: Package, sandbox: Sandbox
) -> None:
    # A lane that opens late never takes a test out of turn: the first lane, free
    # again, takes the oldest test waiting (the caller waits for them in order).
    source = "import time\nprint(time.monotonic())\n"
    with _lanes(package, sandbox, source, 2, open_cost_s=None) as lanes:
        starts = [float(out) for out in _outputs(lanes, 8)]
    # Runs of one lane are sequential; across lanes a later test may start first
    # only if it ran on another lane at the same time, never two tests behind.
    assert all(later > starts[i - 2] for i, later in enumerate(starts) if i >= 2), starts


class _Clocked:
    """A lane that only notes which lane ran each run and when it started (the
    judge's clock): what `Lanes` decides, without a sandbox's timing in the way.
    A run's stdin is how long it lasts, in seconds."""

    session: Any = None
    session_kind = "clocked"

    def __init__(self, name: str, log: list[tuple[str, float]]) -> None:
        self.name, self.log = name, log

    def __enter__(self) -> _Clocked:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def compile(self) -> SimpleNamespace:
        return SimpleNamespace(ok=True)

    def run(self, stdin: bytes) -> bytes:
        self.log.append((self.name, time.monotonic()))
        time.sleep(float(stdin))
        return stdin


@contextmanager
def _clocked(width: int, allowed: Callable[[], int]) -> Iterator[tuple[Lanes, list]]:
    log: list[tuple[str, float]] = []
    made = iter(range(1, 100))
    make = lambda: _Clocked(f"lane-{next(made)}", log)  # noqa: E731
    with Lanes(_Clocked("lane-0", log), make, width, None, allowed) as lanes:  # type: ignore[arg-type]
        yield lanes, log


@pytest.mark.parametrize("allowed", [1, 2])
def test_one_lane_allowed_runs_nothing_ahead_of_the_caller(allowed: int) -> None:
    # With one lane allowed, a grading is a serial one: the next run starts only once
    # the caller has taken the one before (a failure then costs no extra run). With
    # two, the second lane starts the next test while the first still runs.
    with _clocked(2, lambda: allowed) as (lanes, log):
        futures = [lanes.submit(b"0.3") for _ in range(3)]
        lanes.collect(futures[0])
        taken = time.monotonic()
        time.sleep(0.3)
        for future in futures[1:]:
            lanes.collect(future)
    starts = [start for _, start in log]
    if allowed == 1:
        assert starts[1] >= taken, (starts, taken)
        assert {name for name, _ in log} == {"lane-0"} and lanes.opened() == 1
    else:
        assert starts[1] < taken, (starts, taken)


def test_lanes_widen_when_allowed_and_narrow_back() -> None:
    # The last grading of a batch: one lane while another grading holds the other
    # cores, three once they are free, one again when a new grading takes them back
    # (a lane already waiting for a test may take one more).
    allowed = [1]
    with _clocked(3, lambda: allowed[0]) as (lanes, log):
        futures = [lanes.submit(b"0.05") for _ in range(40)]
        for future in futures[:3]:
            lanes.collect(future)
        assert lanes.opened() == 1 and {name for name, _ in log} == {"lane-0"}
        allowed[0] = 3
        deadline = time.monotonic() + 60
        while lanes.opened() < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert lanes.opened() == 3
        for future in futures[3:20]:
            lanes.collect(future)
        assert {name for name, _ in log} == {"lane-0", "lane-1", "lane-2"}
        allowed[0] = 1
        time.sleep(0.2)  # runs in flight end; the extra lanes see the narrowing
        narrowed = len(log)
        for future in futures[20:]:
            lanes.collect(future)
    later = [name for name, _ in log[narrowed:]]
    assert len(later) == 40 - narrowed and later.count("lane-0") >= len(later) - 2, later


def test_a_dropped_run_does_not_hold_back_a_single_lane() -> None:
    # A stop-on-first-failure group drops the runs it no longer needs: with one lane
    # allowed, a dropped run that had started must not stall the runs after it.
    with _clocked(2, lambda: 1) as (lanes, _log):
        futures = [lanes.submit(b"0.05") for _ in range(4)]
        lanes.collect(futures[0])
        lanes.drop(futures[1])
        lanes.drop(futures[2])
        done = threading.Event()
        threading.Thread(target=lambda: (lanes.collect(futures[3]), done.set())).start()
        assert done.wait(60)
