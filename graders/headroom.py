"""The time-limit headroom rule of validation, in a form a busy machine cannot flake.

The rule: a language's time limit is at least `MARGIN` times the CPU time of the
slowest test of its accepted solutions. CPU time already ignores waiting for a
core, but a loaded machine still stretches it (shared caches, frequency, another
job on the sibling hyperthread), and a single measurement sometimes lands on a
burst. So a miss is not believed at once: the slowest test is measured again,
between two runs of a fixed calibration program (`CALIBRATION`) in the same
sandbox session, and the re-measurement is scaled by how much slower the
calibration ran than it did at the start of validation (`baseline`). Only when that
normalised time still misses does validation report the limit as too tight.

A genuinely slow solution does not slip through: on a quiet machine the
calibration runs at its baseline speed and no scaling happens, and scaling only
ever makes a time smaller by the slowdown the same program measured in the same
place showed, never by more.

The functions here take measurements, not sandboxes, so the rule is unit-tested
with made-up numbers (`tests/graders/test_headroom.py`); `graders.validate` takes
the measurements.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MARGIN = 3.0

# About 0.1 s of pure-Python CPU: long enough that interpreter start-up is a small
# part of it, short enough to run twice per re-measurement.
CALIBRATION = "s = 0\nfor i in range(1_500_000):\n    s += i * i\nprint(s % 7)\n"


@dataclass(frozen=True)
class Measurement:
    """One test's CPU time, with the calibration program's CPU time around it."""

    cpu_ms: float
    # CPU time of CALIBRATION run just before and just after the test, in the same
    # sandbox session; None when the measurement was taken without it.
    calibration_before_ms: float | None = None
    calibration_after_ms: float | None = None

    def normalised_ms(self, baseline_ms: float | None) -> float:
        """The test's time as it would have been at the quietest moment seen: scaled
        down by the slower of the two calibrations around it against the fastest
        calibration of the run (`baseline_ms` or one of these two), never scaled up."""
        around = [
            ms
            for ms in (self.calibration_before_ms, self.calibration_after_ms)
            if ms is not None and ms > 0
        ]
        if not around:
            return self.cpu_ms
        quietest = min(around)
        if baseline_ms is not None and 0 < baseline_ms < quietest:
            quietest = baseline_ms
        slowdown = max(around) / quietest
        return self.cpu_ms / slowdown if slowdown > 1 else self.cpu_ms


@dataclass(frozen=True)
class Decision:
    """What the rule decided about one language's limit."""

    ok: bool
    ms: float  # the time the decision rests on (normalised when re-measured)
    retried: bool  # the first measurement missed and was measured again
    first_ms: float  # the first measurement, as taken
    again: Measurement | None = None  # the re-measurement, when one was taken
    baseline_ms: float | None = None  # the calibration's time at the start of the run

    def remeasured(self) -> str:
        """What the re-measurement found, for the report: the raw time, the
        calibration around it against the baseline, and the normalised time, so an
        instructor sees whether load was seen and how much it was allowed for."""
        if not self.retried:
            return ""
        if self.again is None:
            return "; it could not be measured again"
        calibrations = [
            f"{ms:.0f}"
            for ms in (self.again.calibration_before_ms, self.again.calibration_after_ms)
            if ms is not None
        ]
        around = "/".join(calibrations) if calibrations else "not run"
        start = f"{self.baseline_ms:.0f} ms" if self.baseline_ms is not None else "not run"
        normalised = self.again.normalised_ms(self.baseline_ms)
        return (
            f"; measured again: {self.again.cpu_ms:.0f} ms, calibration {around} ms around "
            f"it against {start} at the start, {normalised:.0f} ms normalised"
        )


def fits(limit_ms: float, ms: float, margin: float = MARGIN) -> bool:
    return limit_ms >= margin * ms


def judge(
    limit_ms: float,
    first: Measurement,
    remeasure: Callable[[], Measurement | None],
    baseline_ms: float | None,
    margin: float = MARGIN,
) -> Decision:
    """Apply the rule to `first`; on a miss, once more to `remeasure()` normalised
    by the calibration (None from `remeasure`: it could not be taken, the miss stands).
    The smaller of the two times counts: a burst can only make a test slower."""
    if fits(limit_ms, first.cpu_ms, margin):
        return Decision(ok=True, ms=first.cpu_ms, retried=False, first_ms=first.cpu_ms)
    again = remeasure()
    if again is None:
        return Decision(
            ok=False, ms=first.cpu_ms, retried=True, first_ms=first.cpu_ms, baseline_ms=baseline_ms
        )
    ms = min(first.cpu_ms, again.normalised_ms(baseline_ms))
    return Decision(
        ok=fits(limit_ms, ms, margin),
        ms=ms,
        retried=True,
        first_ms=first.cpu_ms,
        again=again,
        baseline_ms=baseline_ms,
    )
