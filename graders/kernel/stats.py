"""The timing protocol's statistics and decisions (DESIGN section 6, issue 11).

Standard library only: this file is also copied into the sandbox (as
`gradebox_kernel_stats.py`), where the timing harness applies the stopping rule
while it measures; every decision that refuses or ranks is taken again by the
judge on the raw samples the harness returns. A device clock is anything that
returns one timed call in milliseconds, so the unit tests drive all of it with a
fake clock on CPU.

Decisions:
    stopping rule    adaptive reps until the relative standard error of the mean
                     is under `target_rse` (1%), at least `min_reps` (10), capped
                     by `max_reps` and by the time spent (`max_seconds`)
    speedup CI       ratio of medians; the interval from the two relative
                     standard errors (delta method on the log ratio), so it is
                     deterministic
    roofline         a time below bytes moved / peak bandwidth is impossible:
                     refused (the output cannot have been computed in it)
    hidden work      device-wide wall clock minus event time, against the same
                     gap of the reference measured in the same process: work
                     that events miss (side streams, threads) shows as a gap
    review           a combined time over `review_slowdown` x the reference's
    throttling       an SM clock that fell below 90% of its maximum during the
                     run, or a temperature at the slowdown limit: re-time once
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

Z_95 = 1.959963984540054


@dataclass(frozen=True)
class StoppingRule:
    target_rse: float = 0.01
    min_reps: int = 10
    max_reps: int = 10_000
    max_seconds: float = 10.0

    def decide(self, samples_ms: Sequence[float], elapsed_s: float) -> str | None:
        """Why to stop now ("converged", "rep cap", "time cap"), or None to go on."""
        if len(samples_ms) >= self.min_reps and relative_standard_error(samples_ms) < (
            self.target_rse
        ):
            return "converged"
        if len(samples_ms) >= self.max_reps:
            return "rep cap"
        if elapsed_s >= self.max_seconds and len(samples_ms) >= 1:
            return "time cap"
        return None


@dataclass
class Measurement:
    samples_ms: list[float] = field(default_factory=list)
    stop_reason: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def rse(self) -> float:
        return relative_standard_error(self.samples_ms)

    def spread_ms(self) -> tuple[float, float]:
        """The 10th and 90th percentiles (the whole range below 10 samples)."""
        return percentile(self.samples_ms, 10), percentile(self.samples_ms, 90)


def relative_standard_error(samples: Sequence[float]) -> float:
    if len(samples) < 2:
        return math.inf
    mean = statistics.fmean(samples)
    if mean <= 0:
        return math.inf
    return statistics.stdev(samples) / math.sqrt(len(samples)) / mean


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def measure(
    timed_call: Callable[[], float],
    rule: StoppingRule,
    clock: Callable[[], float],
) -> Measurement:
    """Call `timed_call` (one rep, returns ms on the device clock) until the rule stops.

    `clock` is a host clock in seconds (time.perf_counter captured before learner
    code loaded, or a fake one in tests)."""
    result = Measurement()
    start = clock()
    while True:
        result.samples_ms.append(float(timed_call()))
        reason = rule.decide(result.samples_ms, clock() - start)
        if reason is not None:
            result.stop_reason = reason
            return result


@dataclass(frozen=True)
class Speedup:
    ratio: float  # reference median / learner median; > 1 is faster than the reference
    low: float
    high: float


def speedup(learner: Measurement, reference: Measurement) -> Speedup:
    ratio = reference.median_ms / learner.median_ms
    spread = Z_95 * math.sqrt(learner.rse**2 + reference.rse**2)
    if not math.isfinite(spread):
        return Speedup(ratio, 0.0, math.inf)
    return Speedup(ratio, ratio * math.exp(-spread), ratio * math.exp(spread))


def geometric_mean(values: Sequence[float]) -> float:
    if not values or any(v <= 0 for v in values):
        raise ValueError("geometric mean of non-positive values")
    return math.exp(statistics.fmean(math.log(v) for v in values))


def achieved_gbps(bytes_moved: int, time_ms: float) -> float:
    return bytes_moved / (time_ms * 1e-3) / 1e9


def below_roofline(bytes_moved: int, time_ms: float, peak_gbps: float) -> bool:
    """True when the time implies more bandwidth than the device has: impossible."""
    return achieved_gbps(bytes_moved, time_ms) > peak_gbps


@dataclass(frozen=True)
class HiddenWork:
    refused: bool
    gap_ms: float  # learner's median (wall - event) minus the reference's
    allowed_ms: float


def hidden_work(
    learner_event_ms: Sequence[float],
    learner_wall_ms: Sequence[float],
    reference_event_ms: Sequence[float],
    reference_wall_ms: Sequence[float],
    *,
    relative: float = 0.5,
    absolute_ms: float = 0.05,
) -> HiddenWork:
    """Refuse when the learner's wall-minus-event gap exceeds the reference's by more
    than `relative` of its event time (and `absolute_ms`, the launch jitter floor)."""
    learner_gap = statistics.median(
        w - e for w, e in zip(learner_wall_ms, learner_event_ms, strict=False)
    )
    reference_gap = statistics.median(
        w - e for w, e in zip(reference_wall_ms, reference_event_ms, strict=False)
    )
    gap = learner_gap - reference_gap
    allowed = max(absolute_ms, relative * statistics.median(learner_event_ms))
    return HiddenWork(gap > allowed, gap, allowed)


def needs_review(learner_ms: float, reference_ms: float, slowdown: float = 5.0) -> bool:
    return learner_ms > slowdown * reference_ms


def throttled(
    sm_clocks_mhz: Sequence[float],
    max_sm_clock_mhz: float,
    temperature_c: float | None = None,
    slowdown_temperature_c: float | None = None,
) -> bool:
    if sm_clocks_mhz and max_sm_clock_mhz > 0 and min(sm_clocks_mhz) < 0.9 * max_sm_clock_mhz:
        return True
    return (
        temperature_c is not None
        and slowdown_temperature_c is not None
        and temperature_c >= slowdown_temperature_c
    )
