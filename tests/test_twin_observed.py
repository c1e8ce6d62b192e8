"""The twin's observed figures: intervals that say how far a few events can be trusted."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from habitat.twin.observed import MEASURES, Estimate, Verdict, compare, rate, share, verdict


@given(st.integers(0, 500), st.floats(1.0, 10_000.0), st.sampled_from([1.0, 7.0, 30.4, 365.25]))
def test_a_rate_lies_inside_its_interval_which_starts_at_zero_when_nothing_happened(
    count, exposure, per
):
    estimate = rate(count, exposure, per)
    assert estimate.low <= estimate.value <= estimate.high
    assert (estimate.low == 0.0) == (count == 0)
    assert estimate.few == (count < 5)


@given(st.integers(0, 200), st.integers(1, 200))
def test_a_share_lies_inside_its_interval_within_zero_and_one(successes, extra):
    trials = successes + extra
    estimate = share(successes, trials)
    assert 0.0 <= estimate.low <= estimate.value <= estimate.high <= 1.0


def test_more_exposure_at_the_same_rate_narrows_the_interval():
    few = rate(3, 100.0, 30.0)
    many = rate(300, 10_000.0, 30.0)
    assert few.value == pytest.approx(many.value)
    assert (few.high - few.low) > 5 * (many.high - many.low)


@pytest.mark.parametrize("count", [1, 3, 10, 40])
def test_the_intervals_are_the_jeffreys_percentiles(count):
    stats = pytest.importorskip("scipy.stats")
    estimate = rate(count, 2.0, 1.0)
    low, high = stats.gamma.ppf([0.05, 0.95], count + 0.5) / 2.0
    assert estimate.low == pytest.approx(low, rel=0.01)
    assert estimate.high == pytest.approx(high, rel=0.01)
    proportion = share(count, 50)
    low, high = stats.beta.ppf([0.05, 0.95], count + 0.5, 50 - count + 0.5)
    assert proportion.low == pytest.approx(low, rel=0.02)
    assert proportion.high == pytest.approx(high, rel=0.01)


def test_the_verdict_sets_the_observation_against_the_band():
    band = (2.0, 4.0)
    assert verdict(Estimate(3.0, 2.5, 3.5, 10), band) == Verdict.INSIDE
    assert verdict(Estimate(5.0, 4.5, 5.5, 10), band) == Verdict.ABOVE
    assert verdict(Estimate(1.0, 0.5, 1.5, 10), band) == Verdict.BELOW
    assert verdict(Estimate(5.0, 3.9, 6.0, 10), band) == Verdict.INSIDE  # intervals meet
    assert verdict(Estimate(None, None, None, 0), band) == Verdict.UNKNOWN


def _observations(days=182, conflicts=6, held=52, worked=20.0):
    return {
        "days": days,
        "resident_days": 8 * days,
        "entries": 0,
        "exits": {"death": 1},
        "tensions": {
            "between_residents": {
                "count": conflicts,
                "days_open": [3] * conflicts,
                "still_open": 0,
                "open_days": 3 * conflicts,
                "open_in_window": conflicts,
            },
            "care_path_rupture": {
                "count": 4,
                "days_open": [10] * 4,
                "still_open": 0,
                "open_days": 40,
                "open_in_window": 4,
            },
        },
        "activities": {"held": held, "outside": 0, "weekly_participation": [[6, 8]] * (days // 7)},
        "animator_hours": {"premises": worked * (days // 7)},
        "animator_weekly_hours": [worked - 2, worked + 2] * (days // 14),
    }


def test_each_measure_reads_the_model_and_the_records_in_the_same_unit():
    days, reps = 182, 50
    rng = np.random.default_rng(1)
    series = {
        "conflicts_new": rng.poisson(6 / days, (days, reps)).astype(float),
        "conflicts_open": np.full((days, reps), 0.1),
        "autonomy_safety_disputes": np.zeros((days, reps)),
        "participation_rate": np.full((days, reps), 0.75),
        "activities_held": np.full((days, reps), 2 / 7),
        "animator_hours_worked": np.full((days, reps), 20.0 / 7),
        "residents": np.full((days, reps), 8.0),
        "exits": np.zeros((days, reps)),
        "exits_death": np.zeros((days, reps)),
        "ruptures": np.full((days, reps), 8 / 365.25),  # one a resident a year
    }
    rows = {row.measure.key: row for row in compare(series.__getitem__, _observations())}
    # Ruptures of the care path: per resident-year on both sides.
    assert rows["ruptures_per_resident_year"].median == pytest.approx(1.0)
    assert rows["ruptures_per_resident_year"].observed.value == pytest.approx(4 * 365.25 / 1456)
    assert rows["ruptures_per_resident_year"].verdict == Verdict.INSIDE
    assert set(rows) == {m.key for m in MEASURES}
    assert rows["participation"].median == pytest.approx(0.75)
    assert rows["participation"].observed.value == pytest.approx(0.75)
    assert rows["activities_per_week"].median == pytest.approx(2.0)
    assert rows["activities_per_week"].observed.value == pytest.approx(52 / 182 * 7)
    assert rows["animator_hours_per_week"].median == pytest.approx(20.0)
    assert rows["animator_hours_per_week"].verdict == Verdict.INSIDE
    assert rows["conflicts_open"].observed.value == pytest.approx(18 / 182)
    assert rows["conflicts_per_month"].verdict == Verdict.INSIDE
    # Three times the conflicts the model expects, on enough events: said higher.
    busy = compare(series.__getitem__, _observations(conflicts=40))
    assert {r.measure.key: r.verdict for r in busy}["conflicts_per_month"] == Verdict.ABOVE
