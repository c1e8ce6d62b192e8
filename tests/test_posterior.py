"""An experiment's posterior: seeded draws by weight, runs carrying them, wider intervals."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from habitat.experiment import load_experiment, run_sweep
from habitat.experiment.analysis import compare_points, load_sweep, mean_interval
from habitat.experiment.backends import InProcessBackend
from habitat.experiment.design import design_points, point_values
from habitat.experiment.points import Chunk, ChunkResult, PointTask, point_scenario
from habitat.experiment.posterior import draw_parameters

from .conftest import SCENARIOS

GIR4 = "mechanisms.autonomy.mortality_rate_per_year_by_gir.4"
FAMILY5 = "mechanisms.family.hours_factor_by_gir.5"


def experiment_text(posterior: str, draws: int, replications: int = 8, seed: int = 5) -> str:
    return (
        f"scenario: {SCENARIOS / 'elderly_baseline.yaml'}\n"
        f"seed: {seed}\ndays: 10\nreplications: {replications}\n"
        "factors:\n  - {path: animator.hours_per_week, levels: [7, 28]}\n"
        "outputs: {summaries: [participation_rate]}\n"
        f"posterior: {{file: {posterior}, draws: {draws}}}\n"
    )


@pytest.fixture
def write_experiment(tmp_path):
    """Write a posterior CSV beside an experiment that draws from it; return the experiment."""

    def write(rows: list[dict], draws: int, replications: int = 8, seed: int = 5):
        pd.DataFrame(rows).to_csv(tmp_path / "posterior.csv", index=False)
        path = tmp_path / "experiment.yaml"
        text = experiment_text("posterior.csv", draws, replications, seed)
        path.write_text(text, encoding="utf-8")
        return load_experiment(path)

    return write


TWO_ROWS = [
    {"wave": 2, GIR4: 0.1, FAMILY5: 0.5, "I:deaths": 1.2, "weight": 0.9},
    {"wave": 2, GIR4: 0.3, FAMILY5: 1.2, "I:deaths": 0.4, "weight": 0.1},
]


def test_same_seed_same_draws(write_experiment):
    first = design_points(write_experiment(TWO_ROWS, draws=8))
    again = design_points(write_experiment(TWO_ROWS, draws=8))
    pd.testing.assert_frame_equal(first, again)
    other = [design_points(write_experiment(TWO_ROWS, 8, seed=s)) for s in range(6, 12)]
    assert any(not t[GIR4].equals(first[GIR4]) for t in other), "the seed picks the draws"


def test_a_row_of_weight_one_gives_exactly_its_values_to_every_run(write_experiment):
    row = {GIR4: 0.2, FAMILY5: 1.1, "weight": 1.0}
    experiment = write_experiment([row], draws=4)
    design = design_points(experiment)
    assert len(design) == 2 * 4, "two points, four draws each"
    assert design[GIR4].eq(0.2).all() and design[FAMILY5].eq(1.1).all()
    for _, point in design.iterrows():
        task = PointTask(int(point["point"]), int(point["seed"]), point_values(experiment, point))
        scenario = point_scenario(experiment.scenario_data, task)
        # The posterior names GIR 4 by its level; it is the table's fourth item.
        assert scenario.mechanisms.autonomy.mortality_rate_per_year_by_gir[3] == 0.2
        assert scenario.mechanisms.family.hours_factor_by_gir[4] == 1.1
        assert scenario.animator.hours_per_week == point["animator.hours_per_week"]


def test_draws_follow_the_weights():
    drawn = draw_parameters(TWO_ROWS, draws=1000, seed=3)
    share = (drawn[GIR4] == 0.1).mean()
    assert 0.85 < share < 0.95
    assert list(drawn.columns) == ["draw", "posterior_row", GIR4, FAMILY5]


@settings(max_examples=60, deadline=None)
@given(
    weights=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=8).filter(lambda w: sum(w) > 0),
    draws=st.integers(1, 200),
    seed=st.integers(0, 2**32),
)
def test_each_row_is_drawn_about_its_weight_times_the_draws(weights, draws, seed):
    rows = [{GIR4: 0.05 + 0.01 * i, "weight": w / sum(weights)} for i, w in enumerate(weights)]
    counts = np.bincount(draw_parameters(rows, draws, seed).posterior_row, minlength=len(rows))
    expected = np.array([row["weight"] for row in rows]) * draws
    assert (np.abs(counts - expected) < 1 + 1e-9).all(), "floor or ceil of weight x draws"


@settings(max_examples=40, deadline=None)
@given(
    weights=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=6).filter(lambda w: sum(w) > 0),
    draws=st.integers(1, 50),
    seed=st.integers(0, 2**32),
)
def test_draws_only_take_rows_of_the_posterior(weights, draws, seed):
    rows = [{GIR4: 0.05 + 0.01 * i, "weight": w / sum(weights)} for i, w in enumerate(weights)]
    drawn = draw_parameters(rows, draws, seed)
    assert len(drawn) == draws
    for _, pick in drawn.iterrows():
        row = rows[int(pick["posterior_row"])]
        assert pick[GIR4] == row[GIR4]
        assert row["weight"] > 0, "a row of weight 0 is never drawn"


def test_the_runs_of_a_point_share_its_replications(write_experiment):
    experiment = write_experiment(TWO_ROWS, draws=3, replications=8)
    assert experiment.replications_per_run == 2, "8 // 3: the rest is not run"
    design = design_points(experiment)
    assert design.groupby("design_point").draw.apply(list).tolist() == [[0, 1, 2]] * 2
    assert design.point.tolist() == list(range(6))
    assert design.seed.is_unique


def test_an_experiment_without_a_posterior_is_recorded_as_before(tmp_path):
    path = tmp_path / "experiment.yaml"
    text = experiment_text("x.csv", 1).rsplit("posterior:", 1)[0]
    path.write_text(text, encoding="utf-8")
    experiment = load_experiment(path)
    assert "posterior" not in experiment.record()
    assert experiment.replications_per_run == experiment.replications
    design = design_points(experiment)
    assert list(design.columns) == ["point", "seed", "animator.hours_per_week"]


def parameter_as_output(chunk: Chunk) -> ChunkResult:
    """A stand-in model: the run's output is its GIR 4 mortality, equal in every replication."""
    path = "mechanisms.autonomy.mortality_rate_per_year_by_gir.3"
    rows = [
        {"point": t.point, "replication": r, "y": t.values[path] + 1e-4 * r}
        for t in chunk.points
        for r in range(chunk.replications)
    ]
    return ChunkResult(rows=pd.DataFrame(rows), daily=None)


def test_a_point_interval_covers_the_parameters_spread(write_experiment, tmp_path):
    even = [{**row, "weight": 0.5} for row in TWO_ROWS]
    experiment = write_experiment(even, draws=8, replications=32)
    out = tmp_path / "sweep"
    run_sweep(experiment, out, InProcessBackend(), evaluate=parameter_as_output)
    sweep = load_sweep(out)
    assert sweep.outputs == ["y"]
    table = compare_points(sweep, ["y"])
    assert len(table) == 2, "one row per design point, not per draw"
    assert table.n.tolist() == [32, 32] and table.draws.tolist() == [8, 8]
    monte_carlo = mean_interval(sweep.results.rename(columns={"y": "value"}), ["design_point"])
    for (_, point), (_, mc) in zip(table.iterrows(), monte_carlo.iterrows(), strict=True):
        assert point["low"] < 0.1 + 1e-3 and point["high"] > 0.3, "both parameter sets inside"
        assert point["high"] - point["low"] > mc["high"] - mc["low"]


def test_a_sweep_with_a_posterior_end_to_end(run_cli, write_experiment, tmp_path):
    write_experiment(TWO_ROWS, draws=2, replications=4)
    out = tmp_path / "sweep"
    status, stdout, _ = run_cli(
        "sweep", str(tmp_path / "experiment.yaml"), "--out", str(out), "--workers", "1", "-q"
    )
    assert status == 0
    assert "2 points x 2 posterior draws x 2 replications (4 runs); 4 completed" in stdout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["posterior"]["draws"] == 2
    assert manifest["experiment"]["posterior"]["rows"][0][GIR4] == 0.1
    results = pd.read_parquet(out / "results.parquet")
    assert len(results) == 2 * 2 * 2
    assert set(results[GIR4]) <= {0.1, 0.3}
    assert run_cli("analyze", str(out))[0] == 0
    points = pd.read_csv(out / "analysis" / "points.csv")
    assert points.point.tolist() == [0, 1] and points.n.tolist() == [4, 4]
    assert np.isfinite(points[["low", "high"]].to_numpy()).all()


def hours_plus_parameter(chunk: Chunk) -> ChunkResult:
    """A stand-in model: animator hours plus 100 x the run's GIR 4 mortality."""
    path = "mechanisms.autonomy.mortality_rate_per_year_by_gir.3"
    rows = [
        {
            "point": t.point,
            "replication": r,
            "y": t.values["animator.hours_per_week"] + 100 * t.values[path],
        }
        for t in chunk.points
        for r in range(chunk.replications)
    ]
    return ChunkResult(rows=pd.DataFrame(rows), daily=None)


def test_a_morris_design_with_a_posterior_is_analysed_by_design_point(tmp_path, run_cli):
    pd.DataFrame(TWO_ROWS).to_csv(tmp_path / "posterior.csv", index=False)
    path = tmp_path / "experiment.yaml"
    path.write_text(
        f"scenario: {SCENARIOS / 'elderly_baseline.yaml'}\nseed: 9\ndays: 10\nreplications: 4\n"
        "design: {kind: morris, samples: 4}\n"
        "factors:\n  - {path: animator.hours_per_week, range: [7, 35]}\n"
        "posterior: {file: posterior.csv, draws: 2}\n",
        encoding="utf-8",
    )
    out = tmp_path / "sweep"
    run_sweep(load_experiment(path), out, InProcessBackend(), evaluate=hours_plus_parameter)
    assert run_cli("analyze", str(out))[0] == 0
    morris = pd.read_csv(out / "analysis" / "morris.csv")
    # Slope 1 over a range of 28 (SALib scales to the unit interval); every point runs
    # under the same draws, so the parameter cancels out of each elementary effect.
    assert morris.mu_star.iloc[0] == pytest.approx(28.0)
    assert morris.sigma.iloc[0] == pytest.approx(0.0, abs=1e-9)
    points = pd.read_csv(out / "analysis" / "points.csv")
    assert len(points) == 4 * 2, "4 trajectories of 2 points, each run under 2 draws"
