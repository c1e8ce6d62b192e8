"""Each statistic on a hand-built run whose answer is known, and invariants on real runs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from habitat.experiment.observe import Observation, observe
from habitat.experiment.statistics import (
    STATISTICS,
    Measure,
    NotMeasurable,
    avp_income_per_habitat_year,
    events_frame,
    median_family_hours_gir_1_2,
    median_family_hours_gir_5_6,
    share_dead_within_horizon,
    share_gir4_changed_within_horizon,
    share_of_apa_closures_that_are_deaths,
    share_of_exits_that_are_deaths,
    share_of_returns_with_adverse_event,
)
from habitat.experiment.validation import interval, verdict
from habitat.sim.metrics import METRIC_NAMES
from habitat.sim.run import SimulationResult

DAYS = 10


def _observation(baseline_scenario, gir, occupied, hours, rows, avp=None, male=None) -> Observation:
    """A tiny run: arrays (days + 1, dwellings, replications) and located events.

    Everybody is a man unless `male` says otherwise.
    """
    days, _, reps = gir.shape
    values = np.zeros((days - 1, len(METRIC_NAMES), reps), np.float32)
    if avp is not None:
        values[:, METRIC_NAMES.index("avp_income_eur"), :] = avp
    result = SimulationResult(baseline_scenario.with_days(days - 1), 1, reps, values, None)
    male = np.ones(gir.shape, bool) if male is None else male
    return Observation(result, gir, occupied, hours, male, events_frame(rows))


@pytest.fixture
def tiny_run(baseline_scenario):
    """Two replications, three dwellings, ten days.

    Replication 0: dwelling 0 (GIR 4) dies on day 3 and dwelling 1 (GIR 4) moves to an
    institution on day 5, then a newcomer dies there on day 8; dwelling 2 (GIR 4) stays,
    declines to GIR 3 on day 6, comes back from hospital on day 7 with an adverse event
    that costs a level, and back again on day 9 unharmed.
    Replication 1: dwellings 0 and 1 at GIR 5 stay all along; dwelling 2 is empty.
    """
    shape = (DAYS + 1, 3, 2)
    gir = np.full(shape, 4, np.int8)
    gir[:, :2, 1] = 5
    gir[6:, 2, 0] = 3
    gir[7:, 2, 0] = 2
    occupied = np.ones(shape, bool)
    occupied[:, 2, 1] = False
    occupied[3:, 0, 0] = False
    occupied[5:7, 1, 0] = False
    occupied[8:, 1, 0] = False
    hours = np.zeros(shape, np.float32)
    hours[:, :2, 1] = 3.0
    hours[:, 2, 0] = 20.0
    rows = [
        (0, 3, "death", 0),
        (0, 5, "exit_institution", 1),
        (0, 7, "entry", 1),
        (0, 8, "death", 1),
        (0, 6, "gir_decline", 2),
        (0, 7, "return_rupture", 2),
        (0, 7, "adverse_event", 2),
        (0, 9, "return_coordinated", 2),
        (1, 4, "conflict", -1),
    ]
    return _observation(baseline_scenario, gir, occupied, hours, rows, avp=[20.0, 10.0])


def test_share_dead(tiny_run):
    measure = share_dead_within_horizon(tiny_run, DAYS)
    # Replication 1's residents are at GIR 5, outside the APA: nobody to measure there.
    np.testing.assert_allclose(measure.values, [1 / 3, np.nan])
    np.testing.assert_array_equal(measure.people, [3, 0])
    assert measure.pooled == pytest.approx(1 / 3)
    # Before anyone dies nobody is dead.
    assert share_dead_within_horizon(tiny_run, 2).pooled == 0.0


def test_share_gir4_changed_counts_only_those_still_there(tiny_run):
    measure = share_gir4_changed_within_horizon(tiny_run, DAYS)
    # Replication 0: only dwelling 2 is still there, and it changed; replication 1: no GIR 4.
    np.testing.assert_array_equal(measure.values[:1], [1.0])
    assert np.isnan(measure.values[1])
    assert share_gir4_changed_within_horizon(tiny_run, 5).pooled == 0.0
    # The figure is about men: women are left out.
    women = Observation(**{**vars(tiny_run), "male": np.zeros_like(tiny_run.male)})
    assert np.isnan(share_gir4_changed_within_horizon(women, DAYS).values).all()


def test_share_of_exits_that_are_deaths(tiny_run):
    measure = share_of_exits_that_are_deaths(tiny_run, DAYS)
    assert measure.values[0] == pytest.approx(2 / 3)
    assert np.isnan(measure.values[1])  # nobody left: nothing to measure
    assert share_of_exits_that_are_deaths(tiny_run, 4).values[0] == 1.0


def test_share_of_apa_closures_counts_what_closes_the_right(baseline_scenario):
    """A death, a move elsewhere and a reassessment to GIR 5 close the APA; an
    institution, a change within GIR 1-4 and a death at GIR 5 close nothing."""
    shape = (DAYS + 1, 4, 1)
    gir = np.full(shape, 4, np.int8)
    gir[:2, 3] = 3  # dwelling 3 improves from GIR 3 to 4 on day 2: still in the APA
    gir[5:, 2] = 5  # dwelling 2 improves to GIR 5 on day 5: out of the APA
    occupied = np.ones(shape, bool)
    occupied[3:, 0] = False
    occupied[4:, 1] = False
    occupied[8:, 2] = False
    occupied[6:, 3] = False
    rows = [
        (0, 3, "death", 0),
        (0, 4, "exit_institution", 1),
        (0, 5, "gir_improvement", 2),
        (0, 8, "death", 2),  # at GIR 5: no right to close
        (0, 2, "gir_improvement", 3),
        (0, 6, "exit_other", 3),
    ]
    run = _observation(baseline_scenario, gir, occupied, np.zeros(shape, np.float32), rows)
    measure = share_of_apa_closures_that_are_deaths(run, DAYS)
    assert measure.values[0] == pytest.approx(1 / 3)
    np.testing.assert_array_equal(measure.people, [3])
    # By day 4 only the death has closed a right; the institution closed none.
    assert share_of_apa_closures_that_are_deaths(run, 4).values[0] == 1.0
    # Every exit counted, the institution and the death at GIR 5 included: 2 deaths of 4.
    assert share_of_exits_that_are_deaths(run, DAYS).values[0] == pytest.approx(2 / 4)


def test_share_of_returns_with_adverse_event(tiny_run):
    measure = share_of_returns_with_adverse_event(tiny_run, DAYS)
    assert measure.values[0] == pytest.approx(1 / 2)
    np.testing.assert_array_equal(measure.people, [2, 0])


def test_family_hours_by_band(tiny_run):
    # GIR 1-2: only dwelling 2 of replication 0, from day 7, 20 h a week.
    gir12 = median_family_hours_gir_1_2(tiny_run, DAYS)
    assert gir12.values[0] == 20.0 and np.isnan(gir12.values[1])
    gir56 = median_family_hours_gir_5_6(tiny_run, DAYS)
    assert np.isnan(gir56.values[0]) and gir56.values[1] == 3.0
    with pytest.raises(NotMeasurable, match="no resident at GIR 1-2"):
        median_family_hours_gir_1_2(tiny_run, 6)


def test_avp_income_per_year(tiny_run):
    measure = avp_income_per_habitat_year(tiny_run, DAYS)
    np.testing.assert_allclose(measure.values, [20.0 * 365, 10.0 * 365])
    assert measure.people is None


def test_a_horizon_past_the_run_is_refused(tiny_run):
    with pytest.raises(ValueError, match="past the run's 10 days"):
        share_dead_within_horizon(tiny_run, 11)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0.1, 0.2, "too low"),
        (0.9, 0.95, "too high"),
        (0.3, 0.5, "consistent"),
        (0.1, 0.9, "consistent"),
    ],
)
def test_verdict(low, high, expected):
    assert verdict(low, high, (0.4, 0.6)) == expected


@given(
    counts=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), min_size=1, max_size=30),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_pooled_share_and_its_interval_stay_within_0_and_1(counts, seed):
    part = np.array([min(a, b) for a, b in counts], float)
    people = np.array([max(a, b) for a, b in counts], float)
    values = np.divide(part, people, out=np.full(part.shape, np.nan), where=people > 0)
    measure = Measure(values, people)
    if people.sum() == 0:
        with pytest.raises(NotMeasurable):
            interval(measure, np.random.default_rng(seed))
        return
    low, median, high, _ = interval(measure, np.random.default_rng(seed))
    assert 0.0 <= low <= high <= 1.0
    assert median == pytest.approx(part.sum() / people.sum())


@pytest.fixture(scope="module")
def small_observation():
    from habitat.scenario import load_scenario

    from .conftest import SCENARIOS

    return observe(load_scenario(SCENARIOS / "elderly_baseline.yaml"), 4, 11, 60)


def test_observe_gives_the_metrics_simulate_gives(small_observation):
    from habitat.sim.run import simulate

    alone = simulate(small_observation.result.scenario, replications=4, seed=11)
    np.testing.assert_array_equal(small_observation.result.values, alone.values)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(horizon=st.integers(1, 60), name=st.sampled_from(sorted(STATISTICS)))
def test_every_share_is_within_0_and_1_on_a_real_run(small_observation, horizon, name):
    try:
        measure = STATISTICS[name](small_observation, horizon)
    except NotMeasurable:
        return
    kept = measure.values[~np.isnan(measure.values)]
    assert kept.size == 0 or (kept >= 0).all()
    if measure.people is not None:
        assert (kept <= 1).all()


def test_a_calibration_can_run_the_evidence_on_its_own_scenario(baseline_scenario):
    from habitat.evidence import load_evidence
    from habitat.experiment.validation import run_evidence

    entries = [e for e in load_evidence("patterns", frozenset(STATISTICS)) if "avp" in e.id]
    richer = baseline_scenario.model_copy(
        update={
            "habitat": baseline_scenario.habitat.model_copy(update={"avp_per_resident_eur": 10000})
        }
    )
    shipped = run_evidence(entries, 2, 3, days=20)[0]
    changed = run_evidence(entries, 2, 3, days=20, scenario_of=lambda _: richer)[0]
    assert changed.model_median > shipped.model_median
