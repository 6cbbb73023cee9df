"""The timing protocol's statistics, driven by a fake device clock on CPU."""

from __future__ import annotations

import itertools
import math

import pytest

from graders.kernel import stats


class FakeDevice:
    """A device whose calls take `base_ms` plus a repeating noise pattern; each call
    advances a fake host clock by its own duration plus `overhead_ms`."""

    def __init__(self, base_ms: float, noise: list[float], overhead_ms: float = 0.01) -> None:
        self.base_ms = base_ms
        self.noise = itertools.cycle(noise)
        self.overhead_ms = overhead_ms
        self.now_s = 0.0
        self.calls = 0

    def timed_call(self) -> float:
        self.calls += 1
        ms = self.base_ms * (1 + next(self.noise))
        self.now_s += (ms + self.overhead_ms) / 1e3
        return ms

    def clock(self) -> float:
        return self.now_s


def test_quiet_device_stops_at_the_minimum_reps() -> None:
    device = FakeDevice(1.0, [0.001, -0.001])
    result = stats.measure(device.timed_call, stats.StoppingRule(), device.clock)
    assert result.stop_reason == "converged"
    assert len(result.samples_ms) == 10 == device.calls
    assert result.rse < 0.01


def test_noisy_device_runs_until_the_error_is_under_one_percent() -> None:
    device = FakeDevice(1.0, [0.3, -0.3, 0.1, -0.1])
    result = stats.measure(device.timed_call, stats.StoppingRule(), device.clock)
    assert result.stop_reason == "converged"
    assert len(result.samples_ms) > 10
    assert result.rse < 0.01
    # one rep fewer would not have met the rule
    assert (
        stats.relative_standard_error(result.samples_ms[:-1]) >= 0.01
        or len(result.samples_ms) == 11
    )


def test_time_cap_ends_a_run_that_never_converges() -> None:
    device = FakeDevice(50.0, [0.9, -0.9])
    rule = stats.StoppingRule(max_seconds=1.0, min_reps=10)
    result = stats.measure(device.timed_call, rule, device.clock)
    assert result.stop_reason == "time cap"
    assert device.clock() >= 1.0
    assert device.clock() < 1.0 + 0.2  # stopped within one rep of the cap


def test_rep_cap() -> None:
    device = FakeDevice(0.001, [0.9, -0.9])
    rule = stats.StoppingRule(max_reps=25, max_seconds=1e9)
    result = stats.measure(device.timed_call, rule, device.clock)
    assert (result.stop_reason, len(result.samples_ms)) == ("rep cap", 25)


def test_speedup_interval_contains_the_ratio_and_narrows_with_less_noise() -> None:
    def run(noise: list[float], base: float) -> stats.Measurement:
        device = FakeDevice(base, noise)
        return stats.measure(device.timed_call, stats.StoppingRule(min_reps=40), device.clock)

    noisy = stats.speedup(run([0.2, -0.2], 1.0), run([0.2, -0.2], 2.0))
    quiet = stats.speedup(run([0.01, -0.01], 1.0), run([0.01, -0.01], 2.0))
    for s in (noisy, quiet):
        assert s.low < s.ratio < s.high
        assert s.ratio == pytest.approx(2.0, rel=0.05)
    assert (quiet.high - quiet.low) < (noisy.high - noisy.low)


def test_roofline_refuses_a_time_faster_than_the_memory_allows() -> None:
    bytes_moved = 4096 * 8192 * 2 * 2  # fp16 read x, write y
    floor_ms = bytes_moved / 3350e9 * 1e3  # H100 SXM
    assert stats.below_roofline(bytes_moved, floor_ms * 0.5, 3350.0)
    assert not stats.below_roofline(bytes_moved, floor_ms * 1.2, 3350.0)
    assert stats.achieved_gbps(bytes_moved, floor_ms) == pytest.approx(3350.0)


def test_hidden_work_is_a_wall_clock_gap_beyond_the_references() -> None:
    ref_event, ref_wall = [1.0] * 10, [1.03] * 10  # launch + sync overhead
    honest = stats.hidden_work([0.8] * 10, [0.84] * 10, ref_event, ref_wall)
    assert not honest.refused
    side_stream = stats.hidden_work([0.01] * 10, [0.85] * 10, ref_event, ref_wall)
    assert side_stream.refused
    assert side_stream.gap_ms == pytest.approx(0.81)


def test_review_flag_geomean_and_throttling() -> None:
    assert stats.needs_review(5.1, 1.0) and not stats.needs_review(4.9, 1.0)
    assert stats.geometric_mean([2.0, 0.5]) == pytest.approx(1.0)
    assert stats.geometric_mean([1.5]) == pytest.approx(1.5)
    with pytest.raises(ValueError):
        stats.geometric_mean([])
    assert stats.throttled([1980, 1500], 1980)
    assert not stats.throttled([1980, 1900], 1980)
    assert stats.throttled([1980], 1980, temperature_c=88, slowdown_temperature_c=87)


def test_spread_and_percentiles() -> None:
    m = stats.Measurement(samples_ms=[float(v) for v in range(1, 11)])
    assert m.median_ms == 5.5
    low, high = m.spread_ms()
    assert low == pytest.approx(1.9) and high == pytest.approx(9.1)
    assert math.isinf(stats.relative_standard_error([1.0]))
