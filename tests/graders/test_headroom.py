"""The headroom rule (`graders.headroom`) on made-up measurements: a burst of load
cannot fail it, a solution that is really too slow still does."""

from __future__ import annotations

from graders.headroom import MARGIN, Measurement, judge


def _never() -> Measurement | None:
    raise AssertionError("a first measurement that fits is not measured again")


def test_a_fitting_measurement_is_not_measured_again() -> None:
    decision = judge(1000, Measurement(cpu_ms=300), _never, baseline_ms=100)
    assert decision.ok and not decision.retried and decision.ms == 300


def test_a_burst_is_forgiven_by_a_quiet_remeasurement() -> None:
    # 400 ms under a burst; 250 ms when measured again on a quiet machine.
    again = Measurement(cpu_ms=250, calibration_before_ms=100, calibration_after_ms=102)
    decision = judge(1000, Measurement(cpu_ms=400), lambda: again, baseline_ms=100)
    assert decision.ok and decision.retried and decision.first_ms == 400
    assert 240 < decision.ms <= 250


def test_lasting_load_is_measured_by_the_calibration() -> None:
    # Still loaded on the re-measurement: the calibration ran 1.6x slower than at the
    # start, so 480 ms there is 300 ms on the quiet machine.
    again = Measurement(cpu_ms=480, calibration_before_ms=160, calibration_after_ms=150)
    decision = judge(1000, Measurement(cpu_ms=500), lambda: again, baseline_ms=100)
    assert decision.ok and decision.ms == 300


def test_load_during_the_remeasurement_only_uses_the_slower_calibration() -> None:
    # No load at the start either (baseline 100); the test's neighbour calibration
    # saw the burst (200 ms): the test is scaled by 2.
    again = Measurement(cpu_ms=600, calibration_before_ms=100, calibration_after_ms=200)
    assert judge(1000, Measurement(cpu_ms=600), lambda: again, baseline_ms=100).ok


def test_a_really_slow_solution_still_fails() -> None:
    # Quiet machine: the calibration runs at its baseline, nothing is scaled away.
    again = Measurement(cpu_ms=400, calibration_before_ms=101, calibration_after_ms=99)
    decision = judge(1000, Measurement(cpu_ms=410), lambda: again, baseline_ms=100)
    assert not decision.ok and decision.retried
    assert decision.ms * MARGIN > 1000


def test_a_faster_calibration_never_scales_a_time_up() -> None:
    assert Measurement(300, 50, 50).normalised_ms(100) == 300
    assert Measurement(300).normalised_ms(100) == 300  # no calibration, no scaling
    assert Measurement(300, None, 150).normalised_ms(None) == 300  # one run: no ratio


def test_the_smaller_of_the_two_measurements_counts() -> None:
    # A re-measurement slower than the first cannot make things worse.
    again = Measurement(cpu_ms=900, calibration_before_ms=100, calibration_after_ms=100)
    decision = judge(1000, Measurement(cpu_ms=340), lambda: again, baseline_ms=100)
    assert not decision.ok and decision.ms == 340


def test_a_remeasurement_that_could_not_be_taken_leaves_the_miss() -> None:
    decision = judge(1000, Measurement(cpu_ms=400), lambda: None, baseline_ms=100)
    assert not decision.ok and decision.retried and decision.ms == 400


def test_the_report_shows_what_the_remeasurement_found() -> None:
    # A failing run printed the first figure twice: the report now gives the raw
    # re-measurement, the calibration around it and the time it was normalised to.
    again = Measurement(cpu_ms=720, calibration_before_ms=110, calibration_after_ms=120)
    decision = judge(1000, Measurement(cpu_ms=700), lambda: again, baseline_ms=100)
    assert not decision.ok
    text = decision.remeasured()
    assert "measured again: 720 ms" in text
    assert "calibration 110/120 ms around it against 100 ms at the start" in text
    assert "600 ms normalised" in text


def test_the_report_says_when_no_remeasurement_was_taken() -> None:
    assert judge(1000, Measurement(cpu_ms=300), _never, baseline_ms=100).remeasured() == ""
    missed = judge(1000, Measurement(cpu_ms=400), lambda: None, baseline_ms=None)
    assert missed.remeasured() == "; it could not be measured again"
