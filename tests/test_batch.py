"""Batched runs: several habitats in one model give each exactly its own run's results."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import BaseModel

from habitat import load_scenario
from habitat.experiment import load_experiment, run_sweep
from habitat.experiment.backends import InProcessBackend
from habitat.experiment.design import design_points, point_values
from habitat.experiment.points import PointTask, run_point
from habitat.experiment.spec import assign
from habitat.scenario import Scenario, ScenarioError, scenario_from_data
from habitat.sim.batch import BatchError, batch_key, batchable_path, column_view
from habitat.sim.run import simulate, simulate_batch
from habitat.sim.streams import Streams

from .conftest import ROOT, SCENARIOS

TERRITORY = ROOT / "simulations" / "territory" / "experiment.yaml"


def _alone(scenarios, replications, seeds, days, metrics=None):
    return [
        simulate(s, days=days, replications=replications, seed=seed, metrics=metrics)
        for s, seed in zip(scenarios, seeds, strict=True)
    ]


def _assert_same(batched, alone):
    for one, other in zip(batched, alone, strict=True):
        assert one.names == other.names
        assert one.values.shape == other.values.shape
        np.testing.assert_array_equal(one.values, other.values)


def test_a_batched_territory_run_equals_separate_runs():
    experiment = load_experiment(TERRITORY)
    design = design_points(experiment)
    same_size = design[design["size"] == design["size"].iloc[0]].head(3)
    scenarios = [
        scenario_from_data(assign(experiment.scenario, point_values(experiment, row)))
        for _, row in same_size.iterrows()
    ]
    seeds = same_size.seed.tolist()
    assert len(scenarios) == 3 and len({batch_key(s) for s in scenarios}) == 1
    # The habitats really differ: access, AVP tier, animator time, publics.
    assert len({s.habitat.neighbourhood_access for s in scenarios}) == 3
    batched = simulate_batch(scenarios, replications=4, seeds=seeds, days=120)
    _assert_same(batched, _alone(scenarios, 4, seeds, 120))


def _perturbed(scenario: Scenario, rng: np.random.Generator) -> Scenario:
    """The scenario with every number a batch may vary moved down by up to 40 %."""
    data = scenario.model_dump(mode="json")

    def walk(model: BaseModel, node: dict, prefix: str) -> None:
        for name in type(model).model_fields:
            value = getattr(model, name)
            path = prefix + name
            if isinstance(value, BaseModel):
                walk(value, node[name], path + ".")
            elif path.startswith("residents.") or not batchable_path(path):
                continue
            elif isinstance(value, int | float) and not isinstance(value, bool):
                changed = value * rng.uniform(0.6, 1.0)
                node[name] = round(changed) if isinstance(value, int) else changed
                try:
                    scenario_from_data(data)
                except ScenarioError:  # out of range (a multiplier below 1, say)
                    node[name] = value

    walk(scenario, data, "")
    return scenario_from_data(data)


@pytest.mark.parametrize(
    "name", ["shocks_year", "mixed_disabilities", "two_involved_families", "own_providers"]
)
def test_habitats_differing_in_every_batchable_number_equal_their_own_runs(name):
    """Every mechanism, every kind of shock, member lists, vacancies filled and not."""
    base = load_scenario(SCENARIOS / f"{name}.yaml")
    rng = np.random.default_rng(7)
    scenarios = [base, _perturbed(base, rng), _perturbed(base, rng)]
    assert len({batch_key(s) for s in scenarios}) == 1
    assert scenarios[1] != base and scenarios[2] != scenarios[1]
    seeds = [101, 202, 303]
    days = base.days
    batched = simulate_batch(scenarios, replications=5, seeds=seeds, days=days)
    _assert_same(batched, _alone(scenarios, 5, seeds, days))


def test_a_batch_of_fewer_metrics_keeps_those_values():
    scenarios = [
        load_scenario(SCENARIOS / "elderly_baseline.yaml", [f"animator.hours_per_week={h}"])
        for h in (10, 30)
    ]
    kept = ["quality_of_life", "participation_rate", "ruptures"]  # in METRIC_NAMES order
    batched = simulate_batch(scenarios, 3, [1, 2], days=60, metrics=kept)
    alone = _alone(scenarios, 3, [1, 2], 60)
    for one, other in zip(batched, alone, strict=True):
        assert one.names == tuple(kept)
        pd.testing.assert_frame_equal(one.per_replication(), other.per_replication()[kept])


def test_habitats_of_different_shapes_cannot_share_a_run():
    small = load_scenario(SCENARIOS / "elderly_baseline.yaml")
    big = load_scenario(
        SCENARIOS / "elderly_baseline.yaml", ["habitat.dwellings=9", "residents.generate.count=9"]
    )
    council = load_scenario(
        SCENARIOS / "elderly_baseline.yaml", ["policies.regulation_practice=house_rules"]
    )
    assert batch_key(small) != batch_key(big) != batch_key(council)
    for other, field in ((big, "habitat.dwellings"), (council, "policies.regulation_practice")):
        with pytest.raises(BatchError, match=field):
            column_view([small, other], per=2)
        with pytest.raises(BatchError):
            simulate_batch([small, other], 2, [1, 2], days=5)


def test_which_paths_a_batch_may_vary():
    assert batchable_path("habitat.neighbourhood_access")
    assert batchable_path("animator.hours_per_week")
    assert batchable_path("mechanisms.conflicts.resolution_per_day")
    assert batchable_path("residents.generate.share_elderly")
    assert not batchable_path("habitat.dwellings")
    assert not batchable_path("policies.regulation_practice")
    assert not batchable_path("shocks")
    assert not batchable_path("mechanisms.needs.hours_per_day_by_gir")
    assert not batchable_path("no.such.field")


def test_streams_draw_for_each_habitat_what_it_would_draw_alone():
    per, habitats = 3, 4
    streams = Streams([np.random.default_rng(s) for s in range(habitats)], per)
    alone = [np.random.default_rng(s) for s in range(habitats)]
    some = np.array([True, False, True, False])
    got = [
        streams.random(),
        streams.random((2,), some),
        streams.random_at(np.array([1, 2, 7, 8, 11])),
        streams.binomial(5, np.full(per * habitats, 0.4)),
        streams.poisson(np.linspace(0.1, 3, per * habitats)),
        streams.geometric(np.repeat([0.1, 0.2, 0.3, 0.4], per), some),
    ]
    for h, generator in enumerate(alone):
        mine = slice(h * per, (h + 1) * per)
        np.testing.assert_array_equal(got[0][mine], generator.random(per))
        if some[h]:
            np.testing.assert_array_equal(got[1][:, mine], generator.random((2, per)))
        else:
            assert np.isnan(got[1][:, mine]).all()
        listed = {0: [1, 2], 1: [], 2: [7, 8], 3: [11]}[h]
        positions = [i for i, c in enumerate([1, 2, 7, 8, 11]) if c in listed]
        np.testing.assert_array_equal(got[2][positions], generator.random(len(listed)))
        np.testing.assert_array_equal(got[3][mine], generator.binomial(5, np.full(per, 0.4)))
        lam = np.linspace(0.1, 3, per * habitats)[mine]
        np.testing.assert_array_equal(got[4][mine], generator.poisson(lam))
        if some[h]:
            np.testing.assert_array_equal(got[5][mine], generator.geometric(0.1 * (h + 1), per))
        else:
            assert (got[5][mine] == 0).all()
    np.testing.assert_array_equal(
        streams.any(np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0], dtype=bool)),
        [True, False, False, True],
    )


def test_a_sweep_gives_each_point_its_own_run(tmp_path):
    """Points batched by the sweep get what each would get run alone with its seed."""
    experiment = load_experiment(TERRITORY, ["design.samples=6", "replications=3", "days=40"])
    out = run_sweep(experiment, tmp_path / "sweep", InProcessBackend()).out
    results = pd.read_parquet(out / "results.parquet")
    outputs = list(experiment.outputs.summary_names)
    for _, row in design_points(experiment).iterrows():
        task = PointTask(int(row["point"]), int(row["seed"]), point_values(experiment, row))
        alone = run_point(experiment.scenario, task, experiment.replications).per_replication()
        mine = results[results.point == task.point][outputs].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone[outputs].astype(np.float64))


def test_a_failing_batched_run_falls_back_to_one_run_per_point(tmp_path, monkeypatch):
    import habitat.experiment.points as points

    calls = []

    def broken(*args, **kwargs):
        calls.append(args)
        raise RuntimeError("batched run failed")

    experiment = load_experiment(TERRITORY, ["design.samples=12", "replications=2", "days=20"])
    batched = run_sweep(experiment, tmp_path / "batched", InProcessBackend()).out
    monkeypatch.setattr(points, "simulate_batch", broken)
    summary = run_sweep(experiment, tmp_path / "alone", InProcessBackend())
    assert calls and summary.failed == 0
    pd.testing.assert_frame_equal(
        pd.read_parquet(batched / "results.parquet"),
        pd.read_parquet(summary.out / "results.parquet"),
    )
