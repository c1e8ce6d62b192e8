"""`habitat analyze`: known indices of test functions, comparisons, figures and the report."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from habitat.experiment import run_sweep
from habitat.experiment.backends import InProcessBackend
from habitat.experiment.points import Chunk, ChunkResult
from habitat.experiment.spec import Experiment

from .conftest import SCENARIOS

PI = math.pi
#: Analytic Sobol indices of the Ishigami function with a = 7, b = 0.1.
ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
ISHIGAMI_ST = [0.5576, 0.4424, 0.2437]


def ishigami(chunk: Chunk) -> ChunkResult:
    """A stand-in model: the Ishigami function of factors x1, x2, x3 (one replication)."""
    from SALib.test_functions import Ishigami

    x = np.array([[task.values[f"x{i}"] for i in (1, 2, 3)] for task in chunk.points])
    return ChunkResult(
        rows=pd.DataFrame({"point": chunk.indices, "replication": 0, "y": Ishigami.evaluate(x)}),
        daily=None,
    )


def linear(chunk: Chunk) -> ChunkResult:
    """y = 3 x1 + 0 x2, two replications that agree."""
    rows = [
        {"point": t.point, "replication": r, "y": 3.0 * t.values["x1"]}
        for t in chunk.points
        for r in (0, 1)
    ]
    return ChunkResult(rows=pd.DataFrame(rows), daily=None)


def _factors(*names: str) -> list[dict]:
    return [{"path": name, "range": [-PI, PI]} for name in names]


def test_sobol_analysis_recovers_the_ishigami_indices(run_cli, tmp_path):
    experiment = Experiment(
        name="Ishigami",
        seed=42,
        replications=1,
        factors=_factors("x1", "x2", "x3"),
        design={"kind": "sobol", "samples": 2048},
    )
    out = tmp_path / "ishigami"
    summary = run_sweep(experiment, out, InProcessBackend(), evaluate=ishigami)
    assert summary.points == 2048 * 5 and summary.failed == 0

    status, stdout, _ = run_cli("analyze", str(out))
    assert status == 0
    assert "sobol indices" in stdout
    table = pd.read_csv(out / "analysis" / "sobol.csv").set_index("factor")
    assert list(table.index) == ["x1", "x2", "x3"]
    np.testing.assert_allclose(table.S1, ISHIGAMI_S1, atol=0.04)
    np.testing.assert_allclose(table.ST, ISHIGAMI_ST, atol=0.04)
    assert (table.S1_conf > 0).all() and (table.S1_conf < 0.1).all()
    assert (out / "analysis" / "sobol_y.png").exists()
    report = (out / "report.html").read_text()
    assert "data:image/png;base64," in report and "S1_conf" in report


def test_morris_analysis_ranks_a_linear_function(run_cli, tmp_path):
    experiment = Experiment(
        seed=3,
        replications=2,
        factors=_factors("x1", "x2"),
        design={"kind": "morris", "samples": 10},
    )
    out = tmp_path / "linear"
    run_sweep(experiment, out, InProcessBackend(), evaluate=linear)
    assert run_cli("analyze", str(out))[0] == 0
    table = pd.read_csv(out / "analysis" / "morris.csv").set_index("factor")
    assert table.loc["x1", "mu_star"] == pytest.approx(3.0 * 2 * PI, rel=1e-9)
    assert table.loc["x2", "mu_star"] == 0.0
    assert table.loc["x1", "sigma"] == pytest.approx(0.0, abs=1e-9)


def test_grid_analysis_compares_points_with_intervals(run_cli, tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(
        f"scenario: {SCENARIOS / 'elderly_baseline.yaml'}\ndays: 40\nreplications: 6\nseed: 5\n"
        "factors:\n  - {path: animator.hours_per_week, levels: [7, 35]}\n"
        "  - {path: policies.regulation_practice, levels: [none, council]}\n"
        "outputs: {summaries: [participation_rate, conflicts_open]}\n",
        encoding="utf-8",
    )
    out = tmp_path / "grid"
    assert run_cli("sweep", str(path), "--out", str(out), "--workers", "1", "-q")[0] == 0
    status, stdout, _ = run_cli("analyze", str(out), "--outputs", "participation_rate")
    assert status == 0
    assert "report.html" in stdout

    points = pd.read_csv(out / "analysis" / "points.csv")
    assert set(points.output) == {"participation_rate"}
    assert len(points) == 4 and (points.n == 6).all()
    assert ((points.low <= points["mean"]) & (points["mean"] <= points.high)).all()
    results = pd.read_parquet(out / "results.parquet")
    first = results[results.point == 0].participation_rate
    assert points.loc[points.point == 0, "mean"].item() == pytest.approx(first.mean())

    factors = pd.read_csv(out / "analysis" / "factors.csv")
    assert set(factors.factor) == {"animator.hours_per_week", "policies.regulation_practice"}
    assert (factors.n == 12).all()
    assert (out / "analysis" / "effects_participation_rate.png").exists()


def test_analyze_refuses_an_output_not_kept(run_cli, tmp_path):
    experiment = Experiment(
        seed=1, factors=_factors("x1", "x2"), design={"kind": "latin", "samples": 5}
    )
    out = tmp_path / "latin"
    run_sweep(experiment, out, InProcessBackend(), evaluate=linear)
    status, _, err = run_cli("analyze", str(out), "--outputs", "y,z")
    assert status == 2
    assert err == "habitat analyze: error: --outputs: z not in the results; kept: y\n"
    assert run_cli("analyze", str(out))[0] == 0
    assert (out / "analysis" / "scatter_y.png").exists()
