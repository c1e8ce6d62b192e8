"""Same seed, same numbers; different seeds, different numbers; batching changes nothing."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from habitat import simulate
from habitat.sim.output import write_results


def test_same_seed_and_replications_give_identical_results(baseline_scenario, tmp_path):
    a = simulate(baseline_scenario, days=120, replications=5, seed=11)
    b = simulate(baseline_scenario, days=120, replications=5, seed=11)
    assert a.values.tobytes() == b.values.tobytes()
    assert a.events.equals(b.events)
    write_results(a, tmp_path / "a")
    write_results(b, tmp_path / "b")
    for name in ("metrics.parquet", "events.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_different_seeds_give_different_results(baseline_scenario):
    a = simulate(baseline_scenario, days=120, replications=5, seed=11)
    b = simulate(baseline_scenario, days=120, replications=5, seed=12)
    assert a.values.tobytes() != b.values.tobytes()


def test_replications_within_a_run_are_not_copies(baseline_scenario):
    result = simulate(baseline_scenario, days=120, replications=4, seed=3)
    per_rep = result.per_replication()
    assert per_rep.drop_duplicates().shape[0] == 4


COMPARED = ["quality_of_life", "unmet_individual_hours", "conflicts_new", "participation_rate"]


@pytest.fixture(scope="module")
def single_and_batched():
    from habitat import load_scenario

    from .conftest import SCENARIOS

    scenario = load_scenario(SCENARIOS / "elderly_baseline.yaml")
    singles = [
        simulate(scenario, days=90, replications=1, seed=seed).per_replication()
        for seed in range(120)
    ]
    batched = simulate(scenario, days=90, replications=1000, seed=10_000).per_replication()
    import pandas as pd

    return pd.concat(singles, ignore_index=True), batched


@pytest.mark.slow
@pytest.mark.parametrize("metric", COMPARED)
def test_r1_runs_and_one_r1000_run_have_the_same_distribution(single_and_batched, metric):
    singles, batched = single_and_batched
    # Kolmogorov-Smirnov (continuous) and a t-test on means: deterministic seeds, so
    # this either always passes or always fails.
    assert stats.ks_2samp(singles[metric], batched[metric]).pvalue > 0.01
    assert stats.ttest_ind(singles[metric], batched[metric], equal_var=False).pvalue > 0.01
    assert np.isclose(singles[metric].mean(), batched[metric].mean(), rtol=0.15, atol=0.02)
