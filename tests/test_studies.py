"""Every study's experiment file validates, and runs and is analysed at a tiny size."""

from __future__ import annotations

import json

import pytest

from habitat.experiment import load_experiment

from .conftest import ROOT

STUDY_FILES = sorted((ROOT / "simulations").glob("*/experiment.yaml"))
#: Tiny size: enough to go through every step, small enough for the test suite.
TINY = ["replications=2"]
TINY_SAMPLES = {"sobol": 4, "morris": 2, "latin": 4, "territory": 4}
#: Studies whose shocks fall after 30 days need a longer horizon.
TINY_DAYS = {"family_loss": "days=100"}


def test_there_are_at_least_four_studies_and_a_sensitivity_analysis():
    names = {path.parent.name for path in STUDY_FILES}
    assert len(names - {"territory", "sensitivity"}) >= 4
    sensitivity = load_experiment(ROOT / "simulations" / "sensitivity" / "experiment.yaml")
    assert sensitivity.design.kind in ("sobol", "morris")


@pytest.mark.slow
@pytest.mark.parametrize("path", STUDY_FILES, ids=lambda p: p.parent.name)
def test_study_validates_runs_and_is_analysed_at_a_tiny_size(run_cli, tmp_path, path):
    experiment = load_experiment(path)
    assert experiment.description, "a study says what it asks"
    assert (path.parent / "README.md").exists()
    overrides = [*TINY, TINY_DAYS.get(path.parent.name, "days=30")]
    if experiment.design.kind in TINY_SAMPLES:
        overrides.append(f"design.samples={TINY_SAMPLES[experiment.design.kind]}")
    if experiment.posterior is not None:
        overrides.append("posterior.draws=2")  # one replication per draw
    args = [a for o in overrides for a in ("--set", o)]
    out = tmp_path / "out"
    status, _, err = run_cli("sweep", str(path), "--out", str(out), "--workers", "2", "-q", *args)
    assert status == 0, err
    assert json.loads((out / "failures.json").read_text()) == []
    status, _, err = run_cli("analyze", str(out))
    assert status == 0, err
    assert (out / "report.html").exists()


def test_the_screening_covers_every_scalar_mechanism_parameter():
    """A parameter added to the model without joining the screening fails here."""
    import importlib.util

    path = ROOT / "simulations" / "screening" / "make_experiment.py"
    spec = importlib.util.spec_from_file_location("make_screening", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    screening = load_experiment(path.parent / "experiment.yaml")
    assert [f.path for f in screening.factors] == [f["path"] for f in module.factors()]
    assert screening.design.kind == "morris"
