"""HabitatModel works with Mesa's own tools: `running`, `DataCollector`, `batch_run`."""

from __future__ import annotations

import mesa
import numpy as np
import pytest

from habitat.sim.model import HabitatModel, PastHorizonError

from .conftest import SCENARIOS

DAYS = 20


@pytest.fixture
def short_scenario(baseline_scenario):
    return baseline_scenario.with_days(DAYS)


def occupied_dwellings(model: HabitatModel) -> float:
    return float(model.state.residents.occupied.sum(axis=0).mean())


def test_running_turns_false_at_the_horizon_and_a_later_step_is_refused(short_scenario):
    model = HabitatModel(short_scenario, replications=2, seed=1)
    while model.running:
        model.step()
    assert model.steps == model.day == DAYS
    with pytest.raises(PastHorizonError, match=f"day {DAYS} was the scenario's last"):
        model.step()
    assert model.steps == DAYS


def test_a_datacollector_reads_the_model_and_its_agents(short_scenario):
    model = HabitatModel(short_scenario, replications=3, seed=2, collect=True)
    own = mesa.DataCollector(
        model_reporters={"occupied": occupied_dwellings},
        agent_reporters={"name": "name"},
    )
    for _ in range(DAYS):
        model.step()
        own.collect(model)
    assert len(own.get_model_vars_dataframe()) == DAYS
    assert len(own.get_agent_vars_dataframe()) == DAYS * len(model.agents)
    daily = model.datacollector.get_model_vars_dataframe()
    assert list(daily.columns) == list(model.metric_names)
    assert len(daily) == DAYS
    index = model.metric_names.index("pooled_hours")
    assert daily["pooled_hours"].to_numpy() == pytest.approx(
        model.metrics[:, index, :].mean(axis=1), rel=1e-6
    )


def test_collecting_changes_no_number(short_scenario):
    plain = HabitatModel(short_scenario, replications=2, seed=3)
    collected = HabitatModel(short_scenario, replications=2, seed=3, collect=True)
    for _ in range(DAYS):
        plain.step()
        collected.step()
    assert np.array_equal(plain.metrics, collected.metrics)


def test_batch_run_sweeps_seeds_of_a_scenario_file():
    rows = mesa.batch_run(
        HabitatModel,
        parameters={
            "scenario": str(SCENARIOS / "thin_animator.yaml"),
            "replications": 2,
            "seed": [1, 2],
            "collect": True,
        },
        number_processes=1,
        max_steps=10_000,
        display_progress=False,
    )
    assert [row["seed"] for row in rows] == [1, 2]
    days = HabitatModel(str(SCENARIOS / "thin_animator.yaml")).scenario.days
    assert [row["Step"] for row in rows] == [days - 1, days - 1]  # the last day's row
    assert rows[0]["pooled_hours"] != rows[1]["pooled_hours"]
