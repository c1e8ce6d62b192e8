"""`habitat sweep`: results and manifest, seeds, resume, failures, local vs Dask."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from habitat.experiment import load_experiment, run_sweep
from habitat.experiment import sweep as sweep_module
from habitat.experiment.backends import DaskBackend, InProcessBackend, LocalProcessBackend
from habitat.experiment.design import design_points, point_seed
from habitat.sim.metrics import METRIC_NAMES

from .conftest import SCENARIOS

TINY = f"""\
name: Tiny sweep
scenario: {SCENARIOS / "elderly_baseline.yaml"}
days: 30
replications: 3
seed: 11
factors:
  - path: animator.hours_per_week
    levels: [7, 28]
  - name: size
    path: [habitat.dwellings, residents.generate.count]
    levels: [5, 8]
  - name: family_loss
    path: shocks
    levels:
      none: []
      day10: [{{kind: family_withdrawal, day: 10}}]
outputs:
  summaries: [quality_of_life, participation_rate, conflicts_new]
  daily: [participation_rate]
"""
OUTPUTS = ["quality_of_life", "participation_rate", "conflicts_new"]
FACTORS = ["animator.hours_per_week", "size", "family_loss"]


@pytest.fixture
def tiny_experiment_file(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


@pytest.fixture
def tiny_experiment(tiny_experiment_file):
    return load_experiment(tiny_experiment_file)


def test_small_sweep_end_to_end(run_cli, tiny_experiment_file, tmp_path):
    out = tmp_path / "sweep"
    status, stdout, _ = run_cli(
        "sweep", str(tiny_experiment_file), "--out", str(out), "--workers", "1", "-q"
    )
    assert status == 0
    assert "Tiny sweep: 8 points x 3 replications; 8 completed, 0 failed" in stdout

    results = pd.read_parquet(out / "results.parquet")
    assert list(results.columns) == ["point", "replication", "seed", *FACTORS, *OUTPUTS]
    assert len(results) == 8 * 3
    assert set(results.family_loss) == {"none", "day10"}
    assert set(results["size"]) == {5, 8}
    assert results.groupby("point").seed.nunique().eq(1).all()
    assert results.seed.nunique() == 8

    daily = pd.read_parquet(out / "daily.parquet")
    assert list(daily.columns) == ["point", "replication", "day", "participation_rate"]
    assert len(daily) == 8 * 3 * 30

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["completed"] == 8 and manifest["failed"] == 0
    assert manifest["seeds"]["experiment"] == 11
    assert manifest["seeds"]["points"] == [point_seed(11, i) for i in range(8)]
    assert manifest["experiment"]["scenario"]["name"] == "Elderly baseline"
    assert manifest["experiment"]["days"] == 30
    assert manifest["versions"]["SALib"] and manifest["versions"]["mesa"].startswith("3.3")
    assert "git_commit" in manifest
    assert json.loads((out / "failures.json").read_text()) == []


@pytest.mark.slow
def test_a_point_depends_only_on_the_experiment_seed_and_its_index(tiny_experiment, tmp_path):
    seeds = [point_seed(11, i) for i in range(1000)]
    assert len(set(seeds)) == 1000 and all(0 <= s < 2**63 for s in seeds)
    design = design_points(tiny_experiment)
    assert design.seed.tolist() == seeds[:8]

    one = run_sweep(tiny_experiment, tmp_path / "one", InProcessBackend()).out
    two = tmp_path / "two"
    backend = LocalProcessBackend(2)
    try:
        run_sweep(tiny_experiment, two, backend)
    finally:
        backend.close()
    pd.testing.assert_frame_equal(
        pd.read_parquet(one / "results.parquet"), pd.read_parquet(two / "results.parquet")
    )


def test_local_and_dask_give_the_same_results(tiny_experiment, tmp_path):
    local = LocalProcessBackend(2)
    try:
        run_sweep(tiny_experiment, tmp_path / "local", local)
    finally:
        local.close()
    dask = DaskBackend.local(workers=2, processes=False)
    try:
        assert dask.describe()["kind"] == "dask"
        run_sweep(tiny_experiment, tmp_path / "dask", dask)
    finally:
        dask.close()
    for name in ("results.parquet", "daily.parquet"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "local" / name), pd.read_parquet(tmp_path / "dask" / name)
        )


def test_an_interrupted_sweep_resumes_without_recomputing(tiny_experiment, tmp_path, monkeypatch):
    out = tmp_path / "sweep"
    computed: list[int] = []
    real = sweep_module.run_chunk

    def counting(chunk):
        computed.extend(chunk.indices)
        return real(chunk)

    def interrupt_after_three(done, total):
        if done >= 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(
            tiny_experiment,
            out,
            InProcessBackend(),
            on_progress=interrupt_after_three,
            evaluate=counting,
        )
    first = list(computed)  # the first chunk: two points of each of two shapes
    assert len(first) == 4 and len(set(first)) == 4
    assert not (out / "results.parquet").exists()
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    assert not list((out / "parts").glob("*.tmp")), "no half-written part"

    computed.clear()
    summary = run_sweep(tiny_experiment, out, InProcessBackend(), evaluate=counting)
    assert sorted(computed) == sorted(set(range(8)) - set(first))
    assert summary.resumed_from == 4 and summary.completed == 8

    fresh = run_sweep(tiny_experiment, tmp_path / "fresh", InProcessBackend()).out
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "results.parquet"), pd.read_parquet(fresh / "results.parquet")
    )


def test_a_finished_sweep_run_again_computes_nothing(run_cli, tiny_experiment_file, tmp_path):
    out = tmp_path / "sweep"
    run_cli("sweep", str(tiny_experiment_file), "--out", str(out), "--workers", "1", "-q")
    status, stdout, err = run_cli(
        "sweep", str(tiny_experiment_file), "--out", str(out), "--workers", "1", "-q"
    )
    assert status == 0
    assert "resuming the sweep" in err
    assert "(8 done before)" in stdout


def test_a_failing_point_is_recorded_and_the_sweep_goes_on(run_cli, tmp_path):
    path = tmp_path / "some_fail.yaml"
    path.write_text(
        f"scenario: {SCENARIOS / 'elderly_baseline.yaml'}\ndays: 20\nreplications: 2\nseed: 1\n"
        "factors:\n  - {path: habitat.dwellings, levels: [6, 7, 8]}\n",
        encoding="utf-8",
    )
    out = tmp_path / "sweep"
    status, stdout, _ = run_cli("sweep", str(path), "--out", str(out), "--workers", "1", "-q")
    assert status == 1
    assert "3 points x 2 replications; 2 completed, 1 failed" in stdout
    failures = json.loads((out / "failures.json").read_text())
    assert [f["point"] for f in failures] == [0]
    assert failures[0]["error"] == (
        "ScenarioError: point 0: residents.generate.count: 7 residents do not fit in "
        "habitat.dwellings = 6"
    )
    results = pd.read_parquet(out / "results.parquet")
    assert sorted(results.point.unique()) == [1, 2]
    assert list(results.columns[-len(METRIC_NAMES) :]) == list(METRIC_NAMES)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["failed"] == 1 and manifest["completed"] == 2


def test_sweep_on_a_dask_local_cluster_from_the_command_line(
    run_cli, tiny_experiment_file, tmp_path
):
    out = tmp_path / "sweep"
    status, _, _ = run_cli(
        "sweep",
        str(tiny_experiment_file),
        "--out",
        str(out),
        "--scheduler",
        "local",
        "--workers",
        "1",
        "--set",
        "replications=2",
        "-q",
    )
    assert status == 0
    manifest = json.loads((out / "manifest.json").read_text())
    backend = manifest["backend"]
    assert (backend["kind"], backend["scheduler"], backend["workers"]) == ("dask", "local", 1)
    (worker,) = backend["worker_code"].values()  # the worker that ran the chunks
    assert worker == backend["code"] and len(worker["source_sha256"]) == 64
    assert manifest["replications"] == 2
    assert np.isfinite(pd.read_parquet(out / "results.parquet")[OUTPUTS].to_numpy()).all()
